import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { afterBulkChange, BULK_CHANGE_ROWS } from '../../src/store/statistics.js';
import { createTestSchema, queryTestDatabase, type TestSchema } from '../helpers/postgres.js';
import { page, ticket } from './fixtures.js';

/**
 * After a bulk change the pipeline refreshes the planner's statistics of its own schema: on a
 * freshly filled Postgres table the per-batch reads were planned as scans of every ticket.
 */
describe('planner statistics after a bulk change (Postgres)', () => {
  let schema: TestSchema;
  let store: PostgresStore;
  beforeEach(async () => {
    schema = await createTestSchema();
    const opened = await openStore(schema.url);
    if (!(opened instanceof PostgresStore)) throw new Error('did not open a Postgres store');
    store = opened;
    // A handful of rows: far below autovacuum's own threshold, so only we analyze.
    await store.commitSyncPage(page({ tickets: ['1', '2', '3'].map((id) => ticket(id)) }));
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  const analyzed = async (table: string) => {
    const rows = await queryTestDatabase<{ analyzed: boolean }>(
      `SELECT last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables
        WHERE schemaname = $1 AND relname = $2`,
      [schema.schema, table],
    );
    return rows[0]?.analyzed ?? false;
  };

  it('analyzes the tables named, in the store schema, and no other', async () => {
    expect(await analyzed('tickets')).toBe(false);
    await store.refreshStatistics(['tickets', 'pending_tickets']);
    expect(await analyzed('tickets')).toBe(true);
    expect(await analyzed('pending_tickets')).toBe(true);
    // Still empty, to be filled by the next step: left unanalyzed, so not planned as empty.
    expect(await analyzed('ticket_links')).toBe(false);
    const [row] = await queryTestDatabase<{ tuples: number }>(
      `SELECT reltuples::int AS tuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = 'tickets'`,
      [schema.schema],
    );
    expect(row?.tuples).toBe(3);
  });

  it('refreshes only past a bulk change', async () => {
    await afterBulkChange(store, BULK_CHANGE_ROWS - 1, ['tickets']);
    expect(await analyzed('tickets')).toBe(false);
    await afterBulkChange(store, BULK_CHANGE_ROWS, ['tickets']);
    expect(await analyzed('tickets')).toBe(true);
  });
});
