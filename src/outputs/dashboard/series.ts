import {
  DAY_MS,
  isoDate,
  type MetricPeriodRow,
  type PeriodKind,
  periodStart,
  previousPeriodStart,
} from '../../domain/metric.js';

/** One point of the trend chart; `zeroTicketPct` is null for a period where no window closed. */
export interface TrendPoint {
  periodStart: string;
  zeroTicketPct: number | null;
  /** Windows that closed in the period (the n shown on hover). */
  closedWindows: number;
  zeroTickets: number;
  hadTickets: number;
}

/**
 * The metric per *closed* period, oldest first: the running week or month is left out (its
 * verdicts are still arriving), and periods with no closed window between the first and the
 * last are filled with null points so the time axis stays even. At most `limit` points, the
 * most recent ones.
 */
export function closedPeriodTrend(
  periods: readonly MetricPeriodRow[],
  kind: PeriodKind,
  now: number,
  limit: number,
): TrendPoint[] {
  const running = periodStart(kind, now);
  const rows = periods.filter((r) => r.periodKind === kind && r.periodStart < running);
  if (rows.length === 0) return [];
  const byStart = new Map(rows.map((r) => [r.periodStart, r]));
  const first = rows.map((r) => r.periodStart).sort()[0]!;
  const points: TrendPoint[] = [];
  // Walk back from the last closed period, so `limit` keeps the newest.
  for (let start = previousPeriodStart(kind, running); start >= first && points.length < limit; ) {
    const row = byStart.get(start);
    points.push({
      periodStart: start,
      zeroTicketPct: row?.zeroTicketPct ?? null,
      closedWindows: row?.closedWindows ?? 0,
      zeroTickets: row?.zeroTickets ?? 0,
      hadTickets: row?.hadTickets ?? 0,
    });
    start = previousPeriodStart(kind, start);
  }
  return points.reverse();
}

export type Bucket = 'day' | 'week';

/**
 * The `span` most recent buckets ending with the one containing `now` (the running day or
 * week is included: a bad day is worth seeing while it happens), oldest first, as ISO dates.
 */
export function bucketStarts(bucket: Bucket, now: number, span: number): string[] {
  const starts: string[] = [];
  let start = bucket === 'day' ? isoDate(now) : periodStart('week', now);
  const step = bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  for (let i = 0; i < span; i += 1) {
    starts.push(start);
    start = isoDate(Date.parse(`${start}T00:00:00Z`) - step);
  }
  return starts.reverse();
}

/** The bucket (an ISO date) a UTC day falls in. */
export function bucketOf(bucket: Bucket, day: string): string {
  return bucket === 'day' ? day : periodStart('week', Date.parse(`${day}T00:00:00Z`));
}
