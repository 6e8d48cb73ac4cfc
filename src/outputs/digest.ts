import { DAY_MS, headlineFor, pendingCounts, trailingChange } from '../domain/metric.js';
import type { Reason } from '../domain/reason.js';
import type { MetricPeriodRow, Store } from '../store/store.js';

/** Everything the daily post says, computed once; renderers only format it. */
export interface Digest {
  /** The local day (metric.timezone) the digest is for. */
  day: string;
  /** The last closed week (Monday to Sunday, UTC) and the week before it. */
  week: Headline;
  /** Windows closed in the trailing 28 days, against the 28 days before them. */
  trailing: { zeroTicketPct: number | null; closedWindows: number; changePts: number | null };
  pending: { in_progress: number; in_buffer: number; stalled: number; not_started: number };
  reasons: Array<{ id: string; title: string; owner: string | null; tickets: number }>;
  unlinkedTickets: number;
  unclassifiedTickets: number;
  /** The public dashboard, linked from the post when configured. */
  dashboardUrl: string | null;
}

export interface Headline {
  period: MetricPeriodRow | null;
  previous: MetricPeriodRow | null;
  changePts: number | null;
}

/** Reasons ranked by counting tickets created in this many trailing days. */
export const REASON_WINDOW_DAYS = 28;
const TOP_REASONS = 8;

export async function buildDigest(
  deps: { store: Store; reasons: Reason[]; timezone: string; dashboardUrl?: string | null },
  now: number,
): Promise<Digest> {
  const [statuses, periods, counts, quality] = await Promise.all([
    deps.store.listStatuses(),
    deps.store.listMetricPeriods(),
    deps.store.countReasons(now - REASON_WINDOW_DAYS * DAY_MS, now),
    deps.store.dataQuality(),
  ]);
  const byId = new Map(deps.reasons.map((r) => [r.id, r]));
  const week = headlineFor(periods, 'week', now);
  const trailing = trailingChange(statuses, now, REASON_WINDOW_DAYS);
  return {
    day: localDay(now, deps.timezone),
    week: { period: week.current, previous: week.previous, changePts: week.changePts },
    trailing: {
      zeroTicketPct: trailing.current.zeroTicketPct,
      closedWindows: trailing.current.closedWindows,
      changePts: trailing.changePts,
    },
    pending: pendingCounts(statuses),
    reasons: counts
      .filter((c) => c.tickets > 0)
      .sort((a, b) => b.tickets - a.tickets || a.reasonId.localeCompare(b.reasonId))
      .slice(0, TOP_REASONS)
      .map((c) => {
        const reason = byId.get(c.reasonId);
        return {
          id: c.reasonId,
          title: reason?.title ?? c.reasonId,
          owner: reason?.owner ?? null,
          tickets: c.tickets,
        };
      }),
    unlinkedTickets: quality.unlinkedTickets,
    unclassifiedTickets: quality.unclassifiedTickets,
    dashboardUrl: deps.dashboardUrl ?? null,
  };
}

/** The calendar day of `now` in `timeZone`, as YYYY-MM-DD. */
export function localDay(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
