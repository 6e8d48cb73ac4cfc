import { DelayedError, type Job, MetricsTime, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ConfigError, errorMessage, PermanentError, RateLimitedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Catalog } from './catalog.js';
import { type Enqueued, enqueueJob } from './enqueue.js';
import {
  QUEUE_NAMES,
  type QueueName,
  type Queues,
  type RedisSettings,
  statsKey,
  workerConnection,
} from './queues.js';

export interface WorkerSettings {
  redis: RedisSettings;
  /** Jobs of each queue one process runs at once (`--concurrency`). */
  concurrency: number;
  logger: Logger;
  /** Which queues to consume (default: all of them). */
  queues?: readonly QueueName[];
  /**
   * BullMQ's lock and stalled-check timing. A job whose worker died (its lock not renewed) is
   * moved back to wait by another worker's stalled check after about `lockDurationMs`.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** What every processed job returns: the handler's result and the next steps it added. */
export interface JobOutcome {
  result: unknown;
  next: Enqueued[];
}

export interface RunningWorker {
  workers: Worker[];
  /** Graceful: stops taking jobs and waits for the running ones (force: abandons them). */
  close(force?: boolean): Promise<void>;
}

/**
 * The BullMQ shell around the catalog's plain handlers: one Worker per queue. It validates
 * input, runs the handler, adds the next steps, and maps typed errors to BullMQ's control flow:
 * `RateLimitedError` delays this job alone (`moveToDelayed` + `DelayedError`, freeing the slot
 * and costing no attempt), `PermanentError`/`ConfigError` fail it for good
 * (`UnrecoverableError`), anything else is retried with exponential backoff.
 */
export function startWorker<Deps>(
  deps: Deps,
  catalog: Catalog<Deps>,
  producers: Queues,
  settings: WorkerSettings,
  stats: Redis | null = null,
): RunningWorker {
  const { logger } = settings;
  const processor = async (job: Job, token?: string): Promise<JobOutcome> => {
    const definition = catalog[job.name];
    if (!definition) throw new UnrecoverableError(`job "${job.name}" is not in the job catalog`);
    const parsed = definition.input.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`job "${job.name}": invalid input`);
    // Schedulers cannot deduplicate (BullMQ), so a scheduled run re-adds itself as a normal,
    // deduplicated job: a scheduled sync never overlaps one started by `zerotickets sync`.
    if (job.repeatJobKey && definition.dedupId) {
      const added = await enqueueJob(producers, catalog, job.name, parsed.data);
      return { result: { triggered: added.jobId }, next: [] };
    }
    try {
      const result = await definition.run(deps, parsed.data as never);
      const next: Enqueued[] = [];
      for (const name of definition.next) next.push(await enqueueJob(producers, catalog, name, {}));
      return { result, next };
    } catch (error) {
      const limited = findError(error, RateLimitedError);
      if (limited && token) {
        await job.moveToDelayed(Date.now() + Math.max(1000, limited.retryAfterMs), token);
        await stats
          ?.hincrby(statsKey(settings.redis.prefix), `rate_limit_waits:${definition.queue}`, 1)
          .catch((err: unknown) => logger.warn({ err }, 'could not count a rate-limit wait'));
        logger.info(
          { job: job.name, jobId: job.id, retryAfterMs: limited.retryAfterMs },
          'rate limited: job delayed',
        );
        throw new DelayedError(errorMessage(limited));
      }
      if (findError(error, PermanentError) || findError(error, ConfigError)) {
        throw new UnrecoverableError(errorMessage(error));
      }
      throw error;
    }
  };

  const workers = (settings.queues ?? QUEUE_NAMES).map((name) => {
    const worker = new Worker(name, processor, {
      connection: workerConnection(settings.redis),
      prefix: settings.redis.prefix,
      concurrency: settings.concurrency,
      // Counts of processed and failed jobs per minute, kept in Redis for `serve`'s /metrics.
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      maxStalledCount: 1,
      ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
      ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
    });
    worker.on('error', (err) => logger.error({ err, queue: name }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (!job || err instanceof DelayedError) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const fields = { queue: name, job: job.name, jobId: job.id, attempts: job.attemptsMade, err };
      if (final) logger.error(fields, 'job failed for good; kept in the failed set for inspection');
      else logger.warn(fields, 'job failed; it will be retried');
    });
    worker.on('stalled', (jobId) => logger.warn({ queue: name, jobId }, 'job stalled; moved back to wait'));
    return worker;
  });

  return {
    workers,
    async close(force = false) {
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}

/** The error itself or one of its causes, when it is an instance of `type`. */
function findError<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return null;
}
