import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { startWorker } from '../../src/jobs/bullmq-worker.js';
import { jobCatalog } from '../../src/jobs/catalog.js';
import { closeQueues, openQueues, type Queues, type RedisSettings } from '../../src/jobs/queues.js';
import {
  DIGEST_SCHEDULER_ID,
  digestRepeat,
  syncSchedulerId,
  upsertSchedules,
} from '../../src/jobs/schedules.js';
import { runWorkerProcess } from '../../src/jobs/worker-process.js';
import { silentLogger } from '../../src/logger.js';
import { TEST_REDIS_URL } from '../helpers/services.js';

const redis: RedisSettings = { url: TEST_REDIS_URL, prefix: `zt-test-${randomUUID().slice(0, 8)}` };
const logger = silentLogger();
let queues: Queues;
let dir: string;
let app: App;
const printed: string[] = [];

beforeAll(async () => {
  queues = openQueues(redis, logger);
  dir = mkdtempSync(join(tmpdir(), 'zt-sched-'));
  app = await createApp({
    env: {
      DATABASE_URL: 'file:./zt.db',
      ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
      ZT_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      LOG_LEVEL: 'silent',
    },
    cwd: dir,
    out: (text) => printed.push(text),
    logger,
  });
});

afterAll(async () => {
  await closeQueues(queues);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  const client = new Redis(redis.url);
  const keys = await client.keys(`${redis.prefix}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

describe('schedules', () => {
  it.each([
    ['09:00', 'UTC', '0 0 9 * * *'],
    ['17:45', 'Europe/Berlin', '0 45 17 * * *'],
    ['00:05', 'America/New_York', '0 5 0 * * *'],
  ])('posts the digest daily at %s in %s', (postAt, tz, pattern) => {
    expect(digestRepeat(postAt, tz)).toEqual({ pattern, tz });
  });

  it('are created once when two workers upsert them at the same time', async () => {
    const settings = { syncEveryMinutes: 10, digestAt: '09:30', timezone: 'Europe/Berlin' };
    await Promise.all([
      upsertSchedules(queues, ['zd-a', 'ic:b'], settings, logger),
      upsertSchedules(queues, ['zd-a', 'ic:b'], settings, logger),
    ]);
    const syncs = await queues.sync.getJobSchedulers(0, -1);
    expect(syncs.map((s) => s.key).sort()).toEqual([syncSchedulerId('ic:b'), syncSchedulerId('zd-a')].sort());
    expect(syncs.every((s) => s.every === 600_000 && !s.key.includes(':'))).toBe(true);
    const digests = await queues.digest.getJobSchedulers(0, -1);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.key).toBe(DIGEST_SCHEDULER_ID);
    expect(digest).toMatchObject({ pattern: '0 30 9 * * *', tz: 'Europe/Berlin' });
    // The next run is the next 09:30 on a Berlin clock, within a day.
    expect(digest.next).toBeGreaterThan(Date.now());
    expect(digest.next!).toBeLessThanOrEqual(Date.now() + 86_400_000);
    expect(localTime(digest.next!, 'Europe/Berlin')).toBe('09:30:00');

    // A connection named in `sync.connections` gets its own interval; the others keep theirs.
    await upsertSchedules(
      queues,
      ['zd-a', 'ic:b'],
      { ...settings, syncMinutesByConnection: { 'zd-a': 2 } },
      logger,
    );
    const every = new Map((await queues.sync.getJobSchedulers(0, -1)).map((s) => [s.key, s.every]));
    expect(every.get(syncSchedulerId('zd-a'))).toBe(120_000);
    expect(every.get(syncSchedulerId('ic:b'))).toBe(600_000);

    // A connection that went away loses its schedule; the others stay once.
    await upsertSchedules(queues, ['zd-a'], settings, logger);
    expect((await queues.sync.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([syncSchedulerId('zd-a')]);
    await queues.sync.removeJobScheduler(syncSchedulerId('zd-a'));
    await queues.digest.removeJobScheduler(DIGEST_SCHEDULER_ID);
    await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })));
  });

  it('runs the digest when its scheduler fires, through the real digest handler', async () => {
    const deps = await app.pipeline();
    const worker = startWorker(deps, jobCatalog, queues, {
      redis,
      concurrency: 1,
      logger,
      queues: ['digest'],
    });
    try {
      // The same template as the daily schedule, on a cron pattern firing at the next second.
      await queues.digest.upsertJobScheduler(
        'digest-test',
        { pattern: '* * * * * *', tz: 'UTC', limit: 1 },
        { name: 'digest', data: {} },
      );
      await until(() => printed.some((text) => text.includes('Companies with zero support tickets')));
      expect(printed.filter((t) => t.includes('Companies with zero support tickets'))).toHaveLength(1);
    } finally {
      await worker.close();
      await queues.digest.removeJobScheduler('digest-test');
    }
  });

  it('a worker process upserts its schedules, works, and stops gracefully on a signal', async () => {
    let stop = (_signal: string) => {};
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const run = runWorkerProcess(await app.pipeline(), {
      redis,
      settings: app.settings!,
      store: app.store,
      logger,
      concurrency: 2,
      stop: stopped,
    });
    await until(async () => (await queues.digest.getJobSchedulers(0, -1)).length === 1);
    stop('SIGTERM');
    await expect(run).resolves.toBeUndefined();
  });
});
