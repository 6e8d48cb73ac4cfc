import { isoDate } from '../../domain/metric.js';
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
 * `'1'` while `zt_reason_daily` is exact for every day but those of the tickets still to
 * export; cleared before tickets are exported, so a run that dies before the reason days are
 * refreshed leads to a full rebuild.
 */
export const REASON_DAYS_EXACT_KEY = 'reason_daily_exact';
/** Past this many days to refresh, one pass over every ticket is the cheaper way. */
const MAX_REFRESHED_DAYS = 64;

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
  // A ticket's day never changes, and every change to its reason or its counting re-exports
  // it: the days of the tickets exported now are the reason days that can have changed.
  let daysExact = !empty.tickets && (await deps.store.getState(REASON_DAYS_EXACT_KEY)) === '1';
  const touchedDays = new Set<string>();

  let written = 0;
  let tickets = 0;
  for (;;) {
    const rows = await deps.store.listUnexportedTickets(batch);
    if (rows.length === 0) break;
    if (tickets === 0) await deps.store.setState(REASON_DAYS_EXACT_KEY, '');
    written += await deps.warehouse.upsertTickets(rows, exportedAt);
    await deps.store.markTicketsExported(rows);
    if (daysExact) {
      for (const row of rows) touchedDays.add(isoDate(row.createdAt));
      daysExact = touchedDays.size <= MAX_REFRESHED_DAYS;
    }
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
  const days = daysExact ? [...touchedDays].sort() : undefined;
  const reasonDays = days?.length === 0 ? [] : await deps.store.reasonDaily(days);
  if (days?.length !== 0) written += await deps.warehouse.replaceReasonDaily(reasonDays, exportedAt, days);
  await deps.store.setState(REASON_DAYS_EXACT_KEY, '1');
  const result = { tickets, statuses, periods: periods.length, reasonDays: reasonDays.length, written };
  deps.logger.info(result, 'warehouse export done');
  return result;
}
