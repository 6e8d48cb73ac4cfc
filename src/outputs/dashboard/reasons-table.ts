import { zeroTicketPct } from '../../domain/metric.js';
import type { Reason } from '../../domain/reason.js';
import type { ReasonCustomersRow, ReasonPhaseRow } from '../../store/store.js';
import { reasonColors } from './colors.js';

/** One row of the reasons table. */
export interface ReasonRow {
  reasonId: string;
  title: string;
  owner: string | null;
  /** The reason's color in the bad-day chart. */
  color: string;
  countsTowardMetric: boolean;
  /** Counting tickets created in the last 7 days. */
  thisWeek: number;
  /** Counting tickets created in the 7 days before those. */
  lastWeek: number;
  /** Customers with at least one counting ticket of this reason, all history. */
  customers: number;
  /** `customers` over the customers whose window has started, 0–100, one decimal. */
  customerSharePct: number | null;
  /** The milestone phase with the most of this reason's counting tickets ("stuck at step X"). */
  topPhase: string | null;
  topPhaseTickets: number;
}

export interface ReasonTableInput {
  reasons: readonly Pick<Reason, 'id' | 'title' | 'owner' | 'countsTowardMetric'>[];
  thisWeek: ReadonlyArray<{ reasonId: string; tickets: number }>;
  lastWeek: ReadonlyArray<{ reasonId: string; tickets: number }>;
  customers: readonly ReasonCustomersRow[];
  phases: readonly ReasonPhaseRow[];
  /** Customers whose onboarding window has started (the share's denominator). */
  startedCustomers: number;
}

/**
 * Every configured reason plus any reason id seen in the data (e.g. `unclassified`), sorted by
 * tickets this week, then last week, then customers hit, then id. A ticket with no milestone
 * phase (it came before the first milestone) is grouped under a null phase, which can win.
 */
export function reasonTable(input: ReasonTableInput): ReasonRow[] {
  const thisWeek = toMap(input.thisWeek.map((r) => [r.reasonId, r.tickets]));
  const lastWeek = toMap(input.lastWeek.map((r) => [r.reasonId, r.tickets]));
  const customers = toMap(input.customers.map((r) => [r.reasonId, r.customers]));
  const phases = topPhases(input.phases);
  const configured = new Map(input.reasons.map((r) => [r.id, r]));
  const colorOf = reasonColors([...configured.keys()]);
  const ids = new Set<string>([
    ...configured.keys(),
    ...thisWeek.keys(),
    ...lastWeek.keys(),
    ...customers.keys(),
  ]);
  return [...ids]
    .map((id): ReasonRow => {
      const reason = configured.get(id);
      const hit = customers.get(id) ?? 0;
      const phase = phases.get(id);
      return {
        reasonId: id,
        title: reason?.title ?? id,
        owner: reason?.owner ?? null,
        color: colorOf(id),
        countsTowardMetric: reason?.countsTowardMetric ?? true,
        thisWeek: thisWeek.get(id) ?? 0,
        lastWeek: lastWeek.get(id) ?? 0,
        customers: hit,
        customerSharePct: zeroTicketPct(hit, input.startedCustomers),
        topPhase: phase?.phase ?? null,
        topPhaseTickets: phase?.tickets ?? 0,
      };
    })
    .sort(
      (a, b) =>
        b.thisWeek - a.thisWeek ||
        b.lastWeek - a.lastWeek ||
        b.customers - a.customers ||
        (a.reasonId < b.reasonId ? -1 : 1),
    );
}

/** Per reason, the phase with the most tickets; ties go to the phase name that sorts first. */
function topPhases(rows: readonly ReasonPhaseRow[]): Map<string, { phase: string | null; tickets: number }> {
  const best = new Map<string, { phase: string | null; tickets: number }>();
  for (const row of rows) {
    const current = best.get(row.reasonId);
    const better =
      !current ||
      row.tickets > current.tickets ||
      (row.tickets === current.tickets && (row.milestonePhase ?? '') < (current.phase ?? ''));
    if (better) best.set(row.reasonId, { phase: row.milestonePhase, tickets: row.tickets });
  }
  return best;
}

function toMap(entries: Array<[string, number]>): Map<string, number> {
  return new Map(entries);
}
