import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportWarehouse } from '../../src/jobs/handlers/export-warehouse.js';
import { silentLogger } from '../../src/logger.js';
import { openWarehouse } from '../../src/store/open-store.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store, Warehouse } from '../../src/store/store.js';
import {
  createTestSchema,
  queryTestDatabase,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../helpers/postgres.js';
import { DAY, key, page, RULE, result, status, T0, ticket } from './fixtures.js';
import { postgresSnapshot, sqliteSnapshot, type WarehouseSnapshot } from './warehouse-snapshot.js';

/**
 * The export handler end to end on each dialect, the warehouse in a database of its own
 * (`WAREHOUSE_URL`): only changed rows are written, a run with no change writes nothing.
 */
interface Harness {
  store: Store;
  warehouse: Warehouse;
  snapshot(): Promise<WarehouseSnapshot>;
  /** What an analyst's `TRUNCATE` (or a new, empty warehouse) leaves. */
  emptyTables(): Promise<void>;
  close(): Promise<void>;
}

const EMPTIED = ['zt_tickets', 'zt_customer_status'];

const dialects: Array<[string, () => Promise<Harness>]> = [
  [
    'sqlite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zt-export-'));
      const store = await openSqliteStore({ file: join(dir, 'state.db') });
      const warehouseFile = join(dir, 'warehouse.db');
      const warehouse = await openWarehouse(`file:${warehouseFile}`, store);
      const reader: SqliteStore = await openSqliteStore({ file: warehouseFile });
      return {
        store,
        warehouse,
        snapshot: () => sqliteSnapshot(reader),
        emptyTables: async () => {
          for (const name of EMPTIED) reader.db.run(sql.raw(`DELETE FROM ${name}`));
        },
        close: async () => {
          await warehouse.close();
          await reader.close();
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const state: TestSchema = await createTestSchema();
      // The warehouse schema does not exist yet: opening it creates and migrates it.
      const warehouseSchema = `${state.schema}_wh`;
      const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: state.schema });
      const warehouse = await openWarehouse(`${TEST_DATABASE_URL}?schema=${warehouseSchema}`, store);
      const reader: PostgresStore = await openPostgresStore({
        url: TEST_DATABASE_URL,
        schema: warehouseSchema,
      });
      return {
        store,
        warehouse,
        snapshot: () => postgresSnapshot(reader),
        emptyTables: async () => {
          for (const name of EMPTIED) await queryTestDatabase(`DELETE FROM "${warehouseSchema}".${name}`);
        },
        close: async () => {
          await warehouse.close();
          await reader.close();
          await store.close();
          await state.drop();
          await queryTestDatabase(`DROP SCHEMA IF EXISTS "${warehouseSchema}" CASCADE`);
        },
      };
    },
  ],
];

async function seed(store: Store): Promise<void> {
  await store.upsertCustomers([
    { id: 'acme', name: 'Acme', emails: [], domains: [] },
    { id: 'globex', name: 'Globex', emails: [], domains: [] },
  ]);
  const tickets = Array.from({ length: 7 }, (_, i) => ticket(String(i + 1), { createdAt: T0 + i * 1000 }));
  await store.commitSyncPage(page({ tickets }));
  await store.saveTicketResults(tickets.map((t, i) => result(t.ticketId, i % 2 === 0 ? 'acme' : null, RULE)));
  await store.saveCustomerResults(
    ['acme', 'globex'],
    [
      {
        status: status('acme', { status: 'had_tickets', countingTickets: 2, firstTicketId: '1' }),
        tickets: ['1', '3'].map((id) => ({
          ...key(id),
          inWindow: true,
          countsTowardMetric: true,
          milestonePhase: 'go',
        })),
      },
      {
        status: status('globex', { status: 'zero_tickets', completedAt: T0, windowEnd: T0 + 14 * DAY }),
        tickets: [],
      },
    ],
    T0,
  );
  await store.saveMetricPeriods([
    {
      periodKind: 'week',
      periodStart: '2025-03-10',
      closedWindows: 1,
      zeroTickets: 1,
      hadTickets: 0,
      zeroTicketPct: 100,
    },
  ]);
}

