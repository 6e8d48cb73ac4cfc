import { PermanentError } from '../../errors.js';
import type { ExportDeps } from './export-warehouse.js';
import { exportWarehouse } from './export-warehouse.js';
import type { LinkClassifyDeps } from './link-classify.js';
import { linkAndClassify, reclassifyIfTaxonomyChanged } from './link-classify.js';
import type { RecomputeDeps } from './recompute.js';
import { recomputeStatuses } from './recompute.js';
import type { SyncDeps } from './sync-connection.js';

/** The stream webhook pages are committed under: it is no position in any export. */
export const WEBHOOK_STREAM = 'webhook';

export interface FetchTicketsResult {
  connectionId: string;
  tickets: number;
  /** Ids the helpdesk no longer has (the next sync records their deletion). */
  missing: string[];
  quarantined: number;
}

/**
 * The first half of a webhook refresh: fetch each named ticket and commit it like a sync page
 * (upsert by source id, so a later sync of the same version is harmless). The committed
 * tickets are marked pending, which is what the link, classify and recompute steps pick up.
 */
export async function fetchTickets(
  deps: Omit<SyncDeps, 'now'>,
  input: { connectionId: string; ticketIds: string[] },
): Promise<FetchTicketsResult> {
  const connection = await deps.store.getConnection(input.connectionId);
  if (!connection)
    throw new PermanentError(`no connection "${input.connectionId}" (see: zerotickets connect)`);
  const connector = deps.openConnector(connection);
  if (!connector.fetchTicket) {
    throw new PermanentError(
      `connection "${connection.id}": the ${connection.kind} connector cannot fetch one ticket`,
    );
  }
  const result: FetchTicketsResult = { connectionId: connection.id, tickets: 0, missing: [], quarantined: 0 };
  for (const ticketId of [...new Set(input.ticketIds)]) {
    const page = await connector.fetchTicket(ticketId);
    if (!page) {
      result.missing.push(ticketId);
      continue;
    }
    const committed = await deps.store.commitSyncPage({
      ...page,
      stream: WEBHOOK_STREAM,
      connectionId: connection.id,
    });
    result.tickets += committed.tickets;
    result.quarantined += committed.quarantined;
  }
  deps.logger.info(result, 'webhook refresh fetched');
  return result;
}

export type RefreshDeps = SyncDeps & LinkClassifyDeps & RecomputeDeps & ExportDeps;

/**
 * The whole pipeline for the few tickets a webhook names, in this process (`serve` without
 * Redis): fetch and commit them, link and classify what is pending, recompute the customers
 * that became dirty, export. The queued form runs `fetchTickets` and chains the same steps.
 */
export async function refreshTickets(
  deps: RefreshDeps,
  input: { connectionId: string; ticketIds: string[] },
): Promise<FetchTicketsResult & { classified: number; recomputed: number }> {
  const fetched = await fetchTickets(deps, input);
  await reclassifyIfTaxonomyChanged(deps.store, deps.reasons, deps.logger);
  const classified = (await linkAndClassify(deps)).tickets;
  const recomputed = (await recomputeStatuses(deps)).customers;
  await exportWarehouse(deps);
  return { ...fetched, classified, recomputed };
}
