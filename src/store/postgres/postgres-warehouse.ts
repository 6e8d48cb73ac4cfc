import { inArray, sql } from 'drizzle-orm';
import { lastPerKey } from '../batch.js';
import { keyOf } from '../rows.js';
import { pairConditions } from '../sql-helpers.js';
import type {
  MetricPeriodRow,
  ReasonDailyRow,
  Warehouse,
  WarehouseStatusRow,
  WarehouseTicketRow,
} from '../store.js';
import { openPostgresConnection, type PgDb, type PostgresOptions } from './connection.js';
import { ztCustomerStatus, ztMetricPeriods, ztReasonDaily, ztTickets } from './schema.js';
import { withoutNul } from './text.js';
import { type UnnestUpsert, unnestUpsert } from './unnest-upsert.js';

const ticketUpsert: UnnestUpsert<typeof ztTickets, 'exportedAt'> = {
  table: ztTickets,
  keys: ['source', 'ticketId'],
  update: 'changed',
  constants: ['exportedAt'],
};
const statusUpsert: UnnestUpsert<typeof ztCustomerStatus, 'exportedAt'> = {
  table: ztCustomerStatus,
  keys: ['customerId'],
  update: 'changed',
  constants: ['exportedAt'],
};
const periodUpsert: UnnestUpsert<typeof ztMetricPeriods, 'exportedAt'> = {
  table: ztMetricPeriods,
  keys: ['periodKind', 'periodStart'],
  update: 'changed',
  constants: ['exportedAt'],
};
const reasonDayUpsert: UnnestUpsert<typeof ztReasonDaily, 'exportedAt'> = {
  table: ztReasonDaily,
  keys: ['day', 'reasonId'],
  update: 'changed',
  constants: ['exportedAt'],
};

/**
 * The `zt_*` tables in a Postgres schema. Every write is an upsert by key that leaves a row
 * alone when nothing in it changed, so `exported_at` says when a row last changed and
 * re-exporting is free. Each method returns the rows it wrote: Postgres's row count leaves out
 * the upserts whose `WHERE` kept the stored row.
 */
export class PostgresWarehouse implements Warehouse {
  /** `closeConnection` is null when the pool belongs to the store. */
  constructor(
    private readonly db: PgDb,
    private readonly closeConnection: (() => Promise<void>) | null,
  ) {}

  async upsertTickets(rows: WarehouseTicketRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, keyOf).map(withoutNul);
    return this.db.transaction((tx) => unnestUpsert(tx, ticketUpsert, unique, { exportedAt }));
  }

  async upsertCustomerStatus(rows: WarehouseStatusRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, (r) => r.customerId).map(withoutNul);
    return this.db.transaction((tx) => unnestUpsert(tx, statusUpsert, unique, { exportedAt }));
  }

  async replaceMetricPeriods(rows: MetricPeriodRow[], exportedAt: number): Promise<number> {
    const unique = lastPerKey(rows, (r) => `${r.periodKind}/${r.periodStart}`);
    return this.db.transaction(async (tx) => {
      let written = await unnestUpsert(tx, periodUpsert, unique, { exportedAt });
      const keep = new Set(unique.map((r) => `${r.periodKind}/${r.periodStart}`));
      const stored = await tx
        .select({ kind: ztMetricPeriods.periodKind, start: ztMetricPeriods.periodStart })
        .from(ztMetricPeriods);
      const stale = stored
        .filter((r) => !keep.has(`${r.kind}/${r.start}`))
        .map((r) => [r.kind, r.start] as const);
      for (const condition of pairConditions(
        ztMetricPeriods.periodKind,
        ztMetricPeriods.periodStart,
        stale,
      )) {
        written += (await tx.delete(ztMetricPeriods).where(condition)).rowCount ?? 0;
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
    return this.db.transaction(async (tx) => {
      let written = await unnestUpsert(tx, reasonDayUpsert, unique, { exportedAt });
      const keep = new Set(unique.map((r) => `${r.day}/${r.reasonId}`));
      const stored = await tx
        .select({ day: ztReasonDaily.day, reasonId: ztReasonDaily.reasonId })
        .from(ztReasonDaily)
        .where(days === undefined ? undefined : inArray(ztReasonDaily.day, [...days]));
      const stale = stored
        .filter((r) => !keep.has(`${r.day}/${r.reasonId}`))
        .map((r) => [r.reasonId, r.day] as const);
      for (const condition of pairConditions(ztReasonDaily.reasonId, ztReasonDaily.day, stale)) {
        written += (await tx.delete(ztReasonDaily).where(condition)).rowCount ?? 0;
      }
      return written;
    });
  }

  async emptyTables(): Promise<{ tickets: boolean; statuses: boolean }> {
    const tickets = await this.db.select({ one: sql<number>`1` }).from(ztTickets).limit(1);
    const statuses = await this.db.select({ one: sql<number>`1` }).from(ztCustomerStatus).limit(1);
    return { tickets: tickets.length === 0, statuses: statuses.length === 0 };
  }

  async close(): Promise<void> {
    await this.closeConnection?.();
  }
}

/** A warehouse in its own database or schema (migrated like a store, so it holds the same tables). */
export async function openPostgresWarehouse(options: PostgresOptions): Promise<PostgresWarehouse> {
  const { db, pool } = await openPostgresConnection(options);
  let closed = false;
  return new PostgresWarehouse(db, async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  });
}
