import type { Reason } from '../../domain/reason.js';
import type { ReasonDailyRow } from '../../store/store.js';
import { OTHER_COLOR, OTHER_REASON, reasonColors } from './colors.js';
import { type Bucket, bucketOf, bucketStarts } from './series.js';

/** One stacked series of the bad-day chart: counting tickets of one reason per bucket. */
export interface BadDaySeries {
  reasonId: string;
  title: string;
  color: string;
  /** Aligned with `buckets`. */
  tickets: number[];
  total: number;
}

export interface BadDays {
  bucket: Bucket;
  /** ISO dates: the day, or the Monday of the week. */
  buckets: string[];
  /** The top reasons by tickets in range (largest first), then `other` when anything is left. */
  series: BadDaySeries[];
  /** Tickets per bucket over every reason. */
  totals: number[];
}

/**
 * Counting tickets per bucket and reason over the `span` most recent buckets. The `top` reasons
 * with the most tickets in range keep their own series (ties by id); the rest are summed into
 * `other`. Reasons with no ticket in range are left out.
 */
export function badDays(
  daily: readonly ReasonDailyRow[],
  reasons: readonly Pick<Reason, 'id' | 'title'>[],
  options: { bucket: Bucket; now: number; span: number; top: number },
): BadDays {
  const buckets = bucketStarts(options.bucket, options.now, options.span);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const perReason = new Map<string, number[]>();
  for (const row of daily) {
    const i = index.get(bucketOf(options.bucket, row.day));
    if (i === undefined || row.tickets <= 0) continue;
    const counts = perReason.get(row.reasonId) ?? buckets.map(() => 0);
    perReason.set(row.reasonId, counts);
    counts[i] = (counts[i] ?? 0) + row.tickets;
  }
  const ranked = [...perReason.entries()]
    .map(([reasonId, tickets]) => ({ reasonId, tickets, total: sum(tickets) }))
    .sort((a, b) => b.total - a.total || (a.reasonId < b.reasonId ? -1 : 1));
  const titles = new Map(reasons.map((r) => [r.id, r.title]));
  const colorOf = reasonColors(reasons.map((r) => r.id));
  const series: BadDaySeries[] = ranked.slice(0, options.top).map((r) => ({
    ...r,
    title: titles.get(r.reasonId) ?? r.reasonId,
    color: colorOf(r.reasonId),
  }));
  const rest = ranked.slice(options.top);
  if (rest.length > 0) {
    const tickets = buckets.map((_, i) => sum(rest.map((r) => r.tickets[i] ?? 0)));
    series.push({ reasonId: OTHER_REASON, title: 'Other', color: OTHER_COLOR, tickets, total: sum(tickets) });
  }
  const totals = buckets.map((_, i) => sum(series.map((s) => s.tickets[i] ?? 0)));
  return { bucket: options.bucket, buckets, series, totals };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
