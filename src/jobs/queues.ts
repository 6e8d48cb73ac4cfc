import { type ConnectionOptions, type DefaultJobOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** The queues of the pipeline, in pipeline order (BullMQ queue names, under ZT_QUEUE_PREFIX). */
export const QUEUE_NAMES = ['sync', 'link-classify', 'recompute', 'export', 'digest'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface RedisSettings {
  /** `REDIS_URL`. */
  url: string;
  /** `ZT_QUEUE_PREFIX`: every key starts with it, so deployments and test runs can share a Redis. */
  prefix: string;
}

/**
 * Retention (BullMQ "going to production": never keep finished jobs for ever, Redis is memory).
 * Failed jobs stay longer, for inspection in the board.
 */
export const RETENTION: Pick<DefaultJobOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5000, age: 30 * 24 * 3600 },
};

/**
 * Worker connections wait through a Redis outage instead of failing a blocking command:
 * BullMQ requires `maxRetriesPerRequest: null` on them (docs.bullmq.io/guide/going-to-production).
 */
export function workerConnection(settings: RedisSettings): ConnectionOptions {
  return { url: settings.url, maxRetriesPerRequest: null };
}

/** Producers (CLI, serve) keep ioredis's default retries, so an add fails rather than hangs. */
export function producerConnection(settings: RedisSettings): ConnectionOptions {
  return { url: settings.url };
}

export type Queues = Record<QueueName, Queue>;

/** One producer per queue; each logs its connection errors instead of crashing the process. */
export function openQueues(settings: RedisSettings, logger: Logger): Queues {
  const entries = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, {
      connection: producerConnection(settings),
      prefix: settings.prefix,
      defaultJobOptions: RETENTION,
    });
    queue.on('error', (err) => logger.error({ err, queue: name }, 'queue connection error'));
    return [name, queue] as const;
  });
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/** A plain client for what BullMQ does not cover: counters and the eviction-policy check. */
export function openRedis(settings: RedisSettings, logger: Logger): Redis {
  const redis = new Redis(settings.url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.error({ err }, 'redis connection error'));
  return redis;
}

/**
 * BullMQ needs `maxmemory-policy noeviction`: any other policy may evict job keys and lose
 * work silently. Warns (does not refuse): managed Redis services sometimes hide CONFIG.
 */
export async function warnUnlessNoEviction(redis: Redis, logger: Logger): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? null;
    if (policy !== null && policy !== 'noeviction') {
      logger.warn(
        { policy },
        'Redis maxmemory-policy is not noeviction: queued jobs may be evicted; set maxmemory-policy noeviction',
      );
    }
    return policy;
  } catch (err) {
    logger.warn(
      { err },
      'could not read Redis maxmemory-policy (CONFIG GET refused); make sure it is noeviction',
    );
    return null;
  }
}

/** Counters shared by every worker (rate-limit waits), read by `serve`'s /metrics. */
export function statsKey(prefix: string): string {
  return `${prefix}:zt-stats`;
}

/** A vendor id as a BullMQ id part: BullMQ reserves `:` in custom job ids. */
export function idPart(value: string): string {
  return encodeURIComponent(value);
}
