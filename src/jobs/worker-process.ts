import type { FileConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { startWorker } from './bullmq-worker.js';
import { jobCatalog } from './catalog.js';
import type { PipelineDeps } from './inline-runner.js';
import { closeQueues, openQueues, openRedis, type RedisSettings, warnUnlessNoEviction } from './queues.js';
import { upsertSchedules } from './schedules.js';

export interface WorkerProcessOptions {
  redis: RedisSettings;
  settings: FileConfig;
  store: Store;
  logger: Logger;
  concurrency: number;
  /** Resolves with the signal's name when the process should stop (SIGTERM, SIGINT). */
  stop: Promise<string>;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/**
 * `zerotickets worker`: checks Redis, upserts the schedules, consumes every queue until `stop`
 * resolves, then lets the running jobs finish, closes every connection and returns.
 * Schedules are upserted again every sync interval so new connections get theirs.
 */
export async function runWorkerProcess(deps: PipelineDeps, options: WorkerProcessOptions): Promise<void> {
  const { logger } = options;
  const producers = openQueues(options.redis, logger);
  const stats = openRedis(options.redis, logger);
  let refresh: NodeJS.Timeout | null = null;
  try {
    await warnUnlessNoEviction(stats, logger);
    const schedule = async () =>
      upsertSchedules(
        producers,
        (await options.store.listConnections()).map((c) => c.id),
        {
          syncEveryMinutes: options.settings.sync.everyMinutes,
          syncMinutesByConnection: options.settings.sync.connections,
          digestAt: options.settings.slack.postAt,
          timezone: options.settings.metric.timezone,
        },
        logger,
      );
    await schedule();
    refresh = setInterval(() => {
      schedule().catch((err: unknown) => logger.error({ err }, 'could not refresh the schedules'));
    }, options.settings.sync.everyMinutes * 60_000);
    refresh.unref();
    const worker = startWorker(
      deps,
      jobCatalog,
      producers,
      {
        redis: options.redis,
        concurrency: options.concurrency,
        logger,
        ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
      },
      stats,
    );
    logger.info({ concurrency: options.concurrency, prefix: options.redis.prefix }, 'worker started');
    const signal = await options.stop;
    logger.info({ signal }, 'stopping: finishing the running jobs');
    await worker.close();
    logger.info('worker stopped');
  } finally {
    if (refresh) clearInterval(refresh);
    await closeQueues(producers);
    await stats.quit().catch(() => stats.disconnect());
  }
}
