import type { Logger } from '../../logger.js';
import type { Store, Warehouse } from '../../store/store.js';

export interface ExportDeps {
  store: Store;
  warehouse: Warehouse;
  logger: Logger;
  now: () => number;
  progress: (line: string) => void;
}

export interface ExportResult {
  /** Rows offered to the warehouse, per table. */
  tickets: number;
  statuses: number;
  periods: number;
  reasonDays: number;
  /** Rows the warehouse actually inserted, updated or deleted: 0 when nothing changed. */
  written: number;
}

/** Rows per warehouse transaction. */
export const EXPORT_BATCH = 5000;

/**
 * Copies what changed since the last export to the `zt_*` tables, one transaction per batch.
 * Rows are marked exported only after the warehouse has them, and warehouse writes are upserts
 * by key, so a crash in between re-exports a batch harmlessly. A warehouse that is new or was
 * emptied (another `WAREHOUSE_URL`, a dropped table) gets every row again.
 */
export async function exportWarehouse(
  deps: ExportDeps,
  input: { batch?: number } = {},
): Promise<ExportResult> {
  const batch = input.batch ?? EXPORT_BATCH;
  const exportedAt = deps.now();
  const empty = await deps.warehouse.emptyTables();
  if (empty.tickets || empty.statuses) await deps.store.markAllUnexported(empty);

  let written = 0;
  let tickets = 0;
  for (;;) {
    const rows = await deps.store.listUnexportedTickets(batch);
    if (rows.length === 0) break;
    written += await deps.warehouse.upsertTickets(rows, exportedAt);
    await deps.store.markTicketsExported(rows);
    tickets += rows.length;
    deps.progress(`export: ${tickets} tickets`);
  }
  let statuses = 0;
  for (;;) {
    const rows = await deps.store.listUnexportedStatuses(batch);
    if (rows.length === 0) break;
    written += await deps.warehouse.upsertCustomerStatus(rows, exportedAt);
    await deps.store.markStatusesExported(rows.map((r) => r.customerId));
    statuses += rows.length;
    deps.progress(`export: ${statuses} customer statuses`);
  }
  const periods = await deps.store.listMetricPeriods();
  written += await deps.warehouse.replaceMetricPeriods(periods, exportedAt);
  const reasonDays = await deps.store.reasonDaily();
  written += await deps.warehouse.replaceReasonDaily(reasonDays, exportedAt);
  const result = { tickets, statuses, periods: periods.length, reasonDays: reasonDays.length, written };
  deps.logger.info(result, 'warehouse export done');
  return result;
}
