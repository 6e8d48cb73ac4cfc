import type { Logger } from '../logger.js';
import { jobCatalog } from './catalog.js';
import { idPart, type Queues } from './queues.js';

export interface ScheduleSettings {
  /** Config `sync.everyMinutes`. */
  syncEveryMinutes: number;
  /** Config `sync.connections`: minutes per connection id, where it differs. */
  syncMinutesByConnection?: Readonly<Record<string, number>>;
  /** Config `slack.postAt` (HH:MM) in `metric.timezone`. */
  digestAt: string;
  timezone: string;
}

export const DIGEST_SCHEDULER_ID = 'digest-daily';
const SYNC_SCHEDULER_PREFIX = 'sync-every-';

export function syncSchedulerId(connectionId: string): string {
  return `${SYNC_SCHEDULER_PREFIX}${idPart(connectionId)}`;
}

/** `HH:MM` every day in a time zone, as a cron pattern with seconds (cron-parser, BullMQ). */
export function digestRepeat(postAt: string, timezone: string): { pattern: string; tz: string } {
  const [hours, minutes] = postAt.split(':').map(Number) as [number, number];
  return { pattern: `0 ${minutes} ${hours} * * *`, tz: timezone };
}

/**
 * Creates or updates the job schedulers: one sync per connection every N minutes (its own N
 * when `sync.connections` names it), and the daily
 * digest. Upserts are idempotent by scheduler id, so every worker may call this at start and
 * each schedule still exists once; schedulers of removed connections are removed.
 */
export async function upsertSchedules(
  queues: Queues,
  connectionIds: string[],
  settings: ScheduleSettings,
  logger: Logger,
): Promise<void> {
  const sync = jobCatalog.sync;
  const wanted = new Set<string>();
  for (const connectionId of connectionIds) {
    const id = syncSchedulerId(connectionId);
    wanted.add(id);
    const minutes = settings.syncMinutesByConnection?.[connectionId] ?? settings.syncEveryMinutes;
    await queues.sync.upsertJobScheduler(
      id,
      { every: minutes * 60_000 },
      {
        name: 'sync',
        data: { connectionId },
        opts: { attempts: sync.attempts, backoff: { type: 'exponential', delay: sync.backoffMs } },
      },
    );
  }
  for (const scheduler of await queues.sync.getJobSchedulers(0, -1)) {
    const id = scheduler.id ?? scheduler.key;
    if (id.startsWith(SYNC_SCHEDULER_PREFIX) && !wanted.has(id)) {
      await queues.sync.removeJobScheduler(id);
      logger.info({ scheduler: id }, 'removed the sync schedule of a connection that no longer exists');
    }
  }
  const digest = jobCatalog.digest;
  await queues.digest.upsertJobScheduler(
    DIGEST_SCHEDULER_ID,
    digestRepeat(settings.digestAt, settings.timezone),
    {
      name: 'digest',
      data: {},
      opts: { attempts: digest.attempts, backoff: { type: 'exponential', delay: digest.backoffMs } },
    },
  );
  logger.info(
    {
      connections: connectionIds.length,
      syncEveryMinutes: settings.syncEveryMinutes,
      digestAt: settings.digestAt,
      timezone: settings.timezone,
    },
    'schedules upserted',
  );
}
