import { asc, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldValue, Ticket } from '../../src/domain/ticket.js';
import { lastPerKey } from '../../src/store/batch.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PostgresWarehouse } from '../../src/store/postgres/postgres-warehouse.js';
import * as schema from '../../src/store/postgres/schema.js';
import { withoutNul } from '../../src/store/postgres/text.js';
import { keyOf, ticketFromRow, ticketRow } from '../../src/store/rows.js';
import type { TicketKey, WarehouseTicketRow } from '../../src/store/store.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.js';
import { page, ticket } from './fixtures.js';

/**
 * Rows written as one array per column (unnest-upsert.ts) and read by hand-written SQL
 * (raw-rows.ts) come back as they went in, whatever their text holds: the characters that
 * array literals and JSON quote or escape, NUL (which Postgres refuses: dropped, see text.ts),
 * empty strings, the word NULL, unicode beyond the BMP.
 */

/** Strings built mostly from characters with a meaning in array literals or JSON. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u0000',
      '"',
      '\\',
      '{',
      '}',
      ',',
      ' ',
      "'",
      '\n',
      '\t',
      '[',
      ']',
      ':',
      'é',
      '😀',
      '\u2028',
    ),
    fc.constantFrom('NULL', 'null', 'true', '""', '{}', '\\N'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
/** Ids stay distinct once NUL is dropped: two copies of one key in a page are not what this tests. */
const ticketId = tricky.map((s) => `${s.replaceAll('\u0000', '')}#`);
const time = fc.integer({ min: -1_000_000_000_000, max: 4_000_000_000_000 });
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  tricky,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.array(tricky, { maxLength: 3 }),
);

const ticketArbitrary: fc.Arbitrary<Ticket> = fc.record({
  source: fc.constantFrom('zendesk', 'intercom'),
  connectionId: tricky,
  ticketId,
  createdAt: time,
  updatedAt: time,
  status: tricky,
  subject: tricky,
  text: tricky,
  tags: fc.array(tricky, { maxLength: 4 }),
  fields: fc.dictionary(tricky, fieldValue, { maxKeys: 4 }),
  requester: fc.record({
    id: nullable(tricky),
    externalId: nullable(tricky),
    email: nullable(tricky),
    organizationExternalIds: fc.array(tricky, { maxLength: 3 }),
  }),
  outbound: fc.boolean(),
  deleted: fc.boolean(),
  merged: fc.boolean(),
});

const warehouseRowArbitrary: fc.Arbitrary<WarehouseTicketRow> = fc.record({
  source: fc.constantFrom('zendesk', 'intercom'),
  ticketId,
  customerId: nullable(tricky),
  linkMethod: fc.constantFrom('external_id', 'email', 'domain', 'organization', 'none'),
  createdAt: time,
  updatedAt: time,
  status: tricky,
  reasonId: tricky,
  reasonConfidence: number,
  classifiedBy: fc.constantFrom('manual', 'tag', 'field', 'rule', 'model', 'none'),
  reasonDetail: tricky,
  milestonePhase: nullable(tricky),
  inWindow: fc.boolean(),
  countsTowardMetric: fc.boolean(),
});

