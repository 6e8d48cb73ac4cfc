import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { metricStatus } from '../../src/cli/status.js';
import { silentLogger } from '../../src/logger.js';
import { inlineDispatcher, type WorkDispatcher } from '../../src/server/dispatch.js';
import { createServer, startServe } from '../../src/server/serve.js';

// serve on a real SQLite file, in embedded mode (no Redis): requests go through Hono's own
// request() for the routes, and through a real socket for the bind rules.
const TOKEN = 'test-token-0123456789abcdef';
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
let dir: string;
let app: App;
let server: Hono;
let dispatcher: WorkDispatcher;

async function openApp(env: Record<string, string>): Promise<App> {
  return createApp({
    env: {
      DATABASE_URL: 'file:./zt.db',
      ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
      ZT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
      LOG_LEVEL: 'silent',
      ...env,
    },
    cwd: dir,
    out: () => {},
    logger: silentLogger(),
    now: () => NOW,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-serve-'));
  app = await openApp({ ZT_API_TOKEN: TOKEN });
  dispatcher = inlineDispatcher(() => app.pipeline(), app.logger);
  server = createServer(app, { token: TOKEN, dispatcher, queues: null, redis: null });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };

function post(path: string, body: unknown, headers: Record<string, string> = auth) {
  return server.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function warehouse() {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT customer_id, status FROM zt_customer_status ORDER BY customer_id')
      .all() as Array<{
      customer_id: string;
      status: string;
    }>;
  } finally {
    db.close();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('the ingest API', () => {
  it('answers 401 without the token and stores nothing', async () => {
    const response = await post('/api/customers', { id: 'c-x' }, {});
    expect(response.status).toBe(401);
    const wrong = await post('/api/customers', { id: 'c-x' }, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await app.store.countCustomers()).toBe(0);
  });

  it('accepts a good batch with 202 and the statuses reach zt_customer_status', async () => {
    const customers = await post('/api/customers', [
      { id: 'c-1', name: 'Acme', emails: ['ops@acme.test'], domains: ['acme.test'] },
      { id: 'c-2', name: 'Globex', emails: [], domains: [] },
    ]);
    expect(customers.status).toBe(202);
    expect(await customers.json()).toMatchObject({ accepted: 2, inserted: 2 });
    const milestones = await post('/api/milestones', [
      { customer_id: 'c-1', milestone: 'signed_up', occurred_at: iso(NOW - 60 * DAY) },
      { customer_id: 'c-1', milestone: 'onboarding_completed', occurred_at: iso(NOW - 30 * DAY) },
      { customer_id: 'c-2', milestone: 'signed_up', occurred_at: iso(NOW - 5 * DAY) },
    ]);
    expect(milestones.status).toBe(202);
    await dispatcher.idle();
    expect(warehouse()).toEqual([
      { customer_id: 'c-1', status: 'zero_tickets' },
      { customer_id: 'c-2', status: 'in_progress' },
    ]);
    // One object (not an array) is a batch of one.
    const single = await post('/api/customers', { id: 'c-3', name: 'Initech' });
    expect(single.status).toBe(202);
    await dispatcher.idle();
    expect(warehouse().map((r) => r.customer_id)).toContain('c-3');
  });

  it.each([
    [
      '/api/customers',
      [{ id: 'c-9' }, { id: 'c-10', emails: ['not-an-address'] }],
      { field: 'emails.0', index: 1 },
    ],
    ['/api/customers', [{ name: 'no id' }], { field: 'id', index: 0 }],
    ['/api/customers', [{ id: 'c-11' }, { id: 'c-11' }], { field: 'id', index: 1 }],
    [
      '/api/milestones',
      [
        { customer_id: 'c-9', milestone: 'signed_up', occurred_at: '2026-01-01' },
        { customer_id: 'c-9', milestone: 'signed_up', occurred_at: 'yesterday' },
      ],
      { field: 'occurred_at', index: 1 },
    ],
    ['/api/milestones', '{"customer_id": ', { field: 'body' }],
    ['/api/milestones', [], { field: 'body' }],
  ])('answers 400 naming the bad field and writes nothing (%s)', async (path, body, expected) => {
    const before = { customers: await app.store.countCustomers(), rows: warehouse().length };
    const response = await post(path, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; field: string };
    expect(answer).toMatchObject(expected);
    expect(answer.error).toContain(expected.field);
    await dispatcher.idle();
    expect({ customers: await app.store.countCustomers(), rows: warehouse().length }).toEqual(before);
  });
});

describe('auth and the other routes', () => {
  it('keeps /healthz open and everything else behind the token', async () => {
    expect((await server.request('/healthz')).status).toBe(200);
    for (const path of ['/api/metric', '/metrics', '/api/headline', '/assets/app.js']) {
      expect((await server.request(path)).status, path).toBe(401);
    }
    const page = await server.request('/');
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('serves GET /api/metric as the status --json document', async () => {
    const response = await server.request('/api/metric', { headers: auth });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(await metricStatus(app))));
  });

  it('serves Prometheus metrics: jobs by queue and sync lag per connection', async () => {
    await app.store.saveConnection({ id: 'zd', kind: 'zendesk', settings: {}, secret: 'x' }, NOW - DAY);
    await app.store.markSynced('zd', NOW - 90_000);
    const response = await server.request('/metrics', { headers: auth });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/zt_jobs_processed_total\{queue="recompute"\} [1-9]/);
    expect(text).toContain('zt_jobs_failed_total{queue="sync"} 0');
    expect(text).toContain('zt_rate_limit_waits_total{queue="sync"} 0');
    expect(text).toContain('zt_sync_lag_seconds{connection="zd"} 90');
  });
});

describe('the bind rules of serve', () => {
  it('refuses a non-loopback host without ZT_API_TOKEN', async () => {
    const open = await openApp({});
    try {
      await expect(startServe(open, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/ZT_API_TOKEN/);
    } finally {
      await open.close();
    }
  });

  it('without a token serves loopback openly; with one, loopback needs it too', async () => {
    const open = await openApp({});
    const running = await startServe(open, { host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${running.url}/api/metric`)).status).toBe(200);
    } finally {
      await running.close();
      await open.close();
    }
    const guarded = await startServe(app, { host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${guarded.url}/api/metric`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/api/metric`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
