import type { ClassificationSettings } from '../../config.js';
import type { ReasonModel, Taxonomy } from '../../domain/classify.js';
import { classifyTicket, compileTaxonomy } from '../../domain/classify.js';
import { identityLookupFor, linkTicket } from '../../domain/link-ticket.js';
import type { Reason } from '../../domain/reason.js';
import type { TaxonomyChange } from '../../domain/taxonomy-change.js';
import { describeTaxonomyChange, tallyVerdicts } from '../../domain/taxonomy-change.js';
import type { Logger } from '../../logger.js';
import { afterBulkChange } from '../../store/statistics.js';
import type { Store, TicketResult } from '../../store/store.js';
import { readActiveChange, recordFinishedChange, writeActiveChange } from './taxonomy-state.js';
import { applyTagPrefix, applyTaxonomyVersion, taxonomyVersion } from './taxonomy-version.js';
import {
  DEFAULT_MODEL_SETTINGS,
  loadReasonModel,
  noteClassified,
  trainModelIfNeeded,
} from './train-model.js';

export interface LinkClassifyDeps {
  store: Store;
  logger: Logger;
  taxonomy: Taxonomy;
  /** A fixed model (tests, benchmarks); without it the stored one is used and kept trained. */
  model?: ReasonModel;
  /** The config's `classification` (tag prefix and model settings); defaults when absent. */
  classification?: ClassificationSettings;
  now?: () => number;
  progress: (line: string) => void;
}

export interface LinkClassifyResult {
  tickets: number;
  linked: number;
  unclassified: number;
  /** True when the model was retrained in this pass (its leftovers were then reclassified). */
  retrained: boolean;
}

const BATCH = 2000;

/**
 * Links and classifies every pending ticket, a batch at a time. Saving a batch clears its
 * pending marks and marks the affected customers dirty for the recompute step.
 *
 * Around that: a new taxonomy version or tag prefix first marks all history pending (and the
 * moves are tallied while it is reclassified, then logged); afterwards, when the labels changed
 * enough, the model is retrained and the tickets it may decide (unclassified or model-made)
 * go through classification once more with the new model.
 */
export async function linkAndClassify(
  deps: LinkClassifyDeps,
  input: { batchSize?: number } = {},
): Promise<LinkClassifyResult> {
  const now = deps.now ?? Date.now;
  const batch = input.batchSize ?? BATCH;
  const settings = deps.classification?.model ?? DEFAULT_MODEL_SETTINGS;
  await applyTaxonomyVersion(deps.store, deps.taxonomy, deps.logger, now());
  await applyTagPrefix(deps.store, deps.taxonomy, deps.logger);
  // Loaded only when a ticket is pending: parsing a stored model is not free.
  const storedModel = () => loadReasonModel(deps.store, settings, deps.logger);
  const totals = await classifyPending(deps, deps.model ? async () => deps.model : storedModel, batch);
  await afterBulkChange(deps.store, totals.tickets, ['ticket_links', 'ticket_reasons', 'dirty_customers']);
  // Labels only change when tickets are classified: a pass with nothing to do needs no training
  // check (webhook refreshes run this for a ticket or two).
  if (deps.model !== undefined || totals.tickets === 0) return { ...totals, retrained: false };
  await noteClassified(deps.store, totals.tickets);
  const outcome = await trainModelIfNeeded(deps, settings);
  if (!outcome.trained) return { ...totals, retrained: false };
  await deps.store.markTicketsPendingClassifiedBy(['none', 'model']);
  // Not noted as classified: the model only decides tickets no label decided, so this pass
  // changes no label (see noteClassified).
  const again = await classifyPending(deps, storedModel, batch);
  return {
    tickets: totals.tickets + again.tickets,
    linked: totals.linked + again.linked,
    // The second pass went over every unclassified ticket again: its count is the current one.
    unclassified: again.unclassified,
    retrained: true,
  };
}

async function classifyPending(
  deps: LinkClassifyDeps,
  loadModel: () => Promise<ReasonModel | undefined>,
  batchSize: number,
): Promise<{ tickets: number; linked: number; unclassified: number }> {
  const totals = { tickets: 0, linked: 0, unclassified: 0 };
  let change = await readActiveChange(deps.store, deps.logger);
  let model: Promise<ReasonModel | undefined> | null = null;
  for (;;) {
    const pending = await deps.store.listPendingTickets(batchSize);
    if (pending.length === 0) break;
    model ??= loadModel();
    const reasonModel = await model;
    const index = await deps.store.findCustomerIdentities(
      identityLookupFor(pending.map((p) => p.ticket.requester)),
    );
    const results: TicketResult[] = pending.map(({ ticket, manualReasonId, manualAuthor }) => {
      const link = linkTicket(ticket.requester, index);
      const classification = classifyTicket(
        {
          tags: ticket.tags,
          fields: ticket.fields,
          text: ticket.text,
          manualReasonId,
          manualAuthor: manualAuthor ?? null,
        },
        deps.taxonomy,
        reasonModel,
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
    if (change !== null) {
      const verdicts = pending.map((p, i) => ({
        before: p.currentReasonId ?? null,
        after: results[i]?.classification.reasonId ?? '',
      }));
      change = tallyVerdicts(change, deps.taxonomy, verdicts);
      await writeActiveChange(deps.store, change);
    }
    totals.tickets += results.length;
    totals.linked += results.filter((r) => r.customerId !== null).length;
    totals.unclassified += results.filter((r) => r.classification.classifiedBy === 'none').length;
    deps.progress(`link+classify: ${totals.tickets} tickets`);
  }
  if (change !== null) await finishChange(deps.store, change, deps.logger);
  return totals;
}

async function finishChange(store: Store, change: TaxonomyChange, logger: Logger): Promise<void> {
  await recordFinishedChange(store, change);
  logger.info(
    { moves: change.moves, renamedTickets: change.renamedTickets, unchanged: change.unchanged },
    describeTaxonomyChange(change).join('\n'),
  );
}

/** Kept for the pipeline's callers: applies the version of the taxonomy these reasons compile to. */
export async function reclassifyIfTaxonomyChanged(
  store: Store,
  reasons: Reason[],
  logger: Logger,
  at: number = Date.now(),
): Promise<boolean> {
  return applyTaxonomyVersion(store, compileTaxonomy(reasons), logger, at);
}

/** Kept for callers that hash a reasons list directly. */
export function taxonomyHash(reasons: Reason[]): string {
  return taxonomyVersion(compileTaxonomy(reasons));
}
