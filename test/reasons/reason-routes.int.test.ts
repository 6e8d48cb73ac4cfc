import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reason } from '../../src/domain/reason.js';
import { reasonRoutes } from '../../src/server/routes/reasons.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store, TicketKey } from '../../src/store/store.js';
import { page, T0, ticket } from '../store/fixtures.js';

const reasons: Reason[] = [
  { id: 'billing', title: 'Billing', owner: 'U1', match: { keywords: ['refund'] }, countsTowardMetric: true },
  {
    id: 'sign_in',
    title: 'Sign-in',
    owner: null,
    match: {},
    countsTowardMetric: true,
    renamedFrom: ['login'],
  },
];

let dir = '';
let store: Store;
let corrected: TicketKey[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zt-reason-routes-'));
  store = await openStore(`file:${join(dir, 'zt.db')}`);
  await store.commitSyncPage(page({ tickets: [ticket('1161')] }));
  corrected = [];
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function app() {
  return reasonRoutes({
    store,
    reasons,
    now: () => T0,
    onCorrected: async (key) => {
      corrected.push(key);
    },
  });
}

const post = (path: string, body: unknown) =>
  app().request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/tickets/:source/:id/reason', () => {
  it('records a manual reason: 200 with the correction, and the dispatcher hears of it', async () => {
    const res = await post('/api/tickets/zendesk/1161/reason', { reason: 'billing', author: 'ana' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      source: 'zendesk',
      ticketId: '1161',
      reasonId: 'billing',
      author: 'ana',
    });
    expect(await store.listManualReasons()).toEqual([
      { source: 'zendesk', ticketId: '1161', reasonId: 'billing', author: 'ana', createdAt: T0 },
    ]);
    expect(corrected).toEqual([{ source: 'zendesk', ticketId: '1161' }]);
    expect((await store.listPendingTickets(10)).map((p) => p.manualAuthor)).toEqual(['ana']);
  });

  it('stores a former id as the current one; null removes the correction', async () => {
    const res = await post('/api/tickets/zendesk/1161/reason', { reason: 'login' });
    expect(await res.json()).toMatchObject({ reasonId: 'sign_in', author: 'api' });
    const removed = await post('/api/tickets/zendesk/1161/reason', { reason: null });
    expect(removed.status).toBe(200);
    expect(await store.listManualReasons()).toEqual([]);
  });

  it.each([
    [
      'an unknown reason',
      '/api/tickets/zendesk/1161/reason',
      { reason: 'nope' },
      'reason',
      /reason "nope" is not in the config/,
    ],
    [
      'an unknown ticket',
      '/api/tickets/zendesk/9999/reason',
      { reason: 'billing' },
      'ticket',
      /zendesk\/9999 has not been synced/,
    ],
    [
      'an unknown helpdesk',
      '/api/tickets/freshdesk/1161/reason',
      { reason: 'billing' },
      'source',
      /expected zendesk or intercom/,
    ],
    ['a body that is not JSON', '/api/tickets/zendesk/1161/reason', '{reason', 'body', /expected JSON/],
    ['a body without reason', '/api/tickets/zendesk/1161/reason', { author: 'ana' }, 'reason', /reason/],
    [
      'an unknown key',
      '/api/tickets/zendesk/1161/reason',
      { reason: 'billing', why: 'x' },
      'body',
      /why|unrecognized/i,
    ],
  ])('400 naming the field for %s, and nothing is stored', async (_name, path, body, field, message) => {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; field: string };
    expect(json.field).toBe(field);
    expect(json.error).toMatch(message);
    expect(await store.listManualReasons()).toEqual([]);
    expect(corrected).toEqual([]);
  });
});
