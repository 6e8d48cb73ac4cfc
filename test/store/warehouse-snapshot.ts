import { asc } from 'drizzle-orm';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import * as pgSchema from '../../src/store/postgres/schema.js';
import * as sqliteSchema from '../../src/store/sqlite/schema.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * Every `zt_*` row, read through the adapter's own schema (times as epoch ms, booleans as
 * booleans), in key order: the same shape for either database, so tests compare them directly.
 */
export interface WarehouseSnapshot {
  tickets: Array<typeof sqliteSchema.ztTickets.$inferSelect>;
  statuses: Array<typeof sqliteSchema.ztCustomerStatus.$inferSelect>;
  periods: Array<typeof sqliteSchema.ztMetricPeriods.$inferSelect>;
  reasonDaily: Array<typeof sqliteSchema.ztReasonDaily.$inferSelect>;
}

export async function sqliteSnapshot(store: SqliteStore): Promise<WarehouseSnapshot> {
  const { ztTickets, ztCustomerStatus, ztMetricPeriods, ztReasonDaily } = sqliteSchema;
  return {
    tickets: store.db.select().from(ztTickets).orderBy(asc(ztTickets.source), asc(ztTickets.ticketId)).all(),
    statuses: store.db.select().from(ztCustomerStatus).orderBy(asc(ztCustomerStatus.customerId)).all(),
    periods: store.db
      .select()
      .from(ztMetricPeriods)
      .orderBy(asc(ztMetricPeriods.periodKind), asc(ztMetricPeriods.periodStart))
      .all(),
    reasonDaily: store.db
      .select()
      .from(ztReasonDaily)
      .orderBy(asc(ztReasonDaily.day), asc(ztReasonDaily.reasonId))
      .all(),
  };
}

export async function postgresSnapshot(store: PostgresStore): Promise<WarehouseSnapshot> {
  const { ztTickets, ztCustomerStatus, ztMetricPeriods, ztReasonDaily } = pgSchema;
  return {
    tickets: await store.db.select().from(ztTickets).orderBy(asc(ztTickets.source), asc(ztTickets.ticketId)),
    statuses: await store.db.select().from(ztCustomerStatus).orderBy(asc(ztCustomerStatus.customerId)),
    periods: await store.db
      .select()
      .from(ztMetricPeriods)
      .orderBy(asc(ztMetricPeriods.periodKind), asc(ztMetricPeriods.periodStart)),
    reasonDaily: await store.db
      .select()
      .from(ztReasonDaily)
      .orderBy(asc(ztReasonDaily.day), asc(ztReasonDaily.reasonId)),
  };
}
