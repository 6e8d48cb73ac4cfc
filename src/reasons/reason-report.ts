import { compileTaxonomy, resolveReasonId } from '../domain/classify.js';
import type { Reason } from '../domain/reason.js';
import { UNCLASSIFIED } from '../domain/reason.js';
import type { TaxonomyChange } from '../domain/taxonomy-change.js';
import { ticketKey } from '../domain/ticket.js';
import { listTaxonomyChanges } from '../jobs/handlers/taxonomy-state.js';
import { readStoredModel } from '../jobs/handlers/train-model.js';
import type { Store } from '../store/store.js';

const DAY = 86_400_000;

export interface ReasonRow {
  reasonId: string;
  title: string;
  owner: string | null;
  /** A reason nobody owns reaches nobody: flagged. */
  unowned: boolean;
  countsTowardMetric: boolean;
  /** Customer tickets created in the last 7 days, and in the 7 days before. */
  thisWeek: number;
  lastWeek: number;
  /** Customers now `had_tickets` whose first counting ticket had this reason. */
  lostZero: number;
  /** The milestone phase with the most counting tickets of this reason (null: none yet). */
  topPhase: { phase: string | null; tickets: number } | null;
}

export interface ReasonReport {
  generatedAt: number;
  reasons: ReasonRow[];
  /** Manual corrections naming a reason the config no longer has: kept, not applied. */
  orphanedCorrections: Array<{ ticket: string; reasonId: string; author: string }>;
  lastTaxonomyChange: TaxonomyChange | null;
  model: { trainedAt: number; labels: number; reasons: string[] } | null;
}

/** Everything `zerotickets reasons` shows, read from the store. */
export async function reasonReport(
  store: Store,
  reasons: readonly Reason[],
  now: number,
): Promise<ReasonReport> {
  const [thisWeek, lastWeek, lost, phases, manual, changes, stored] = await Promise.all([
    store.countTicketsByReason(now - 7 * DAY, now),
    store.countTicketsByReason(now - 14 * DAY, now - 7 * DAY),
    store.countLostZeroByReason(),
    store.reasonPhases(),
    store.listManualReasons(),
    listTaxonomyChanges(store),
    readStoredModel(store),
  ]);
  const byReason = (rows: Array<{ reasonId: string; tickets: number }>) =>
    new Map(rows.map((r) => [r.reasonId, r.tickets]));
  const week = byReason(thisWeek);
  const before = byReason(lastWeek);
  const lostZero = new Map(lost.map((r) => [r.reasonId, r.customers]));
  const topPhase = new Map<string, { phase: string | null; tickets: number }>();
  for (const row of phases) {
    const best = topPhase.get(row.reasonId);
    if (!best || row.tickets > best.tickets)
      topPhase.set(row.reasonId, { phase: row.milestonePhase, tickets: row.tickets });
  }
  const rows = [
    ...reasons.map((r) => ({ id: r.id, title: r.title, owner: r.owner, counts: r.countsTowardMetric })),
    { id: UNCLASSIFIED, title: 'No reason yet', owner: null, counts: true },
  ].map(
    (r): ReasonRow => ({
      reasonId: r.id,
      title: r.title,
      owner: r.owner,
      unowned: r.id !== UNCLASSIFIED && r.owner === null,
      countsTowardMetric: r.counts,
      thisWeek: week.get(r.id) ?? 0,
      lastWeek: before.get(r.id) ?? 0,
      lostZero: lostZero.get(r.id) ?? 0,
      topPhase: topPhase.get(r.id) ?? null,
    }),
  );
  const taxonomy = compileTaxonomy(reasons);
  return {
    generatedAt: now,
    reasons: rows,
    orphanedCorrections: manual
      .filter((m) => resolveReasonId(taxonomy, m.reasonId) === null)
      .map((m) => ({ ticket: ticketKey(m), reasonId: m.reasonId, author: m.author })),
    lastTaxonomyChange: changes[0] ?? null,
    model: stored
      ? {
          trainedAt: stored.trainedAt,
          labels: Object.values(stored.labels).reduce((a, b) => a + b, 0),
          reasons: stored.model.labels,
        }
      : null,
  };
}