const byKey = <T extends TicketKey>(rows: T[]) =>
  [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

describe('Postgres array-bound writes and hand-written reads', () => {
  let test: TestSchema;
  let store: PostgresStore;
  let warehouse: PostgresWarehouse;

  beforeAll(async () => {
    test = await createTestSchema();
    store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: test.schema });
    warehouse = new PostgresWarehouse(store.db, null);
  });
  afterAll(async () => {
    await store.close();
    await test.drop();
  });

  const empty = () =>
    store.db.execute(sql`TRUNCATE tickets, pending_tickets, unexported_tickets, helpdesk_users, zt_tickets`);

  it('a synced page reads back as it went in, NUL dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(ticketArbitrary, { selector: keyOf, maxLength: 6 }),
        async (tickets) => {
          await empty();
          await store.commitSyncPage(page({ tickets }));
          const expected = byKey(tickets.map((t) => ticketFromRow(withoutNul(ticketRow(t)))));

          const pending = await store.listPendingTickets(100);
          expect(byKey(pending.map((p) => p.ticket))).toEqual(expected);
          // The same rows through drizzle's own reading of the table.
          const stored = await store.db.select().from(schema.tickets);
          expect(byKey(stored.map(ticketFromRow))).toEqual(expected);
          expect(stored.map((r) => r.requesterDomain).every((d) => d === null || !d.includes('\u0000'))).toBe(
            true,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('helpdesk users read back as they went in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            connectionId: fc.constant<string>('zd'),
            userId: ticketId,
            externalId: nullable(tricky),
            email: nullable(tricky),
            role: nullable(fc.constantFrom('staff' as const, 'customer' as const)),
            organizationIds: fc.array(tricky, { maxLength: 3 }),
          }),
          { selector: (u) => u.userId, maxLength: 6 },
        ),
        async (users) => {
          await empty();
          await store.commitSyncPage(page({ users }));
          const read = await store.getHelpdeskUsers(
            'zd',
            users.map((u) => u.userId),
          );
          const order = (list: typeof users) => [...list].sort((a, b) => (a.userId < b.userId ? -1 : 1));
          expect(order(read)).toEqual(order(users.map(withoutNul)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a queued key without its ticket is skipped, and the page still fills', async () => {
    await empty();
    await store.commitSyncPage(page({ tickets: ['2', '4', '6'].map((id) => ticket(id)) }));
    // Keys before, between and after the real ones; the store itself never leaves such a key.
    for (const queue of ['pending_tickets', 'unexported_tickets']) {
      await store.db.execute(
        sql`INSERT INTO ${sql.identifier(queue)} (source, ticket_id) VALUES ('zendesk', '1'), ('zendesk', '3'), ('zendesk', '5')`,
      );
    }
    expect((await store.listPendingTickets(2)).map((p) => p.ticket.ticketId)).toEqual(['2', '4']);
    expect((await store.listPendingTickets(5)).map((p) => p.ticket.ticketId)).toEqual(['2', '4', '6']);
    expect(
      (await store.listPendingTickets(5, { source: 'zendesk', ticketId: '2' })).map((p) => p.ticket.ticketId),
    ).toEqual(['4', '6']);
    expect((await store.listUnexportedTickets(2)).map((t) => t.ticketId)).toEqual(['2', '4']);
  });

  it('warehouse tickets: written as given, counted only when written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(warehouseRowArbitrary, { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        time,
        async (rows, change, exportedAt) => {
          await empty();
          const unique = lastPerKey(rows, keyOf);
          expect(await warehouse.upsertTickets(rows, exportedAt)).toBe(unique.length);
          const expected = byKey(unique.map((r) => ({ ...withoutNul(r), exportedAt })));
          const read = await store.db
            .select()
            .from(schema.ztTickets)
            .orderBy(asc(schema.ztTickets.source), asc(schema.ztTickets.ticketId));
          expect(byKey(read)).toEqual(expected);

          // The same rows again: nothing written, exported_at kept.
          expect(await warehouse.upsertTickets(rows, exportedAt + 1)).toBe(0);
          // Some rows changed: only those are written, and only they get the new exported_at.
          const changed = unique.map((r, i) => (change[i] ? { ...r, inWindow: !r.inWindow } : r));
          const count = unique.filter((_, i) => change[i]).length;
          expect(await warehouse.upsertTickets(changed, exportedAt + 2)).toBe(count);
          const after = await store.db.select().from(schema.ztTickets);
          expect(byKey(after)).toEqual(
            byKey(
              changed.map((r, i) => ({
                ...withoutNul(r),
                exportedAt: change[i] ? exportedAt + 2 : exportedAt,
              })),
            ),
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
