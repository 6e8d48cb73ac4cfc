import { createHash } from 'node:crypto';
import type { ReasonModel, Taxonomy } from '../../domain/classify.js';
import { classifyTicket } from '../../domain/classify.js';
import { identityLookupFor, linkTicket } from '../../domain/link-ticket.js';
import type { Reason } from '../../domain/reason.js';
import type { Logger } from '../../logger.js';
import type { Store, TicketResult } from '../../store/store.js';

export interface LinkClassifyDeps {
  store: Store;
  logger: Logger;
  taxonomy: Taxonomy;
  model?: ReasonModel;
  progress: (line: string) => void;
}

const BATCH = 2000;

/**
 * Links and classifies every pending ticket, a batch at a time. Saving a batch clears its
 * pending marks and marks the affected customers dirty for the recompute step.
 */
export async function linkAndClassify(
  deps: LinkClassifyDeps,
  input: { batchSize?: number } = {},
): Promise<{ tickets: number; linked: number; unclassified: number }> {
  const batchSize = input.batchSize ?? BATCH;
  const totals = { tickets: 0, linked: 0, unclassified: 0 };
  for (;;) {
    const pending = await deps.store.listPendingTickets(batchSize);
    if (pending.length === 0) break;
    const index = await deps.store.findCustomerIdentities(
      identityLookupFor(pending.map((p) => p.ticket.requester)),
    );
    const results: TicketResult[] = pending.map(({ ticket, manualReasonId }) => {
      const link = linkTicket(ticket.requester, index);
      const classification = classifyTicket(
        { tags: ticket.tags, fields: ticket.fields, text: ticket.text, manualReasonId },
        deps.taxonomy,
        deps.model,
      );
      return {
        source: ticket.source,
        ticketId: ticket.ticketId,
        customerId: link.customerId,
        linkMethod: link.method,
        classification,
      };
    });
    await deps.store.saveTicketResults(results);
    totals.tickets += results.length;
    totals.linked += results.filter((r) => r.customerId !== null).length;
    totals.unclassified += results.filter((r) => r.classification.classifiedBy === 'none').length;
    deps.progress(`link+classify: ${totals.tickets} tickets`);
  }
  return totals;
}

/**
 * The taxonomy is versioned by the hash of its content. When it changed since the last run,
 * every ticket goes back through classification (manual reasons still win).
 */
export async function reclassifyIfTaxonomyChanged(
  store: Store,
  reasons: Reason[],
  logger: Logger,
): Promise<boolean> {
  const hash = taxonomyHash(reasons);
  const previous = await store.getState('taxonomy_hash');
  if (previous === hash) return false;
  const marked = previous === null ? 0 : await store.markAllTicketsPending();
  await store.setState('taxonomy_hash', hash);
  if (previous !== null) logger.info({ tickets: marked }, 'reason taxonomy changed: reclassifying history');
  return previous !== null;
}

export function taxonomyHash(reasons: Reason[]): string {
  return createHash('sha256').update(JSON.stringify(reasons)).digest('hex').slice(0, 16);
}
