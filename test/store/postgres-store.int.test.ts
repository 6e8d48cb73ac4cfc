import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, openWarehouse } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestSchema, queryTestDatabase, type TestSchema } from '../helpers/postgres.js';
import { page, T0, ticket, user, warehouseTicket } from './fixtures.js';
import { describeStoreContract } from './store-contract.js';
import { postgresSnapshot } from './warehouse-snapshot.js';

async function openPostgres(url: string): Promise<PostgresStore> {
  const store = await openStore(url);
  if (!(store instanceof PostgresStore)) throw new Error('did not open a Postgres store');
  return store;
}

describeStoreContract('PostgresStore', async () => {
  const schema = await createTestSchema();
  const store = await openPostgres(schema.url);
  const warehouse = await openWarehouse(schema.url, store);
  return {
    store,
    warehouse,
    snapshot: () => postgresSnapshot(store),
    cleanup: async () => {
      await warehouse.close();
      await store.close();
      await schema.drop();
    },
  };
});

describe('PostgresStore in its own schema', () => {
  let schema: TestSchema;
  let store: PostgresStore;
  beforeEach(async () => {
    schema = await createTestSchema();
    store = await openPostgres(schema.url);
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  it('gives the warehouse tables the Contract types: timestamptz, boolean, date, double precision', async () => {
    const columns = await queryTestDatabase<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND table_name LIKE 'zt\\_%' ORDER BY table_name, column_name`,
      [schema.schema],
    );
    const typeOf = (table: string, column: string) =>
      columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;

    for (const table of ['zt_customer_status', 'zt_tickets', 'zt_metric_periods', 'zt_reason_daily']) {
      expect(typeOf(table, 'exported_at')).toBe('timestamp with time zone');
    }
    for (const column of ['window_start', 'completed_at', 'window_end', 'computed_at']) {
      expect(typeOf('zt_customer_status', column)).toBe('timestamp with time zone');
    }
    expect(typeOf('zt_tickets', 'created_at')).toBe('timestamp with time zone');
    expect(typeOf('zt_tickets', 'updated_at')).toBe('timestamp with time zone');
    expect(typeOf('zt_tickets', 'in_window')).toBe('boolean');
    expect(typeOf('zt_tickets', 'counts_toward_metric')).toBe('boolean');
    expect(typeOf('zt_tickets', 'reason_confidence')).toBe('double precision');
    expect(typeOf('zt_tickets', 'ticket_id')).toBe('text');
    expect(typeOf('zt_metric_periods', 'period_start')).toBe('date');
    expect(typeOf('zt_metric_periods', 'zero_ticket_pct')).toBe('double precision');
    expect(typeOf('zt_reason_daily', 'day')).toBe('date');
    expect(typeOf('zt_reason_daily', 'tickets')).toBe('integer');
  });

  it('keeps every table, and the migrations table, inside its schema', async () => {
    const tables = await queryTestDatabase<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema.schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['__drizzle_migrations', 'tickets', 'zt_tickets']),
    );
    const [migrations] = await queryTestDatabase<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema.schema}".__drizzle_migrations`,
    );
    expect(Number(migrations?.n)).toBeGreaterThan(0);

    // Opening again migrates nothing and keeps the rows.
    await store.commitSyncPage(page({ tickets: [ticket('1')] }));
    const again = await openPostgres(schema.url);
    expect(await again.getCursor('zd', 'tickets')).toBe('cursor-1');
    await again.close();
  });

  it('stores times as instants: a ticket reads back with the same epoch ms', async () => {
    await store.commitSyncPage(page({ tickets: [ticket('1', { createdAt: T0 + 123 })] }));
    const [row] = await queryTestDatabase<{ created_at: Date; utc: string }>(
      `SELECT created_at, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS utc
         FROM "${schema.schema}".tickets`,
    );
    expect(row?.created_at.getTime()).toBe(T0 + 123);
    expect(row?.utc).toBe('2025-03-01T10:00:00.123');
  });

  it('drops NUL characters Postgres cannot store instead of failing the page', async () => {
    await store.commitSyncPage(
      page({
        tickets: [ticket('1', { subject: 'a\u0000b', tags: ['x\u0000'], fields: { f: 'v\u0000' } })],
        users: [user('u1', { email: 'u\u00001@x.io' })],
      }),
    );
    const [pending] = await store.listPendingTickets(1);
    expect(pending?.ticket).toMatchObject({ subject: 'ab', tags: ['x'], fields: { f: 'v' } });
  });

  it('a warehouse in another schema has its own pool; closing it leaves the store open', async () => {
    const other = await createTestSchema();
    try {
      const warehouse = await openWarehouse(other.url, store);
      await warehouse.upsertTickets([warehouseTicket('1')], T0);
      await warehouse.close();
      expect((await postgresSnapshot(store)).tickets).toEqual([]);
      const rows = await queryTestDatabase<{ ticket_id: string }>(
        `SELECT ticket_id FROM "${other.schema}".zt_tickets`,
      );
      expect(rows).toEqual([{ ticket_id: '1' }]);
    } finally {
      await other.drop();
    }
  });

  it('a warehouse in the store schema shares the pool; closing it leaves the store open', async () => {
    const warehouse = await openWarehouse(schema.url, store);
    await warehouse.upsertTickets([warehouseTicket('1')], T0);
    await warehouse.close();
    expect((await postgresSnapshot(store)).tickets.map((r) => r.ticketId)).toEqual(['1']);
  });
});
