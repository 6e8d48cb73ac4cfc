import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorPage } from '../../../connectors/connector.js';
import { generateSampleCompany } from '../../../connectors/simulator/sample-company.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../../connectors/simulator/zendesk-simulator.js';
import { zendeskTime } from '../../../connectors/simulator/zendesk-types.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { PermanentError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const company = generateSampleCompany({ seed: 7, now: NOW, customers: 120 });
const ADMIN = { email: 'sam@fieldnote.app', token: 'sim-token' };
const SINCE = NOW - 400 * 86_400_000;

let simulator: ZendeskSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** A simulator and a connector sharing one clock the test moves. */
async function start(options: { pageSize?: number; role?: 'admin' | 'agent'; token?: string } = {}) {
  const clock = { now: NOW };
  simulator = await startZendeskSimulator({
    company,
    ...ADMIN,
    pageSize: options.pageSize ?? 50,
    clock: () => clock.now,
    ...(options.role ? { role: options.role } : {}),
  });
  const connector = createZendeskConnector({
    connectionId: 'sim',
    settings: { subdomain: 'fieldnote', baseUrl: simulator.baseUrl },
    credentials: { email: ADMIN.email, token: options.token ?? ADMIN.token },
    logger: silentLogger(),
    now: () => clock.now,
  });
  return { sim: simulator, connector, clock };
}

async function pull(pages: AsyncIterable<ConnectorPage>, limit = Number.POSITIVE_INFINITY) {
  const out: ConnectorPage[] = [];
  for await (const page of pages) {
    out.push(page);
    if (out.length >= limit) break;
  }
  return out;
}

const ids = (pages: ConnectorPage[]) => pages.flatMap((p) => p.tickets.map((t) => t.ticketId));
const allIds = company.zendesk.tickets.map((t) => String(t.id));

describe('the real connector against the simulated Zendesk', () => {
  it('verifies the admin credentials and reports the rate limit', async () => {
    const { connector } = await start();
    await expect(connector.verify()).resolves.toEqual({
      account: expect.stringMatching(/^fieldnote\.zendesk\.com via 127\.0\.0\.1:\d+$/),
      actingAs: 'sam@fieldnote.app (admin)',
      rateLimit: '700 requests/min (699 left this minute); exports 10/min',
    });
  });

  it.each([
    ['a wrong token', { token: 'nope' }, /bad credentials/],
    ['an agent', { role: 'agent' as const }, /admin-only/],
  ])('refuses %s', async (_case, options, message) => {
    const { connector } = await start(options);
    const error = await connector.verify().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(message);
  });

  it('delivers every ticket exactly once, page by page, with what each page references', async () => {
    const { sim, connector } = await start({ pageSize: 50 });
    const pages = await pull(connector.pullChanges(null, { since: SINCE }));
    expect(pages.length).toBe(Math.ceil(allIds.length / 50));
    expect(ids(pages)).toHaveLength(allIds.length);
    expect(new Set(ids(pages))).toEqual(new Set(allIds));
    expect(pages.every((p) => p.quarantined.length === 0)).toBe(true);
    for (const page of pages) {
      const userIds = new Set(page.users.map((u) => u.userId));
      for (const t of page.tickets) expect(userIds.has(t.requester.id!)).toBe(true);
    }
    const exports = sim.requests.filter((r) => r.path === '/api/v2/incremental/tickets/cursor.json');
    expect(exports[0]?.query).toEqual({
      start_time: String(Math.floor(SINCE / 1000)),
      include: 'users,organizations',
      per_page: '1000',
    });
    expect(exports.slice(1).every((r) => r.query.cursor && !r.query.start_time)).toBe(true);
  });

  it('resumes from a stored cursor: stop after page 2, restart, and the union is the full run', async () => {
    const { connector } = await start({ pageSize: 40 });
    const full = await pull(connector.pullChanges(null, { since: SINCE }));
    const firstTwo = await pull(connector.pullChanges(null, { since: SINCE }), 2);
    const rest = await pull(connector.pullChanges(firstTwo[1]!.cursor, { since: SINCE }));
    expect([...ids(firstTwo), ...ids(rest)]).toEqual(ids(full));
    expect(rest.at(-1)?.cursor).toBe(full.at(-1)?.cursor);
  });

  it('picks up changes after the last cursor, but not within the last minute', async () => {
    const { sim, connector, clock } = await start({ pageSize: 100 });
    const first = await pull(connector.pullChanges(null, { since: SINCE }));
    const cursor = first.at(-1)!.cursor;

    clock.now += 3_600_000;
    const [updated, other] = company.zendesk.tickets;
    sim.updateTicket(updated!.id, { status: 'solved' });
    sim.addTicket({
      ...other!,
      id: 99_001,
      created_at: zendeskTime(clock.now),
      generated_timestamp: Math.floor(clock.now / 1000) - 120,
    });
    clock.now += 30_000;
    const early = await pull(connector.pullChanges(cursor, { since: SINCE }));
    expect(ids(early)).toEqual(['99001']);

    clock.now += 60_000;
    const later = await pull(connector.pullChanges(early.at(-1)!.cursor, { since: SINCE }));
    expect(ids(later)).toEqual([String(updated!.id)]);
    expect(later[0]!.tickets[0]!.status).toBe('solved');

    const idle = await pull(connector.pullChanges(later.at(-1)!.cursor, { since: SINCE }));
    expect(ids(idle)).toEqual([]);
  });

  it('quarantines a malformed ticket the helpdesk serves, and the page goes on', async () => {
    const { sim, connector, clock } = await start();
    const { requester_id: _dropped, ...broken } = company.zendesk.tickets[0]!;
    sim.addTicket({ ...broken, id: 99_002, generated_timestamp: Math.floor(clock.now / 1000) - 120 });
    const pages = await pull(connector.pullChanges(null, { since: SINCE }));
    expect(pages.flatMap((p) => p.quarantined.map((q) => q.externalId))).toEqual(['99002']);
    expect(ids(pages)).toHaveLength(allIds.length);
  });

  it('serves one ticket for webhooks, and 404 for a deleted one', async () => {
    const { connector } = await start();
    const live = company.zendesk.tickets.find((t) => t.status !== 'deleted')!;
    const deleted = company.zendesk.tickets.find((t) => t.status === 'deleted')!;
    const page = await connector.fetchTicket!(String(live.id));
    expect(page?.tickets.map((t) => t.ticketId)).toEqual([String(live.id)]);
    expect(page?.users.map((u) => u.userId)).toContain(String(live.requester_id));
    await expect(connector.fetchTicket!(String(deleted.id))).resolves.toBeNull();
  });

  it('answers like Zendesk to missing and wrong credentials', async () => {
    const { sim } = await start();
    const anonymous = await fetch(`${sim.baseUrl}/api/v2/users/me.json`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toMatchObject({ user: { id: null, name: 'Anonymous user' } });
    const exportWithout = await fetch(`${sim.baseUrl}/api/v2/incremental/tickets/cursor.json?start_time=0`);
    expect(exportWithout.status).toBe(401);
    const wrong = await fetch(`${sim.baseUrl}/api/v2/users/me.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ADMIN.email}/token:wrong`).toString('base64')}` },
    });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: "Couldn't authenticate you" }]);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