describe.each(dialects)('warehouse export (%s)', (_name, open) => {
  let h: Harness;
  const progress: string[] = [];
  let clock = T0;
  const deps = () => ({
    store: h.store,
    warehouse: h.warehouse,
    logger: silentLogger(),
    now: () => clock,
    progress: (line: string) => progress.push(line),
  });
  beforeEach(async () => {
    h = await open();
    progress.length = 0;
    clock = T0 + 20 * DAY;
  });
  afterEach(async () => {
    await h.close();
  });

  it('batches a large export, then a run with no change writes nothing and keeps exported_at', async () => {
    await seed(h.store);
    const first = await exportWarehouse(deps(), { batch: 3 });
    expect(first).toMatchObject({
      tickets: 7,
      statuses: 2,
      periods: 1,
      reasonDays: 1,
      written: 7 + 2 + 1 + 1,
    });
    expect(progress.filter((l) => l.includes('tickets'))).toEqual([
      'export: 3 tickets',
      'export: 6 tickets',
      'export: 7 tickets',
    ]);
    const before = await h.snapshot();
    expect(before.tickets).toHaveLength(7);
    expect(before.reasonDaily).toEqual([
      { day: '2025-03-01', reasonId: 'login', tickets: 2, exportedAt: clock },
    ]);

    clock += DAY;
    const second = await exportWarehouse(deps(), { batch: 3 });
    // No ticket moved, so no reason day was read again.
    expect(second).toEqual({ tickets: 0, statuses: 0, periods: 1, reasonDays: 0, written: 0 });
    expect(await h.snapshot()).toEqual(before);
  });

  it('writes only the rows that changed', async () => {
    await seed(h.store);
    await exportWarehouse(deps());
    const exportedAt = clock;

    clock += DAY;
    await h.store.commitSyncPage(
      page({ tickets: [ticket('3', { createdAt: T0 + 2000, status: 'solved' })], cursor: 'c2' }),
    );
    await h.store.saveTicketResults([result('3', 'acme', RULE)]);
    // Re-linking the same ticket to the same customer, with the same result: not a change.
    await h.store.saveTicketResults([result('5', 'acme', RULE)]);
    const run = await exportWarehouse(deps());
    expect(run.written).toBe(1);

    const snapshot = await h.snapshot();
    expect(snapshot.tickets.filter((t) => t.exportedAt !== exportedAt)).toEqual([
      expect.objectContaining({ ticketId: '3', status: 'solved', exportedAt: clock }),
    ]);
  });

  it('refills a warehouse that was emptied', async () => {
    await seed(h.store);
    await exportWarehouse(deps());
    const full = await h.snapshot();
    await h.emptyTables();
    expect((await h.snapshot()).tickets).toEqual([]);

    const again = await exportWarehouse(deps());
    expect(again).toMatchObject({ tickets: 7, statuses: 2 });
    expect((await h.snapshot()).tickets).toEqual(full.tickets);
  });

  it('refreshes only the reason days of the tickets it exports, ending as a full rebuild would', async () => {
    await seed(h.store);
    await exportWarehouse(deps());
    const asked: Array<readonly string[] | undefined> = [];
    const store = watchReasonDays(h.store, asked);
    const run = () => exportWarehouse({ ...deps(), store });

    // A counting ticket three days later: only its day is read and written.
    await addCountingTicket(h.store, '8', T0 + 3 * DAY, true);
    clock += DAY;
    await run();
    expect(asked).toEqual([['2025-03-04']]);
    expect(await warehouseReasonDays()).toEqual(await storeReasonDays());
    expect(await warehouseReasonDays()).toEqual([
      { day: '2025-03-01', reasonId: 'login', tickets: 2 },
      { day: '2025-03-04', reasonId: 'login', tickets: 1 },
    ]);

    // It stops counting: its day's row goes, the other day's stays as it was.
    await addCountingTicket(h.store, '8', T0 + 3 * DAY, false);
    clock += DAY;
    await run();
    expect(asked.at(-1)).toEqual(['2025-03-04']);
    expect(await warehouseReasonDays()).toEqual([{ day: '2025-03-01', reasonId: 'login', tickets: 2 }]);
    expect(await warehouseReasonDays()).toEqual(await storeReasonDays());
  });

  it('rebuilds every reason day after a run that died before writing them', async () => {
    await seed(h.store);
    await exportWarehouse(deps());
    await addCountingTicket(h.store, '8', T0 + 3 * DAY, true);
    const failing = new Proxy(h.warehouse, {
      get: (target, name, receiver) =>
        name === 'replaceReasonDaily'
          ? async () => {
              throw new Error('warehouse went away');
            }
          : Reflect.get(target, name, receiver),
    });
    await expect(exportWarehouse({ ...deps(), warehouse: failing })).rejects.toThrow('warehouse went away');

    // The ticket was exported before the failure: nothing points at its day any more.
    const asked: Array<readonly string[] | undefined> = [];
    await exportWarehouse({ ...deps(), store: watchReasonDays(h.store, asked) });
    expect(asked).toEqual([undefined]);
    expect(await warehouseReasonDays()).toEqual(await storeReasonDays());
    expect((await warehouseReasonDays()).map((r) => r.day)).toEqual(['2025-03-01', '2025-03-04']);
  });

  async function warehouseReasonDays() {
    return (await h.snapshot()).reasonDaily.map(({ day, reasonId, tickets }) => ({ day, reasonId, tickets }));
  }

  async function storeReasonDays() {
    return h.store.reasonDaily();
  }
});

/** The store, noting the `days` of every `reasonDaily` call. */
function watchReasonDays(store: Store, asked: Array<readonly string[] | undefined>): Store {
  return new Proxy(store, {
    get: (target, name, receiver) => {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'reasonDaily') return typeof value === 'function' ? value.bind(target) : value;
      return (days?: readonly string[]) => {
        asked.push(days);
        return target.reasonDaily(days);
      };
    },
  });
}

/** Ticket `id` of acme created at `createdAt`, counting toward the metric or not. */
async function addCountingTicket(
  store: Store,
  id: string,
  createdAt: number,
  counts: boolean,
): Promise<void> {
  await store.commitSyncPage(page({ tickets: [ticket(id, { createdAt })], cursor: `c${id}` }));
  await store.saveTicketResults([result(id, 'acme', RULE)]);
  await store.saveCustomerResults(
    ['acme'],
    [
      {
        status: status('acme', {
          status: 'had_tickets',
          countingTickets: counts ? 3 : 2,
          firstTicketId: '1',
        }),
        tickets: [{ ...key(id), inWindow: counts, countsTowardMetric: counts, milestonePhase: 'go' }],
      },
    ],
    createdAt,
  );
}
