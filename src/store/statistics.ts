import type { PipelineTable, Store } from './store.js';

/** Rows written by one pass past which the planner's statistics are refreshed. */
export const BULK_CHANGE_ROWS = 10_000;

/**
 * Called by each pipeline step with the rows it wrote and the tables it filled: after a bulk
 * change (a backfill, a big import, the first recompute) their statistics are brought up to
 * date, so the next steps are planned for the tables as they now are. Small passes leave it to
 * the database's own upkeep (autovacuum).
 */
export async function afterBulkChange(
  store: Store,
  rows: number,
  tables: readonly PipelineTable[],
): Promise<void> {
  if (rows >= BULK_CHANGE_ROWS) await store.refreshStatistics(tables);
}
