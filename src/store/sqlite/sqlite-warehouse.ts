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
import { ztCustomerStatus, ztMetricPeriods, ztReasonDaily, ztTickets } from './schema.js';

const ticketColumns = columnsExcept(ztTickets, 'source', 'ticketId', 'exportedAt');
const statusColumns = columnsExcept(ztCustomerStatus, 'customerId', 'exportedAt');
const periodColumns = columnsExcept(ztMetricPeriods, 'periodKind', 'periodStart', 'exportedAt');
const reasonDayColumns = columnsExcept(ztReasonDaily, 'day', 'reasonId', 'exportedAt');

/**
 * The `zt_*` tables in a SQLite file. Every write is an upsert by key that leaves a row alone
 * when nothing in it changed, so `exported_at` says when a row last changed and re-exporting
 * is free.
 */
export class SqliteWarehouse implements Warehouse {
  /** `closeConnection` is null when the connection belongs to the store. */
  constructor(
    private readonly db: SqliteDb,
    private readonly closeConnection: (() => void) | null,
  ) {}

  async upsertTickets(rows: WarehouseTicketRow[], exportedAt: number): Promise<void> {
    const unique = lastPerKey(rows, keyOf);
    writeTransaction(this.db, (tx) => {
      for (const part of chunk(unique, rowsPerStatement(14))) {
        tx.insert(ztTickets)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: [ztTickets.source, ztTickets.ticketId],
            set: { ...setExcluded(ticketColumns), exportedAt },
            setWhere: anyDiffers(Object.values(ticketColumns)),
          })
          .run();
      }
    });
  }

  async upsertCustomerStatus(rows: WarehouseStatusRow[], exportedAt: number): Promise<void> {
    const unique = lastPerKey(rows, (r) => r.customerId);
    writeTransaction(this.db, (tx) => {
      for (const part of chunk(unique, rowsPerStatement(11))) {
        tx.insert(ztCustomerStatus)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: ztCustomerStatus.customerId,
            set: { ...setExcluded(statusColumns), exportedAt },
            setWhere: anyDiffers(Object.values(statusColumns)),
          })
          .run();
      }
    });
  }

  async replaceMetricPeriods(rows: MetricPeriodRow[], exportedAt: number): Promise<void> {
    const unique = lastPerKey(rows, (r) => `${r.periodKind}/${r.periodStart}`);
    writeTransaction(this.db, (tx) => {
      for (const part of chunk(unique, rowsPerStatement(7))) {
        tx.insert(ztMetricPeriods)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: [ztMetricPeriods.periodKind, ztMetricPeriods.periodStart],
            set: { ...setExcluded(periodColumns), exportedAt },
            setWhere: anyDiffers(Object.values(periodColumns)),
          })
          .run();
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
        tx.delete(ztMetricPeriods).where(condition).run();
      }
    });
  }

  async replaceReasonDaily(rows: ReasonDailyRow[], exportedAt: number): Promise<void> {
    const unique = lastPerKey(rows, (r) => `${r.day}/${r.reasonId}`);
    writeTransaction(this.db, (tx) => {
      for (const part of chunk(unique, rowsPerStatement(4))) {
        tx.insert(ztReasonDaily)
          .values(part.map((row) => ({ ...row, exportedAt })))
          .onConflictDoUpdate({
            target: [ztReasonDaily.day, ztReasonDaily.reasonId],
            set: { ...setExcluded(reasonDayColumns), exportedAt },
            setWhere: anyDiffers(Object.values(reasonDayColumns)),
          })
          .run();
      }
      const keep = new Set(unique.map((r) => `${r.day}/${r.reasonId}`));
      const stale = tx
        .select({ day: ztReasonDaily.day, reasonId: ztReasonDaily.reasonId })
        .from(ztReasonDaily)
        .all()
        .filter((r) => !keep.has(`${r.day}/${r.reasonId}`))
        .map((r) => [r.reasonId, r.day] as const);
      for (const condition of pairConditions(ztReasonDaily.reasonId, ztReasonDaily.day, stale)) {
        tx.delete(ztReasonDaily).where(condition).run();
      }
    });
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
