import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../connectors/simulator/faults.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../../connectors/simulator/zendesk-simulator.js';

const NOW = Date.parse('2026-11-24T12:00:10Z');
const ADMIN = { email: 'a@sim.test', token: 'tok' };
const AUTH = { Authorization: `Basic ${Buffer.from('a@sim.test/token:tok').toString('base64')}` };
const EXPORT = '/api/v2/incremental/tickets/cursor.json?start_time=0';

let sim: ZendeskSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<Parameters<typeof startZendeskSimulator>[0]> = {}) {
  const clock = { now: NOW };
  sim = await startZendeskSimulator({
    ...ADMIN,
    clock: () => clock.now,
    tickets: [
      {
        id: 1,
        created_at: '2026-11-01T00:00:00Z',
        updated_at: '2026-11-01T00:00:00Z',
        generated_timestamp: 1_790_000_000,
        status: 'open',
        requester_id: 5,
      },
    ],
    ...options,
  });
  const get = (path: string) => fetch(`${sim!.baseUrl}${path}`, { headers: AUTH });
  return { sim, clock, get };
}

describe('the simulated Zendesk rate limit', () => {
  it('sends the real headers and answers 429 with Retry-After once the export minute is spent', async () => {
    const { get } = await start({ limits: { perMinute: 100, exportPerMinute: 2 } });
    const first = await get(EXPORT);
    expect(first.headers.get('x-rate-limit')).toBe('100');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('99');
    await get(EXPORT);
    const third = await get(EXPORT);
    expect(third.status).toBe(429);
    // 12:00:10 → the minute resets in 50 s.
    expect(third.headers.get('retry-after')).toBe('50');
    // Other endpoints still have the account's budget.
    expect((await get('/api/v2/users/me.json')).status).toBe(200);
  });

  it('opens a new window when the clock reaches the next minute', async () => {
    const { get, clock } = await start({ limits: { perMinute: 1 } });
    await get('/api/v2/users/me.json');
    expect((await get('/api/v2/users/me.json')).status).toBe(429);
    clock.now += 50_000;
    expect((await get('/api/v2/users/me.json')).status).toBe(200);
  });
});

describe('injected faults', () => {
  it('serves them in order, to matching paths only, then answers normally', async () => {
    const { sim, get } = await start();
    sim.inject({ kind: 'status', status: 503, times: 2, path: '/incremental/' });
    sim.inject({ kind: 'malformed', body: '<html>oops</html>', path: '/incremental/' });
    expect((await get('/api/v2/tickets/1.json')).status).toBe(200);
    expect((await get(EXPORT)).status).toBe(503);
    expect((await get(EXPORT)).status).toBe(503);
    expect(await (await get(EXPORT)).text()).toBe('<html>oops</html>');
    expect((await get(EXPORT)).status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([200, 503, 503, 200, 200]);
  });

  it('answers slowly, and drops a requester_id on a bad-ticket page', async () => {
    const { sim, get } = await start({ faults: [{ kind: 'slow', delayMs: 30 }, { kind: 'bad-ticket' }] });
    const started = performance.now();
    await get('/api/v2/users/me.json');
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    const page = (await (await get(EXPORT)).json()) as { tickets: Array<Record<string, unknown>> };
    expect(page.tickets[0]).not.toHaveProperty('requester_id');
    expect(sim.requests).toHaveLength(2);
  });

  it('FaultPlan consumes each fault `times` times', () => {
    const plan = new FaultPlan();
    plan.inject({ kind: 'status', status: 500, times: 2 });
    plan.inject({ kind: 'slow', delayMs: 1, path: '/x' });
    expect(plan.take('/y')?.kind).toBe('status');
    expect(plan.take('/x')?.kind).toBe('status');
    expect(plan.take('/y')).toBeUndefined();
    expect(plan.take('/x')?.kind).toBe('slow');
    expect(plan.size).toBe(0);
  });
});
