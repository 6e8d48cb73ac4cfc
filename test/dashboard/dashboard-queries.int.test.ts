import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/domain/reason.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema } from '../helpers/postgres.js';
import { key, NONE, page, RULE, result, status, T0, ticket } from '../store/fixtures.js';
import { CHAT_TEXT, SEEDED_AT, seedRecentTickets } from './recent-tickets-seed.js';

const BILLING: Classification = {
  reasonId: 'billing',
  confidence: 1,
  classifiedBy: 'tag',
  detail: 'tag:billing',
};

/** Two customers, tickets in several phases (null: before any milestone); 6 does not count, 7 is unlinked. */
async function seed(store: Store): Promise<void> {
  await store.commitSyncPage(
    page({ tickets: ['1', '2', '3', '4', '5', '6', '7', '8'].map((id) => ticket(id)) }),
  );
  await store.saveTicketResults([
    result('1', 'acme', RULE),
    result('2', 'acme', RULE),
    result('3', 'globex', RULE),
    result('4', 'globex', BILLING),
    result('5', 'globex', NONE),
    result('6', 'acme', BILLING),
    result('7', null, BILLING),
    result('8', 'acme', RULE),
  ]);
  const verdict = (id: string, phase: string | null, counts = true) => ({
    ...key(id),
    inWindow: counts,
    countsTowardMetric: counts,
    milestonePhase: phase,
  });
  await store.saveCustomerResults(
    ['acme', 'globex'],
    [
      {
        status: status('acme'),
        tickets: [
          verdict('1', 'signed_up'),
          verdict('2', 'signed_up'),
          verdict('6', 'invited', false),
          verdict('8', null),
        ],
      },
      {
        status: status('globex'),
        tickets: [verdict('3', 'invited'), verdict('4', null), verdict('5', 'invited')],
      },
    ],
    T0,
  );
}

async function expectDashboardQueries(store: Store): Promise<void> {
  await seed(store);
  expect(await store.reasonPhases()).toEqual([
    { reasonId: 'billing', milestonePhase: null, tickets: 1 },
    { reasonId: 'login', milestonePhase: null, tickets: 1 },
    { reasonId: 'login', milestonePhase: 'invited', tickets: 1 },
    { reasonId: 'login', milestonePhase: 'signed_up', tickets: 2 },
    { reasonId: 'unclassified', milestonePhase: 'invited', tickets: 1 },
  ]);
  expect(await store.reasonCustomers()).toEqual([
    { reasonId: 'billing', customers: 1 },
    { reasonId: 'login', customers: 2 },
    { reasonId: 'unclassified', customers: 1 },
  ]);
}

async function expectRecentTickets(store: Store): Promise<void> {
  await seedRecentTickets(store);
  const all = await store.listRecentTickets({ limit: 50 });
  // Newest first; r4 does not count, so it is not listed.
  expect(all.map((t) => t.ticketId)).toEqual(['r6', 'r5', 'r3', 'r2', 'r1']);
  expect(all[0]).toEqual({
    source: 'zendesk',
    ticketId: 'r6',
    connectionId: 'zd',
    subject: 'Subject r6',
    createdAt: SEEDED_AT.r6,
    customerId: 'acme',
    customerName: 'Acme Inc',
    reasonId: 'billing',
    confidence: 0.91,
    classifiedBy: 'model',
    detail: 'model:0.91',
  });
  const byId = new Map(all.map((t) => [t.ticketId, t]));
  expect(byId.get('r5')).toMatchObject({ customerId: 'globex', customerName: null, detail: 'manual:ana' });
  expect(byId.get('r3')).toMatchObject({ reasonId: 'unclassified', classifiedBy: 'none', detail: '' });
  expect(byId.get('r2')?.subject).toBe(CHAT_TEXT.slice(0, 120));
  expect(byId.get('r1')).toMatchObject({ classifiedBy: 'rule', detail: 'keyword:log in' });

  expect((await store.listRecentTickets({ limit: 2 })).map((t) => t.ticketId)).toEqual(['r6', 'r5']);
  const billing = await store.listRecentTickets({ reasonId: 'billing', limit: 50 });
  expect(billing.map((t) => t.ticketId)).toEqual(['r6', 'r2']);
  const unclassified = await store.listRecentTickets({ reasonId: 'unclassified', limit: 50 });
  expect(unclassified.map((t) => t.ticketId)).toEqual(['r3']);
  expect(await store.listRecentTickets({ reasonId: 'nope', limit: 50 })).toEqual([]);
}

describe.each([
  ['counting tickets by reason and phase, and customers hit', expectDashboardQueries],
  ['the latest counting tickets with why they have their reason', expectRecentTickets],
])('dashboard queries: %s', (_name, expectQueries) => {
  it('on SQLite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-dashboard-queries-'));
    const store = await openStore(`file:${join(dir, 'zt.db')}`);
    try {
      await expectQueries(store);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on Postgres', async () => {
    const schema = await createTestSchema();
    const store = await openStore(schema.url);
    try {
      await expectQueries(store);
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
