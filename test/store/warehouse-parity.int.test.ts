import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PostgresWarehouse } from '../../src/store/postgres/postgres-warehouse.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SqliteWarehouse } from '../../src/store/sqlite/sqlite-warehouse.js';
import type { Warehouse } from '../../src/store/store.js';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.js';
import { DAY, status, T0, warehouseTicket } from './fixtures.js';
import { postgresSnapshot, sqliteSnapshot } from './warehouse-snapshot.js';

let dir = '';
let schema: TestSchema;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zt-parity-'));
  schema = await createTestSchema();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await schema.drop();
});

async function exportTo(warehouse: Warehouse): Promise<void> {
  await warehouse.upsertTickets(
    [
      warehouseTicket('1'),
      warehouseTicket('2', {
        source: 'intercom',
        customerId: null,
        linkMethod: 'none',
        milestonePhase: null,
      }),
      warehouseTicket('3', {
        reasonConfidence: 1 / 3,
        inWindow: false,
        countsTowardMetric: false,
        createdAt: T0 + 123,
      }),
    ],
    T0,
  );
  await warehouse.upsertTickets([warehouseTicket('1', { status: 'solved' })], T0 + DAY);
  await warehouse.upsertCustomerStatus(
    [
      { ...status('acme'), name: 'Acme', computedAt: T0 },
      {
        ...status('globex', {
          status: 'had_tickets',
          completedAt: T0,
          windowEnd: T0 + 14 * DAY,
          countingTickets: 2,
        }),
        firstTicketId: '1',
        firstTicketReason: 'login',
        name: 'Globex',
        computedAt: T0 + 1,
      },
    ],
    T0,
  );
  await warehouse.replaceMetricPeriods(
    [
      {
        periodKind: 'week',
        periodStart: '2025-03-03',
        closedWindows: 3,
        zeroTickets: 1,
        hadTickets: 2,
        zeroTicketPct: 100 / 3,
      },
      {
        periodKind: 'month',
        periodStart: '2025-03-01',
        closedWindows: 3,
        zeroTickets: 1,
        hadTickets: 2,
        zeroTicketPct: 100 / 3,
      },
    ],
    T0,
  );
  await warehouse.replaceReasonDaily(
    [
      { day: '2025-03-01', reasonId: 'login', tickets: 2 },
      { day: '2025-03-02', reasonId: 'unclassified', tickets: 1 },
    ],
    T0,
  );
}

it('the SQLite and Postgres warehouses hold identical rows for the same export', async () => {
  const sqlite = await openSqliteStore({ file: join(dir, 'zt.db') });
  const postgres = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.schema });
  try {
    await exportTo(new SqliteWarehouse(sqlite.db, null));
    await exportTo(new PostgresWarehouse(postgres.db, null));

    const fromSqlite = await sqliteSnapshot(sqlite);
    expect(fromSqlite.tickets).toHaveLength(3);
    expect(fromSqlite.tickets.find((t) => t.ticketId === '1')).toMatchObject({
      status: 'solved',
      exportedAt: T0 + DAY,
    });
    expect(await postgresSnapshot(postgres)).toEqual(fromSqlite);
  } finally {
    await sqlite.close();
    await postgres.close();
  }
});
