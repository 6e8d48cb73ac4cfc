import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleCompany } from '../../connectors/simulator/sample-company.js';
import { startZendeskSimulator } from '../../connectors/simulator/zendesk-simulator.js';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from '../../connectors/zendesk/webhook.js';
import { type App, createApp } from '../../src/app.js';
import { type RunningWorker, startWorker } from '../../src/jobs/bullmq-worker.js';
import { jobCatalog } from '../../src/jobs/catalog.js';
import { closeQueues, openQueues, type Queues } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logger.js';
import { queuedDispatcher } from '../../src/server/dispatch.js';
import { createServer } from '../../src/server/serve.js';
import { runCli } from '../helpers/cli.js';
import { simulatorConnectArgs } from '../helpers/sample-files.js';
import { TEST_REDIS_URL } from '../helpers/services.js';

// `zerotickets sync --wait` with REDIS_URL through the real CLI, a worker in this process, the
// simulated Zendesk and a real SQLite file; and the ingest API in queued mode.
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const prefix = `zt-test-${randomUUID().slice(0, 8)}`;
const company = generateSampleCompany({ seed: 11, now: NOW });
let dir: string;
let env: Record<string, string>;
let simulator: Awaited<ReturnType<typeof startZendeskSimulator>>;
let app: App;
let queues: Queues;
let worker: RunningWorker;

const cli = (args: string[]) => runCli(args, { env, cwd: dir, now: () => NOW });

function count(sql: string): number {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-wait-'));
  simulator = await startZendeskSimulator({ company, email: 'admin@sim.test', token: 'sim-token' });
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 6).toString('base64'),
    REDIS_URL: TEST_REDIS_URL,
    ZT_QUEUE_PREFIX: prefix,
    ZT_API_TOKEN: 'test-token-0123456789abcdef',
    LOG_LEVEL: 'silent',
  };
  const connect = await cli(simulatorConnectArgs(simulator.baseUrl, NOW - 400 * DAY, ['--id', 'zd']));
  expect(connect.code, connect.stderr).toBe(0);
  app = await createApp({ env, cwd: dir, out: () => {}, logger: silentLogger(), now: () => NOW });
  queues = openQueues(app.redis!, app.logger);
  worker = startWorker(await app.pipeline(), jobCatalog, queues, {
    redis: app.redis!,
    concurrency: 2,
    logger: app.logger,
  });
});

