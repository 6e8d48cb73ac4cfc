import type { CustomerStatusKind } from './status-types.js';

/** One day in epoch milliseconds. Windows and stalls are measured in these absolute days (UTC). */
export const DAY_MS = 86_400_000;

export type PeriodKind = 'week' | 'month';

/** A customer status, slim (structurally the store's `StatusSlim`). */
export interface StatusSlim {
  customerId: string;
  windowStart: number | null;
  windowEnd: number | null;
  status: CustomerStatusKind;
}

/** One `zt_metric_periods` row (structurally the store's `MetricPeriodRow`). */
export interface MetricPeriodRow {
  periodKind: PeriodKind;
  /** ISO date (UTC); weeks start on Monday. */
  periodStart: string;
  closedWindows: number;
  zeroTickets: number;
  hadTickets: number;
  /** 0–100, one decimal; null only when no window closed (never stored as a row then). */
  zeroTicketPct: number | null;
}

/** The UTC calendar date of `ms` as `YYYY-MM-DD`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first UTC day (`YYYY-MM-DD`) of the week (starting Monday) or month containing `ms`. */
export function periodStart(kind: PeriodKind, ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (kind === 'week') {
    // 1970-01-01 was a Thursday: 3 days after a Monday.
    const sinceMonday = (((day + 3) % 7) + 7) % 7;
    return isoDate((day - sinceMonday) * DAY_MS);
  }
  const date = new Date(ms);
  return isoDate(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** The start of the period right before the one starting on `start` (an ISO date). */
export function previousPeriodStart(kind: PeriodKind, start: string): string {
  const ms = Date.parse(`${start}T00:00:00Z`);
  return periodStart(kind, kind === 'week' ? ms - 7 * DAY_MS : ms - DAY_MS);
}

/**
 * `100 · zero / decided`, rounded half up to one decimal, or null when `decided` is 0.
 * Rounded from the exact integer ratio `1000 · zero / decided`, so 1 of 16 is exactly 6.25 →
 * 6.3 (no binary-float drift), 2 of 3 → 66.7.
 */
export function zeroTicketPct(zero: number, decided: number): number | null {
  return decided === 0 ? null : Math.round((1000 * zero) / decided) / 10;
}

/** A verdict that is in: the window closed at or before `now` with status zero or had tickets. */
function closedBy(s: StatusSlim, now: number): s is StatusSlim & { windowEnd: number } {
  return (
    s.windowEnd !== null && s.windowEnd <= now && (s.status === 'zero_tickets' || s.status === 'had_tickets')
  );
}

/**
 * The metric per week and per month: each customer whose window closed (`windowEnd <= now`)
 * as `zero_tickets` or `had_tickets` counts once in the period containing its `windowEnd`.
 * One row per period with at least one closed window, all history; sorted by kind
 * (`month` before `week`), then by period start.
 */
export function metricPeriods(statuses: readonly StatusSlim[], now: number): MetricPeriodRow[] {
  const rows = new Map<string, MetricPeriodRow>();
  for (const s of statuses) {
    if (!closedBy(s, now)) continue;
    for (const kind of ['month', 'week'] as const) {
      const start = periodStart(kind, s.windowEnd);
      const key = `${kind}/${start}`;
      const row = rows.get(key) ?? emptyRow(kind, start);
      rows.set(key, row);
      row.closedWindows += 1;
      if (s.status === 'zero_tickets') row.zeroTickets += 1;
      else row.hadTickets += 1;
    }
  }
  return [...rows.values()]
    .map((row) => ({ ...row, zeroTicketPct: zeroTicketPct(row.zeroTickets, row.closedWindows) }))
    .sort((a, b) => compare(a.periodKind, b.periodKind) || compare(a.periodStart, b.periodStart));
}

function emptyRow(periodKind: PeriodKind, start: string): MetricPeriodRow {
  return {
    periodKind,
    periodStart: start,
    closedWindows: 0,
    zeroTickets: 0,
    hadTickets: 0,
    zeroTicketPct: null,
  };
}

/** The metric over a trailing span (see {@link trailingMetric}). */
export interface TrailingMetric {
  zeroTickets: number;
  hadTickets: number;
  closedWindows: number;
  zeroTicketPct: number | null;
}

/**
 * The metric over windows that closed in the trailing `days`: `now - days·DAY_MS < windowEnd
 * <= now`. The end is inclusive because a window ending exactly at `now` has closed; the
 * start exclusive so consecutive spans of `days` never count a window twice.
 */
export function trailingMetric(statuses: readonly StatusSlim[], now: number, days = 28): TrailingMetric {
  const from = now - days * DAY_MS;
  let zeroTickets = 0;
  let hadTickets = 0;
  for (const s of statuses) {
    if (!closedBy(s, now) || s.windowEnd <= from) continue;
    if (s.status === 'zero_tickets') zeroTickets += 1;
    else hadTickets += 1;
  }
  const closedWindows = zeroTickets + hadTickets;
  return { zeroTickets, hadTickets, closedWindows, zeroTicketPct: zeroTicketPct(zeroTickets, closedWindows) };
}

/** The trailing metric now, over the `days` before, and the change between them. */
export interface TrailingChange {
  current: TrailingMetric;
  previous: TrailingMetric;
  changePts: number | null;
}

/**
 * The trailing metric and its change against the span right before it: `status`, the digest
 * and the dashboard headline all show this one number.
 */
export function trailingChange(statuses: readonly StatusSlim[], now: number, days = 28): TrailingChange {
  const current = trailingMetric(statuses, now, days);
  const previous = trailingMetric(statuses, now - days * DAY_MS, days);
  return { current, previous, changePts: changeInPoints(current.zeroTicketPct, previous.zeroTicketPct) };
}

/**
 * `a - b` in percentage points, one decimal, or null without both. Both are one-decimal values;
 * rounding only removes binary-float noise (62.5 - 58.3).
 */
export function changeInPoints(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.round((a - b) * 10) / 10;
}

/** How many customers have each status; every kind is present, 0 when none. */
export function statusCounts(statuses: readonly StatusSlim[]): Record<CustomerStatusKind, number> {
  const counts: Record<CustomerStatusKind, number> = {
    zero_tickets: 0,
    had_tickets: 0,
    in_progress: 0,
    in_buffer: 0,
    stalled: 0,
    not_started: 0,
  };
  for (const s of statuses) counts[s.status] += 1;
  return counts;
}

/** The `pending` object of `status --json`. */
export interface PendingCounts {
  in_progress: number;
  in_buffer: number;
  stalled: number;
  not_started: number;
}

/** Customers whose verdict is not in (yet), by status. */
export function pendingCounts(statuses: readonly StatusSlim[]): PendingCounts {
  const { in_progress, in_buffer, stalled, not_started } = statusCounts(statuses);
  return { in_progress, in_buffer, stalled, not_started };
}

/** Customers grouped by the period their window started in (pending ones included). */
export interface Cohort {
  periodStart: string;
  customers: number;
  zeroTickets: number;
  hadTickets: number;
  /** `zeroTickets + hadTickets`: the verdicts that are in. */
  decided: number;
  /** Over `decided`, one decimal; null when none is decided. */
  zeroTicketPct: number | null;
  /** `in_progress + in_buffer`: verdicts still to come. */
  pending: number;
  stalled: number;
}

/**
 * Cohorts by the week or month of `windowStart` (customers without one are skipped), sorted by
 * period start. `had_tickets` is final as soon as a ticket counts, so it is counted whether
 * or not the window has closed.
 */
export function cohorts(statuses: readonly StatusSlim[], kind: PeriodKind): Cohort[] {
  const byStart = new Map<string, Cohort>();
  for (const s of statuses) {
    if (s.windowStart === null) continue;
    const start = periodStart(kind, s.windowStart);
    const c = byStart.get(start) ?? emptyCohort(start);
    byStart.set(start, c);
    c.customers += 1;
    if (s.status === 'zero_tickets') c.zeroTickets += 1;
    if (s.status === 'had_tickets') c.hadTickets += 1;
    if (s.status === 'in_progress' || s.status === 'in_buffer') c.pending += 1;
    if (s.status === 'stalled') c.stalled += 1;
  }
  return [...byStart.values()]
    .map((c) => {
      const decided = c.zeroTickets + c.hadTickets;
      return { ...c, decided, zeroTicketPct: zeroTicketPct(c.zeroTickets, decided) };
    })
    .sort((a, b) => compare(a.periodStart, b.periodStart));
}

function emptyCohort(start: string): Cohort {
  const zero = { customers: 0, zeroTickets: 0, hadTickets: 0, decided: 0, pending: 0, stalled: 0 };
  return { periodStart: start, ...zero, zeroTicketPct: null };
}

/** The digest's line for one period kind (see {@link headlineFor}). */
export interface Headline {
  current: MetricPeriodRow | null;
  previous: MetricPeriodRow | null;
  changePts: number | null;
}

/**
 * The digest's headline for `kind`: `current` is the latest row of a complete period (one that
 * starts before the period containing `now`; the running period is never shown), `previous`
 * the row of the calendar period right before `current` (null when no window closed then, so
 * a change is never measured across a gap), and `changePts` their difference in percentage
 * points, one decimal, or null without both.
 */
export function headlineFor(periods: readonly MetricPeriodRow[], kind: PeriodKind, now: number): Headline {
  const running = periodStart(kind, now);
  let current: MetricPeriodRow | null = null;
  for (const row of periods) {
    if (row.periodKind !== kind || row.periodStart >= running) continue;
    if (current === null || row.periodStart > current.periodStart) current = row;
  }
  if (current === null) return { current: null, previous: null, changePts: null };
  const before = previousPeriodStart(kind, current.periodStart);
  const previous = periods.find((r) => r.periodKind === kind && r.periodStart === before) ?? null;
  return {
    current,
    previous,
    changePts: changeInPoints(current.zeroTicketPct, previous?.zeroTicketPct ?? null),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names one metric period (structurally the store's `PeriodKey`). */
export interface PeriodRef {
  periodKind: PeriodKind;
  periodStart: string;
}

/** The instants [from, to) of the period starting on `start` (an ISO date). */
export function periodRange(kind: PeriodKind, start: string): { from: number; to: number } {
  const from = Date.parse(`${start}T00:00:00Z`);
  if (kind === 'week') return { from, to: from + 7 * DAY_MS };
  const date = new Date(from);
  return { from, to: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}

/** The week and the month containing `ms`. */
export function periodsContaining(ms: number): PeriodRef[] {
  return (['month', 'week'] as const).map((kind) => ({
    periodKind: kind,
    periodStart: periodStart(kind, ms),
  }));
}

/** Every week and month holding an instant of [from, to] (`from <= to`). */
export function periodsBetween(from: number, to: number): PeriodRef[] {
  const found: PeriodRef[] = [];
  for (const kind of ['month', 'week'] as const) {
    let start = periodStart(kind, from);
    for (;;) {
      found.push({ periodKind: kind, periodStart: start });
      const next = periodRange(kind, start).to;
      if (next > to) break;
      start = isoDate(next);
    }
  }
  return found;
}

/**
 * Where a status counts in {@link metricPeriods} at `now`, as a comparable string: the
 * windowEnd and verdict when its window closed, '' when it counts nowhere. Two statuses with
 * the same answer leave every period row as it was.
 */
export function countedAs(s: StatusSlim | undefined, now: number): string {
  return s !== undefined && closedBy(s, now) ? `${s.status}@${s.windowEnd}` : '';
}
