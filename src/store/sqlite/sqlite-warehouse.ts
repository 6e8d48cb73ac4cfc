import { inArray, sql } from 'drizzle-orm';
import { chunk, lastPerKey, rowsPerStatement } from '../batch.js';
import { keyOf } from '../rows.js';
import { anyDiffers, columnsExcept, pairConditions, setExcluded } from '../sql-helpers.js';
import type {
  MetricPeriodRow,
  ReasonDailyRow,
  Warehouse,
  WarehouseStatusRow,
  WarehouseTicketRow,
} from '../store.js';
import { openSqliteConnection, type SqliteDb, type SqliteOptions, writeTransaction } from './connection.js';
import { upsertEach } from './prepared.js';
import { ztCustomerStatus, ztMetricPeriods, ztReasonDaily, ztTickets } from './schema.js';

const periodColumns = columnsExcept(ztMetricPeriods, 'periodKind', 'periodStart', 'exportedAt');
const reasonDayColumns = columnsExcept(ztReasonDaily, 'day', 'reasonId', 'exportedAt');

/**
 * The `zt_*` tables in a SQLite file. Every write is an upsert by key that leaves a row alone
 * when nothing in it changed, so `exported_at` says when a row last changed and re-exporting
 * is free. Each method returns the rows it wrote: SQLite's change count leaves out the
 * upserts whose `WHERE` kept the stored row.
 */
export class SqliteWarehouse implements Warehouse {
  /** `closeConnection` is null when the connection belongs to the store. */
  constructor(
    private readonly db: SqliteDb,
    private readonly closeConnection: (() => void) | null,
  ) {}

  async upsertTickets(rows: WarehouseTicketRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, keyOf);
    // Prepared once, run per row (see prepared.ts): the first export writes every ticket.
    return writeTransaction(this.db, (tx) =>
      upsertEach(
        tx,
        ztTickets,
        ['source', 'ticketId'],
        unique.map((row) => ({ ...row, exportedAt })),
        { update: 'all', onlyIfChanged: true, ignoreInComparison: ['exportedAt'] },
      ),
    );
  }

  async upsertCustomerStatus(rows: WarehouseStatusRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, (r) => r.customerId);
    // Prepared once, run per row, as the tickets: the first export writes every customer.
    return writeTransaction(this.db, (tx) =>
      upsertEach(
        tx,
        ztCustomerStatus,
        ['customerId'],
        unique.map((row) => ({ ...row, exportedAt })),
        { update: 'all', onlyIfChanged: true, ignoreInComparison: ['exportedAt'] },
      ),
    );
  }

  async replaceMetricPeriods(rows: MetricPeriodRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, (r) => `${r.periodKind}/${r.periodStart}`);
    return writeTransaction(this.db, (tx) => {
      let written = 0;
      for (const part of chunk(unique, rowsPerStatement(7))) {
        written += tx
          .insert(ztMetricPeriods)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: [ztMetricPeriods.periodKind, ztMetricPeriods.periodStart],
            set: { ...setExcluded(periodColumns), exportedAt },
            setWhere: anyDiffers(Object.values(periodColumns)),
          })
          .run().changes;
      }
      const keep = new Set(unique.map((r) => `${r.periodKind}/${r.periodStart}`));
      const stale = tx
        .select({ kind: ztMetricPeriods.periodKind, start: ztMetricPeriods.periodStart })
        .from(ztMetricPeriods)
        .all()
        .filter((r) => !keep.has(`${r.kind}/${r.start}`))
        .map((r) => [r.kind, r.start] as const);
      for (const condition of pairConditions(
        ztMetricPeriods.periodKind,
        ztMetricPeriods.periodStart,
        stale,
      )) {
        written += tx.delete(ztMetricPeriods).where(condition).run().changes;
      }
      return written;
    });
  }

  async replaceReasonDaily(
    rows: ReasonDailyRow[],
    exportedAt: number,
    days?: readonly string[],
  ): Promise<number> {
    const unique = lastPerKey(rows, (r) => `${r.day}/${r.reasonId}`);
    return writeTransaction(this.db, (tx) => {
      let written = 0;
      for (const part of chunk(unique, rowsPerStatement(4))) {
        written += tx
          .insert(ztReasonDaily)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: [ztReasonDaily.day, ztReasonDaily.reasonId],
            set: { ...setExcluded(reasonDayColumns), exportedAt },
            setWhere: anyDiffers(Object.values(reasonDayColumns)),
          })
          .run().changes;
      }
      const keep = new Set(unique.map((r) => `${r.day}/${r.reasonId}`));
      const stale = tx
        .select({ day: ztReasonDaily.day, reasonId: ztReasonDaily.reasonId })
        .from(ztReasonDaily)
        .where(days === undefined ? undefined : inArray(ztReasonDaily.day, [...days]))
        .all()
        .filter((r) => !keep.has(`${r.day}/${r.reasonId}`))
        .map((r) => [r.reasonId, r.day] as const);
      for (const condition of pairConditions(ztReasonDaily.reasonId, ztReasonDaily.day, stale)) {
        written += tx.delete(ztReasonDaily).where(condition).run().changes;
      }
      return written;
    });
  }

  async emptyTables(): Promise<{ tickets: boolean; statuses: boolean }> {
    const tickets = this.db.select({ one: sql<number>`1` }).from(ztTickets).limit(1).all();
    const statuses = this.db.select({ one: sql<number>`1` }).from(ztCustomerStatus).limit(1).all();
    return { tickets: tickets.length === 0, statuses: statuses.length === 0 };
  }

  async close(): Promise<void> {
    this.closeConnection?.();
  }
}

/** A warehouse in its own SQLite file (migrated like a store, so it holds the same tables). */
export function openSqliteWarehouse(options: SqliteOptions): SqliteWarehouse {
  const { db, client } = openSqliteConnection(options);
  return new SqliteWarehouse(db, () => client.close());
}