afterAll(async () => {
  await worker?.close();
  await closeQueues(queues);
  await app?.close();
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
  const client = new Redis(TEST_REDIS_URL);
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('sync with REDIS_URL', () => {
  it('--wait returns when the sync and its whole pipeline are done', async () => {
    const run = await cli(['sync', '--wait']);
    expect(run.stderr).not.toMatch(/zerotickets: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pipeline done (sync → link-classify → recompute → export)');
    // Everything the helpdesk has is in the warehouse by the time the command returns.
    expect(count('SELECT count(*) AS n FROM zt_tickets')).toBe(company.zendesk.tickets.length);
  });

  it('without --wait only queues', async () => {
    const run = await cli(['sync', '--connection', 'zd']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('queued sync for zd');
  });

  it('--wait fails when the sync failed for good', async () => {
    await app.store.saveConnection(
      {
        id: 'revoked',
        kind: 'zendesk',
        settings: { subdomain: 'sim', baseUrl: simulator.baseUrl, email: 'admin@sim.test' },
        secret: app.secrets().seal({ email: 'admin@sim.test', token: 'revoked-token' }),
      },
      NOW,
    );
    const run = await cli(['sync', '--connection', 'revoked', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/sync failed/);
  });

  it('rejects an unknown connection by name', async () => {
    const run = await cli(['sync', '--connection', 'nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no connection "nope"');
  });
});

describe('the ingest API with REDIS_URL', () => {
  it('enqueues the recompute, which the workers carry to zt_customer_status', async () => {
    const server = createServer(app, {
      token: env.ZT_API_TOKEN!,
      dispatcher: queuedDispatcher(queues),
      queues,
      redis: null,
    });
    const post = (path: string, body: unknown) =>
      server.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env.ZT_API_TOKEN}` },
        body: JSON.stringify(body),
      });
    expect((await post('/api/customers', [{ id: 'api-1', name: 'Via API' }])).status).toBe(202);
    const milestone = {
      customer_id: 'api-1',
      milestone: 'signed_up',
      occurred_at: new Date(NOW - 3 * DAY).toISOString(),
    };
    expect((await post('/api/milestones', milestone)).status).toBe(202);
    for (let i = 0; i < 200; i++) {
      if (
        count(
          "SELECT count(*) AS n FROM zt_customer_status WHERE customer_id = 'api-1' AND status = 'in_progress'",
        ) === 1
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(count("SELECT count(*) AS n FROM zt_customer_status WHERE customer_id = 'api-1'")).toBe(1);
    const board = await server.request('/queues', {
      headers: { Authorization: `Bearer ${env.ZT_API_TOKEN}` },
    });
    expect(board.status).toBe(200);
    const unsigned = await server.request('/queues');
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('www-authenticate')).toMatch(/^Basic /);
    // A browser signs in to the board with HTTP Basic, the token as the password.
    const basic = `Basic ${Buffer.from(`ops:${env.ZT_API_TOKEN}`).toString('base64')}`;
    expect((await server.request('/queues', { headers: { Authorization: basic } })).status).toBe(200);
    const api = await server.request('/queues/api/queues', { headers: { Authorization: basic } });
    const listed = (await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(listed.queues.map((q) => [q.name, q.readOnlyMode]).sort()).toEqual(
      ['digest', 'export', 'link-classify', 'recompute', 'sync'].map((name) => [name, true]),
    );
    const wrong = `Basic ${Buffer.from('ops:nope').toString('base64')}`;
    expect((await server.request('/queues', { headers: { Authorization: wrong } })).status).toBe(401);
    // The whole fleet's job counts, from BullMQ's metrics in Redis.
    const metrics = await server.request('/metrics', {
      headers: { Authorization: `Bearer ${env.ZT_API_TOKEN}` },
    });
    const text = await metrics.text();
    expect(text).toMatch(/zt_jobs_processed_total\{queue="sync"\} [1-9]/);
    expect(text).toMatch(/zt_jobs_processed_total\{queue="export"\} [1-9]/);
    expect(text).toContain('zt_queue_jobs{queue="sync",state="failed"} 1');
  });
});

describe('webhooks with REDIS_URL', () => {
  it('queues a refresh for a signed Zendesk delivery, and the workers fetch that ticket', async () => {
    const reconnect = await cli(
      simulatorConnectArgs(simulator.baseUrl, NOW - 400 * DAY, [
        '--id',
        'zd',
        '--webhook-secret',
        'whsec-sim',
      ]),
    );
    expect(reconnect.code, reconnect.stderr).toBe(0);
    const server = createServer(app, {
      token: env.ZT_API_TOKEN!,
      dispatcher: queuedDispatcher(queues),
      queues,
      redis: null,
    });
    const ticketId = String(company.zendesk.tickets[0]!.id);
    const deliver = (secret: string) => {
      const body = JSON.stringify({ ticket_id: ticketId });
      const timestamp = new Date().toISOString();
      return server.request('/webhooks/zendesk/zd', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signPayload(body, timestamp, secret),
        },
        body,
      });
    };
    expect((await deliver('a-wrong-secret')).status).toBe(401);
    expect(await queues.sync.getJobs(['waiting', 'active', 'completed'])).not.toContainEqual(
      expect.objectContaining({ name: 'refresh-tickets' }),
    );
    expect((await deliver('whsec-sim')).status).toBe(202);
    let refreshed: unknown = null;
    for (let i = 0; i < 200 && refreshed === null; i++) {
      const done = (await queues.sync.getJobs(['completed'])).find((j) => j.name === 'refresh-tickets');
      refreshed = done?.returnvalue ?? null;
      if (refreshed === null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refreshed).toMatchObject({ result: { connectionId: 'zd', tickets: 1, missing: [] } });
  });
});

describe('zerotickets worker', () => {
  it.each([
    [['worker'], { REDIS_URL: '' }, /REDIS_URL: required by `worker`/],
    [['worker', '--concurrency', '0'], {}, /expected a whole number from 1 to 100/],
  ])('refuses to start: %j', async (args, overrides, message) => {
    const run = await runCli(args, { env: { ...env, ...overrides }, cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });

  it('runs until SIGTERM, then finishes and exits 0', async () => {
    // The command listens for the signal on this process: borrow SIGTERM from the test runner.
    const others = process.listeners('SIGTERM');
    process.removeAllListeners('SIGTERM');
    try {
      const run = cli(['worker', '--concurrency', '1']);
      for (let i = 0; i < 200 && process.listenerCount('SIGTERM') === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(process.listenerCount('SIGTERM')).toBe(1);
      process.emit('SIGTERM', 'SIGTERM');
      const result = await run;
      expect(result.stderr).not.toMatch(/zerotickets: /);
      expect(result.code).toBe(0);
    } finally {
      for (const listener of others) process.on('SIGTERM', listener as NodeJS.SignalsListener);
    }
  });
});
