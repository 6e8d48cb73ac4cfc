import { errorMessage } from '../errors.js';
import { type ExportDeps, type ExportResult, exportWarehouse } from './handlers/export-warehouse.js';
import {
  type LinkClassifyDeps,
  linkAndClassify,
  reclassifyIfTaxonomyChanged,
} from './handlers/link-classify.js';
import { type NotifyOwnersDeps, type NotifyOwnersResult, notifyOwners } from './handlers/notify-owners.js';
import { type DigestDeps, type DigestOutcome, publishDigest } from './handlers/publish-digest.js';
import { type RecomputeDeps, recomputeStatuses } from './handlers/recompute.js';
import { type SyncDeps, type SyncResult, syncConnection } from './handlers/sync-connection.js';

export type PipelineDeps = SyncDeps &
  LinkClassifyDeps &
  RecomputeDeps &
  ExportDeps &
  DigestDeps &
  NotifyOwnersDeps;

export interface PipelineSummary {
  syncs: SyncResult[];
  failedSyncs: Array<{ connectionId: string; error: string }>;
  classified: number;
  recomputed: number;
  exported: ExportResult;
  digest: { outcome: DigestOutcome; day: string } | null;
  ownerNotes: NotifyOwnersResult | null;
}

/**
 * `run --once`, `sync` without Redis, and the demo: the same handlers the BullMQ worker runs,
 * called in order in this process. A connection whose sync fails is reported and the others,
 * and the rest of the pipeline, go on (its cursor stays at its last committed page).
 */
export async function runPipeline(
  deps: PipelineDeps,
  input: { dryRun: boolean; connectionIds?: string[]; digest?: boolean },
): Promise<PipelineSummary> {
  const ids = input.connectionIds ?? (await deps.store.listConnections()).map((c) => c.id);
  const summary: PipelineSummary = {
    syncs: [],
    failedSyncs: [],
    classified: 0,
    recomputed: 0,
    exported: { tickets: 0, statuses: 0, periods: 0, reasonDays: 0, written: 0 },
    digest: null,
    ownerNotes: null,
  };
  for (const connectionId of ids) {
    try {
      summary.syncs.push(await syncConnection(deps, { connectionId }));
    } catch (error) {
      deps.logger.error(
        { connectionId, err: error },
        'sync failed; its cursor stays at the last committed page',
      );
      summary.failedSyncs.push({ connectionId, error: errorMessage(error) });
    }
  }
  await reclassifyIfTaxonomyChanged(deps.store, deps.reasons, deps.logger);
  summary.classified = (await linkAndClassify(deps)).tickets;
  summary.recomputed = (await recomputeStatuses(deps)).customers;
  summary.exported = await exportWarehouse(deps);
  if (input.digest !== false) {
    summary.digest = await publishDigest(deps, { dryRun: input.dryRun });
    summary.ownerNotes = await notifyOwners(deps, { dryRun: input.dryRun });
  }
  return summary;
}
