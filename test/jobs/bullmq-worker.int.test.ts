import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningWorker, startWorker } from '../../src/jobs/bullmq-worker.js';
import { type AnyJobDefinition, type Catalog, jobCatalog } from '../../src/jobs/catalog.js';
import { enqueueJob, waitForStage } from '../../src/jobs/enqueue.js';
import {
  closeQueues,
  openQueues,
  type Queues,
  type RedisSettings,
  warnUnlessNoEviction,
} from '../../src/jobs/queues.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { TEST_REDIS_URL } from '../helpers/services.js';

// The BullMQ shell on the real local Redis, under a prefix of its own that is deleted after.
const redis: RedisSettings = { url: TEST_REDIS_URL, prefix: `zt-test-${randomUUID().slice(0, 8)}` };
const logger = silentLogger();
let queues: Queues;
const running: RunningWorker[] = [];
const releases: Array<() => void> = [];

beforeAll(() => {
  queues = openQueues(redis, logger);
});

afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await Promise.all(running.splice(0).map((w) => w.close(true)));
  await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })));
});

afterAll(async () => {
  await closeQueues(queues);
  const client = new Redis(redis.url);
  const keys = await client.keys(`${redis.prefix}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

interface Who {
  who: string;
}

function start(
  deps: Who,
  catalog: Catalog<Who>,
  extra: { lockDurationMs?: number; stalledIntervalMs?: number } = {},
) {
  const worker = startWorker(deps, catalog, queues, {
    redis,
    concurrency: 10,
    logger,
    queues: ['sync'],
    ...extra,
  });
  running.push(worker);
  return worker;
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  releases.push(open);
  return { promise, open };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}

describe('the BullMQ worker', () => {
  it('shares 1,000 jobs between two workers and processes each exactly once', async () => {
    const seen = new Map<number, string[]>();
    const counting: AnyJobDefinition<Who> = {
      queue: 'sync',
      input: z.object({ n: z.number().int() }),
      dedupId: null,
      attempts: 1,
      backoffMs: 1000,
      next: [],
      run: async (deps: Who, input: { n: number }) => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.set(input.n, [...(seen.get(input.n) ?? []), deps.who]);
      },
    };
    const catalog = { count: counting };
    start({ who: 'a' }, catalog);
    start({ who: 'b' }, catalog);
    await queues.sync.addBulk(Array.from({ length: 1000 }, (_, n) => ({ name: 'count', data: { n } })));
    await until(() => seen.size === 1000 && [...seen.values()].every((w) => w.length >= 1));
    await until(async () => (await queues.sync.getJobCounts('active', 'wait')).active === 0);
    expect([...seen.values()].filter((w) => w.length !== 1)).toEqual([]);
    const byWorker = [...seen.values()].flat();
    expect(byWorker.filter((w) => w === 'a').length).toBeGreaterThan(0);
    expect(byWorker.filter((w) => w === 'b').length).toBeGreaterThan(0);
  });

  it('never runs two syncs of one connection at once, and keeps one more with the latest request', async () => {
    let active = 0;
    let maxActive = 0;
    const runs: string[] = [];
    const first = gate();
    const started = gate();
    const catalog: Catalog<Who> = {
      sync: {
        ...jobCatalog.sync,
        next: [],
        run: async (deps: Who, input: { connectionId: string }) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          runs.push(`${input.connectionId}@${deps.who}`);
          started.open();
          if (runs.length === 1) await first.promise;
          active -= 1;
        },
      },
    };
    start({ who: 'a' }, catalog);
    start({ who: 'b' }, catalog);
    await enqueueJob(queues, catalog, 'sync', { connectionId: 'zd:main' });
    await started.promise;
    // Ten more requests while the first runs (two idle workers with 20 free slots between them).
    for (let i = 0; i < 10; i++) await enqueueJob(queues, catalog, 'sync', { connectionId: 'zd:main' });
    first.open();
    await until(() => runs.length === 2);
    await until(async () => {
      const counts = await queues.sync.getJobCounts('active', 'wait', 'delayed');
      return (counts.active ?? 0) + (counts.wait ?? 0) + (counts.delayed ?? 0) === 0;
    });
    expect(maxActive).toBe(1);
    expect(runs).toHaveLength(2);
  });

  it('waits for the run that covers an add, whichever job deduplication folded it into', async () => {
    const runs: string[] = [];
    const first = gate();
    const started = gate();
    const catalog: Catalog<Who> = {
      sync: {
        ...jobCatalog.sync,
        next: [],
        run: async () => {
          runs.push('run');
          started.open();
          if (runs.length === 1) await first.promise;
          return runs.length;
        },
      },
    };
    // Folded into a job that has not started: that job is the one to wait for.
    const waiting = await enqueueJob(queues, catalog, 'sync', { connectionId: 'zd' });
    const folded = await enqueueJob(queues, catalog, 'sync', { connectionId: 'zd' });
    expect(await queues.sync.getJob(folded.jobId)).toBeUndefined();
    start({ who: 'a' }, catalog);
    await started.promise;
    // Added while that job runs: kept, and created under its own id when the running one ends.
    const kept = await enqueueJob(queues, catalog, 'sync', { connectionId: 'zd' });
    const afterRunning = waitForStage(queues, catalog, kept, { pollMs: 20 });
    first.open();
    const [a, b, c] = await Promise.all([
      waitForStage(queues, catalog, waiting, { pollMs: 20 }),
      waitForStage(queues, catalog, folded, { pollMs: 20 }),
      afterRunning,
    ]);
    expect(a.job.id).toBe(waiting.jobId);
    expect(b.job.id).toBe(waiting.jobId);
    expect(c.job.id).toBe(kept.jobId);
    expect(runs).toHaveLength(2);
  });

  it('hands the job of a worker that died mid-job to the other worker', async () => {
    const runs: string[] = [];
    const hang = gate();
    const catalog: Catalog<Who> = {
      slow: {
        queue: 'sync',
        input: z.object({}),
        dedupId: null,
        attempts: 1,
        backoffMs: 1000,
        next: [],
        run: async (deps: Who) => {
          runs.push(deps.who);
          if (deps.who === 'a') await hang.promise;
        },
      },
    };
    const timing = { lockDurationMs: 800, stalledIntervalMs: 300 };
    const a = start({ who: 'a' }, catalog, timing);
    await queues.sync.add('slow', {});
    await until(() => runs.length === 1);
    start({ who: 'b' }, catalog, timing);
    // Closed without finishing: its lock is no longer renewed, as when a process is killed.
    await a.close(true);
    await until(() => runs.length === 2);
    expect(runs).toEqual(['a', 'b']);
    await until(async () => (await queues.sync.getJobCounts('completed')).completed === 1);
  });

  it('delays a rate-limited job instead of failing it, and fails a permanent error for good', async () => {
    const { PermanentError, RateLimitedError } = await import('../../src/errors.js');
    let calls = 0;
    const catalog: Catalog<Who> = {
      limited: {
        queue: 'sync',
        input: z.object({}),
        dedupId: null,
        attempts: 1,
        backoffMs: 1000,
        next: [],
        run: async () => {
          calls += 1;
          if (calls === 1) throw new RateLimitedError('429 from the helpdesk', 1000);
          return 'done';
        },
      },
      revoked: {
        queue: 'sync',
        input: z.object({}),
        dedupId: null,
        attempts: 5,
        backoffMs: 1000,
        next: [],
        run: async () => {
          throw new Error('wrapped', { cause: new PermanentError('token revoked') });
        },
      },
    };
    start({ who: 'a' }, catalog);
    const limited = await queues.sync.add('limited', {});
    await until(async () => (await queues.sync.getJobState(limited.id!)) === 'delayed');
    await until(async () => (await queues.sync.getJobState(limited.id!)) === 'completed');
    expect(calls).toBe(2);
    const job = await queues.sync.getJob(limited.id!);
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
    const revoked = await queues.sync.add('revoked', {}, { attempts: 5 });
    await until(async () => (await queues.sync.getJobState(revoked.id!)) === 'failed');
    const failed = await queues.sync.getJob(revoked.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('wrapped');
  });
});

describe("Redis's eviction policy", () => {
  function capture() {
    const lines: string[] = [];
    return { lines, logger: createLogger('warn', { write: (line: string) => lines.push(line) }) };
  }

  it('reads the policy of the real Redis and warns only when it is not noeviction', async () => {
    const client = new Redis(redis.url);
    try {
      const { lines, logger: log } = capture();
      const policy = await warnUnlessNoEviction(client, log);
      const actual = ((await client.config('GET', 'maxmemory-policy')) as string[])[1];
      expect(policy).toBe(actual);
      expect(lines.some((l) => l.includes('noeviction'))).toBe(actual !== 'noeviction');
    } finally {
      await client.quit();
    }
  });

  it('warns when the policy would evict job keys', async () => {
    // A stand-in for the client: no test may change the shared Redis's configuration.
    const evicting = { config: async () => ['maxmemory-policy', 'allkeys-lru'] } as unknown as Redis;
    const { lines, logger: log } = capture();
    expect(await warnUnlessNoEviction(evicting, log)).toBe('allkeys-lru');
    expect(lines.join('\n')).toMatch(/maxmemory-policy is not noeviction/);
  });
});

describe('the job catalog', () => {
  const entries = Object.entries(jobCatalog);

  it('chains every step to a job it defines, ending at export', () => {
    for (const [, definition] of entries) {
      for (const next of definition.next) expect(Object.keys(jobCatalog)).toContain(next);
    }
    const chain: string[] = ['sync'];
    for (let name = 'sync'; jobCatalog[name as keyof typeof jobCatalog].next.length > 0; ) {
      name = jobCatalog[name as keyof typeof jobCatalog].next[0]!;
      chain.push(name);
    }
    expect(chain).toEqual(['sync', 'link-classify', 'recompute', 'export']);
  });

  it('gives BullMQ ids without ":" even for connection ids that have one', () => {
    const dedupId = jobCatalog.sync.dedupId!;
    expect(dedupId({ connectionId: 'zendesk:acme/eu' })).not.toContain(':');
    expect(dedupId({ connectionId: 'a:b' })).not.toBe(dedupId({ connectionId: 'a_b' }));
  });

  it.each([
    ['sync', { connectionId: 'zd', token: 'secret' }],
    ['sync', {}],
    ['refresh-tickets', { connectionId: 'zd', ticketIds: [] }],
    ['recompute', { customerIds: ['c-1'] }],
  ])('rejects %s input %j (only ids, never credentials)', (name, input) => {
    expect(jobCatalog[name as keyof typeof jobCatalog].input.safeParse(input).success).toBe(false);
  });
});
