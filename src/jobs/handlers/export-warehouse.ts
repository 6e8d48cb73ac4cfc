import type { Logger } from '../../logger.js';
import type { Store, Warehouse } from '../../store/store.js';

export interface ExportDeps {
  store: Store;
  warehouse: Warehouse;
  logger: Logger;
  now: () => number;
  progress: (line: string) => void;
}

const BATCH = 5000;

/**
 * Copies what changed since the last export to the `zt_*` tables. Rows are marked exported only
 * after the warehouse has them, and warehouse writes are upserts by key, so a crash in between
 * re-exports a batch harmlessly.
 */
export async function exportWarehouse(
  deps: ExportDeps,
): Promise<{ tickets: number; statuses: number; periods: number; reasonDays: number }> {
  const exportedAt = deps.now();
  let tickets = 0;
  for (;;) {
    const rows = await deps.store.listUnexportedTickets(BATCH);
    if (rows.length === 0) break;
    await deps.warehouse.upsertTickets(rows, exportedAt);
    await deps.store.markTicketsExported(rows);
    tickets += rows.length;
    deps.progress(`export: ${tickets} tickets`);
  }
  let statuses = 0;
  for (;;) {
    const rows = await deps.store.listUnexportedStatuses(BATCH);
    if (rows.length === 0) break;
    await deps.warehouse.upsertCustomerStatus(rows, exportedAt);
    await deps.store.markStatusesExported(rows.map((r) => r.customerId));
    statuses += rows.length;
  }
  const periods = await deps.store.listMetricPeriods();
  await deps.warehouse.replaceMetricPeriods(periods, exportedAt);
  const reasonDays = await deps.store.reasonDaily();
  await deps.warehouse.replaceReasonDaily(reasonDays, exportedAt);
  return { tickets, statuses, periods: periods.length, reasonDays: reasonDays.length };
}
