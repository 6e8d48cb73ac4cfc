import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, openWarehouse } from '../../src/store/open-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { page, result, status, T0, ticket, warehouseTicket } from './fixtures.js';
import { describeStoreContract } from './store-contract.js';
import { sqliteSnapshot } from './warehouse-snapshot.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zt-sqlite-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openSqlite(url: string): Promise<SqliteStore> {
  const store = await openStore(url);
  if (!(store instanceof SqliteStore)) throw new Error(`${url} did not open a SQLite store`);
  return store;
}

describeStoreContract('SqliteStore', async () => {
  const url = `file:${join(dir, 'zerotickets.db')}`;
  const store = await openSqlite(url);
  const warehouse = await openWarehouse(url, store);
  return {
    store,
    warehouse,
    snapshot: () => sqliteSnapshot(store),
    cleanup: async () => {
      await warehouse.close();
      await store.close();
    },
  };
});

describe('SqliteStore on disk', () => {
  it('stores times as ISO-8601 UTC text and booleans as 0/1, in the store and the warehouse', async () => {
    const file = join(dir, 'zt.db');
    const store = await openSqlite(file);
    const warehouse = await openWarehouse(file, store);
    await store.commitSyncPage(page({ tickets: [ticket('1')] }));
    await warehouse.upsertTickets([warehouseTicket('1', { inWindow: false })], T0);
    await warehouse.upsertCustomerStatus([{ ...status('acme'), name: 'Acme', computedAt: T0 }], T0);
    await warehouse.replaceMetricPeriods(
      [
        {
          periodKind: 'week',
          periodStart: '2025-03-03',
          closedWindows: 1,
          zeroTickets: 1,
          hadTickets: 0,
          zeroTicketPct: 100,
        },
      ],
      T0,
    );
    await warehouse.close();
    await store.close();

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare('SELECT created_at, outbound, tags FROM tickets').get()).toEqual({
        created_at: '2025-03-01T10:00:00.000Z',
        outbound: 0,
        tags: '["login","urgent"]',
      });
      expect(
        raw
          .prepare(
            'SELECT created_at, updated_at, in_window, counts_toward_metric, exported_at FROM zt_tickets',
          )
          .get(),
      ).toEqual({
        created_at: '2025-03-01T10:00:00.000Z',
        updated_at: '2025-03-01T10:00:01.000Z',
        in_window: 0,
        counts_toward_metric: 1,
        exported_at: '2025-03-01T10:00:00.000Z',
      });
      expect(raw.prepare('SELECT window_start, window_end FROM zt_customer_status').get()).toEqual({
        window_start: '2025-02-19T10:00:00.000Z',
        window_end: null,
      });
      expect(raw.prepare('SELECT period_start, zero_ticket_pct FROM zt_metric_periods').get()).toEqual({
        period_start: '2025-03-03',
        zero_ticket_pct: 100,
      });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('reopens an existing file without re-running migrations, and keeps its rows', async () => {
    const url = `file://${join(dir, 'nested', 'zt.db')}`;
    const first = await openSqlite(url);
    await first.commitSyncPage(page({ tickets: [ticket('1')] }));
    await first.saveTicketResults([result('1', 'acme')]);
    await first.close();

    const again = await openSqlite(url);
    expect(await again.getCursor('zd', 'tickets')).toBe('cursor-1');
    expect((await again.listUnexportedTickets(10)).map((r) => r.customerId)).toEqual(['acme']);
    await again.close();
  });

  it('a warehouse in another file has its own connection; closing it leaves the store open', async () => {
    const store = await openSqlite(join(dir, 'state.db'));
    const warehouse = await openWarehouse(join(dir, 'warehouse.db'), store);
    await warehouse.upsertTickets([warehouseTicket('1')], T0);
    await warehouse.close();
    expect(await store.countCustomers()).toBe(0);
    expect((await sqliteSnapshot(store)).tickets).toEqual([]);
    await store.close();

    const raw = new Database(join(dir, 'warehouse.db'), { readonly: true });
    expect(raw.prepare('SELECT ticket_id FROM zt_tickets').all()).toEqual([{ ticket_id: '1' }]);
    raw.close();
  });

  it('a warehouse on the store file shares the connection; closing it leaves the store open', async () => {
    const store = await openSqlite(join(dir, 'zt.db'));
    const warehouse = await openWarehouse(`file:${join(dir, 'zt.db')}`, store);
    await warehouse.upsertTickets([warehouseTicket('1')], T0);
    await warehouse.close();
    expect((await sqliteSnapshot(store)).tickets.map((r) => r.ticketId)).toEqual(['1']);
    await store.close();
  });
});
