import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningWorker, startWorker } from '../../src/jobs/bullmq-worker.js';
import type { Catalog } from '../../src/jobs/catalog.js';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { closeQueues, openQueues, type Queues } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logger.js';
import { TEST_REDIS_URL } from '../helpers/services.js';

/**
 * Drill: the worker's Redis connections drop while it is busy. The worker reaches Redis through
 * a TCP proxy that the drill cuts (every socket destroyed, new ones refused for a while) with two
 * jobs running; the jobs finish during the outage. Every job must still complete once Redis is
 * back, none fail, none get lost. The shared Redis itself is never restarted (other test files
 * use it); from the worker's side a cut proxy is the same event.
 */
const JOBS = 12;
const prefix = `zt-drill-${randomUUID().slice(0, 8)}`;
const logger = silentLogger();
const target = new URL(TEST_REDIS_URL);

interface Proxy {
  url: string;
  /** Connections accepted so far (a reconnect after a cut adds to it). */
  readonly accepted: number;
  /** Connections the cut destroyed. */
  readonly dropped: number;
  /** Destroys every open connection and refuses new ones for `ms`. */
  cut(ms: number): Promise<void>;
  close(): Promise<void>;
}

async function startTcpProxy(): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  let accepted = 0;
  let dropped = 0;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    get dropped() {
      return dropped;
    },
    async cut(ms) {
      refusing = true;
      dropped += sockets.size / 2;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, ms));
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let queues: Queues;
let proxy: Proxy;
let worker: RunningWorker | null = null;

beforeAll(async () => {
  queues = openQueues({ url: TEST_REDIS_URL, prefix }, logger);
  proxy = await startTcpProxy();
});

afterAll(async () => {
  await worker?.close(true);
  await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })));
  await closeQueues(queues);
  await proxy.close();
  const client = new Redis(TEST_REDIS_URL);
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`drill: ${what} not reached`);
}

describe('Redis connection dropped while the worker is busy', () => {
  it('every job completes once Redis is back: none failed, none lost', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const catalog: Catalog<object> = {
      drill: {
        queue: 'sync',
        input: z.strictObject({ n: z.number().int() }),
        dedupId: null,
        attempts: 5,
        backoffMs: 100,
        next: [],
        async run(_deps, input: { n: number }) {
          started.push(input.n);
          await gate;
          finished.push(input.n);
          return input.n;
        },
      },
    };
    for (let n = 0; n < JOBS; n += 1) await enqueueJob(queues, catalog, 'drill', { n });
    worker = startWorker({}, catalog, queues, {
      redis: { url: proxy.url, prefix },
      concurrency: 2,
      logger,
      queues: ['sync'],
      lockDurationMs: 5_000,
      stalledIntervalMs: 1_000,
    });

    await until(() => started.length === 2, 'two busy jobs');
    const before = proxy.accepted;
    // The outage: every worker connection drops; the busy jobs finish while Redis is away.
    const outage = proxy.cut(1_000);
    open();
    await outage;
    expect(proxy.dropped).toBeGreaterThan(0);
    expect(finished).toHaveLength(2);

    await until(
      async () => (await queues.sync.getJobCounts('completed')).completed === JOBS,
      'all completed',
    );
    const counts = await queues.sync.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
    expect(counts).toEqual({ completed: JOBS, failed: 0, active: 0, wait: 0, delayed: 0 });
    const values = (await queues.sync.getCompleted(0, JOBS)).map((job) => job.returnvalue.result as number);
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: JOBS }, (_, n) => n));
    // The worker came back on new connections, and at least once every job's work was done.
    expect(proxy.accepted).toBeGreaterThan(before);
    expect([...new Set(finished)].sort((a, b) => a - b)).toEqual(Array.from({ length: JOBS }, (_, n) => n));
  }, 60_000);
});
