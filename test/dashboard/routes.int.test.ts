import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { packageRoot } from '../../src/package-root.js';
import { dashboardRoutes } from '../../src/server/routes/dashboard.js';
import { CHAT_TEXT, SEEDED_AT, seedRecentTickets } from './recent-tickets-seed.js';

const NOW = Date.parse('2025-03-12T12:00:00Z');
const TOKEN = 'routes-test-token-0123456789';

describe('dashboard routes on an empty database', () => {
  let dir: string;
  let app: App;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zt-dashboard-routes-'));
    app = await createApp({
      env: { DATABASE_URL: `file:${join(dir, 'zt.db')}`, LOG_LEVEL: 'error' },
      cwd: dir,
      out: () => {},
      now: () => NOW,
      settingsPath: join(packageRoot(), 'zerotickets.config.example.yaml'),
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page, and with a token set answers 401 with the prompt page unless the bearer matches', async () => {
    const open = await dashboardRoutes(app).request('/');
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await open.text();
    expect(page).toContain('Companies with zero support tickets');

    const guarded = dashboardRoutes(app, { apiToken: TOKEN });
    const prompt = await guarded.request('/');
    expect(prompt.status).toBe(401);
    expect(prompt.headers.get('www-authenticate')).toBe('Bearer realm="zerotickets"');
    expect(await prompt.text()).toBe(page);
    expect(page).toContain('id="token-prompt"');
    expect(
      (await guarded.request('/', { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status,
    ).toBe(401);
    expect((await guarded.request('/', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('serves Chart.js and the page files from the package, and nothing else', async () => {
    const routes = dashboardRoutes(app);
    const chart = await routes.request('/assets/chart.umd.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await chart.text()).toMatch(/Chart\.js v4\./);
    expect((await routes.request('/assets/dashboard.js')).status).toBe(200);
    expect(await (await routes.request('/assets/recent-tickets.js')).text()).toContain('ztRecentTickets');
    expect((await routes.request('/assets/dashboard.css')).headers.get('content-type')).toMatch(/^text\/css/);
    for (const path of ['/assets/package.json', '/assets/..%2Fpackage.json', '/assets/index.html']) {
      expect((await routes.request(path)).status).toBe(404);
    }
  });

  it('answers every endpoint with an empty but well-formed document', async () => {
    const routes = dashboardRoutes(app);
    // biome-ignore lint/suspicious/noExplicitAny: JSON documents, checked by the assertions.
    const json = async (path: string): Promise<any> => {
      const response = await routes.request(path);
      expect(response.status, path).toBe(200);
      return response.json();
    };
    expect(await json('/api/headline')).toMatchObject({
      title: 'Companies with zero support tickets',
      zeroTicketPct: null,
      closedWindows: 0,
      changePts: null,
      pending: { in_progress: 0, in_buffer: 0, stalled: 0, not_started: 0 },
    });
    expect(await json('/api/trend?period=month')).toEqual({ periodKind: 'month', points: [] });
    expect(await json('/api/cohorts')).toEqual({ periodKind: 'week', cohorts: [] });
    const bad = await json('/api/bad-days?bucket=week&top=3');
    expect(bad).toMatchObject({ bucket: 'week', series: [], totals: Array(12).fill(0) });
    const reasons = await json('/api/reasons');
    // Every configured reason, with nothing yet; `unclassified` appears only once it has tickets.
    const ids = reasons.reasons.map((r: { reasonId: string }) => r.reasonId);
    expect(ids).toEqual(app.settings!.reasons.map((r) => r.id).sort());
    expect(reasons.reasons.every((r: { thisWeek: number }) => r.thisWeek === 0)).toBe(true);
    expect(await json('/api/quality')).toMatchObject({
      unlinkedTickets: 0,
      unclassifiedTickets: 0,
      quarantinedPayloads: 0,
      connections: [],
    });
  });

  it('names a bad query parameter with a 400', async () => {
    const routes = dashboardRoutes(app);
    const response = await routes.request('/api/trend?period=year');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'period: expected "week" or "month", got "year"',
      field: 'period',
    });
    expect((await routes.request('/api/bad-days?top=0')).status).toBe(400);
  });
});

describe('GET /api/tickets: the latest counting tickets and why each has its reason', () => {
  let dir: string;
  let app: App;
  // biome-ignore lint/suspicious/noExplicitAny: JSON documents, checked by the assertions.
  const get = async (path: string, expected = 200): Promise<any> => {
    const response = await dashboardRoutes(app).request(path);
    expect(response.status, path).toBe(expected);
    return response.json();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zt-dashboard-tickets-'));
    app = await createApp({
      env: { DATABASE_URL: `file:${join(dir, 'zt.db')}`, LOG_LEVEL: 'error' },
      cwd: dir,
      out: () => {},
      now: () => NOW,
      settingsPath: join(packageRoot(), 'zerotickets.config.example.yaml'),
    });
    await seedRecentTickets(app.store);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every reason newest first, in words, with the helpdesk link', async () => {
    const body = await get('/api/tickets');
    expect(body).toMatchObject({ asOf: new Date(NOW).toISOString(), reason: null, limit: 50 });
    expect(body.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['r6', 'r5', 'r3', 'r2', 'r1']);
    expect(body.tickets[0]).toEqual({
      source: 'zendesk',
      ticketId: 'r6',
      createdAt: new Date(SEEDED_AT.r6).toISOString(),
      customerId: 'acme',
      customer: 'Acme Inc',
      subject: 'Subject r6',
      reasonId: 'billing',
      reasonTitle: 'Billing and invoices',
      reasonColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
      classifiedBy: 'model',
      confidence: 0.91,
      detail: 'model:0.91',
      why: 'model, 91% confident',
      url: 'https://acme.zendesk.com/agent/tickets/r6',
    });
    const rest = body.tickets
      .slice(1)
      .map((t: Record<string, unknown>) => [t.ticketId, t.customer, t.reasonTitle, t.why]);
    expect(rest).toEqual([
      ['r5', 'globex', 'Login and two-factor authentication', 'manual (by ana)'],
      ['r3', 'Acme Inc', 'unclassified', 'unclassified'],
      ['r2', 'globex', 'Billing and invoices', 'tag zt_reason_billing'],
      // `login` is not in this taxonomy: its id stands in for the title.
      ['r1', 'Acme Inc', 'login', "rule: keyword 'log in'"],
    ]);
    // A chat without a subject shows the start of its text, on one line.
    expect(body.tickets[3].subject).toBe(CHAT_TEXT.slice(0, 120).replace(/\s+/g, ' ').trim());
    // A reason keeps the color it has in the reasons table.
    const reasons = await get('/api/reasons');
    const billing = reasons.reasons.find((r: { reasonId: string }) => r.reasonId === 'billing');
    expect(body.tickets[0].reasonColor).toBe(billing.color);
  });

  it('filters by reason (unclassified included) and limits', async () => {
    const billing = await get('/api/tickets?reason=billing');
    expect(billing.reason).toEqual({ id: 'billing', title: 'Billing and invoices' });
    expect(billing.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['r6', 'r2']);
    const none = await get('/api/tickets?reason=unclassified');
    expect(none.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['r3']);
    // An id outside the taxonomy that counting tickets still carry (until reclassified) lists them.
    const legacy = await get('/api/tickets?reason=login');
    expect(legacy.reason).toEqual({ id: 'login', title: 'login' });
    expect(legacy.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['r1']);
    // A reason of the taxonomy with no ticket yet is an empty list, not an error.
    expect((await get('/api/tickets?reason=cancellation')).tickets).toEqual([]);
    const two = await get('/api/tickets?limit=2');
    expect(two.limit).toBe(2);
    expect(two.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['r6', 'r5']);
  });

  it.each([
    ['/api/tickets?limit=0', 'limit'],
    ['/api/tickets?limit=501', 'limit'],
    ['/api/tickets?limit=ten', 'limit'],
    ['/api/tickets?reason=', 'reason'],
    ['/api/tickets?reason=Billing%20!', 'reason'],
    ['/api/tickets?reason=no_such_reason', 'reason'],
  ])('%s answers 400 naming %s', async (path, field) => {
    const body = await get(path, 400);
    expect(body.field).toBe(field);
    expect(body.error).toMatch(new RegExp(`^${field}: `));
  });
});
