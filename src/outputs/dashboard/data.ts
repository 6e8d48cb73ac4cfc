import type { App } from '../../app.js';
import { STATUS_WINDOW_DAYS } from '../../cli/status.js';
import {
  cohorts,
  DAY_MS,
  metricPeriods,
  type PeriodKind,
  pendingCounts,
  trailingChange,
} from '../../domain/metric.js';
import { UNCLASSIFIED } from '../../domain/reason.js';
import { DIGEST_TITLE } from '../render-digest.js';
import { badDays } from './bad-days.js';
import { reasonTable } from './reasons-table.js';
import { recentTickets } from './recent-tickets.js';
import { type Bucket, closedPeriodTrend } from './series.js';

/** A bad query parameter; the route answers 400 naming it. */
export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export function parsePeriod(value: string | undefined): PeriodKind {
  if (value === undefined || value === 'week' || value === 'month') return value ?? 'week';
  throw new QueryError('period', `period: expected "week" or "month", got "${value}"`);
}

export function parseBucket(value: string | undefined): Bucket {
  if (value === undefined || value === 'day' || value === 'week') return value ?? 'day';
  throw new QueryError('bucket', `bucket: expected "day" or "week", got "${value}"`);
}

/** A positive integer parameter up to `max`, or `fallback` when absent. */
export function parseCount(field: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new QueryError(field, `${field}: expected a whole number from 1 to ${max}, got "${value}"`);
  }
  return n;
}

/** `GET /api/headline`: the trailing metric (the same numbers as `status --json`) and its change. */
export async function headlineData(app: App) {
  const now = app.now();
  const statuses = await app.store.listStatuses();
  const { current, previous, changePts } = trailingChange(statuses, now, STATUS_WINDOW_DAYS);
  return {
    title: DIGEST_TITLE,
    asOf: new Date(now).toISOString(),
    windowDays: STATUS_WINDOW_DAYS,
    zeroTicketPct: current.zeroTicketPct,
    zeroTickets: current.zeroTickets,
    hadTickets: current.hadTickets,
    closedWindows: current.closedWindows,
    previous: { zeroTicketPct: previous.zeroTicketPct, closedWindows: previous.closedWindows },
    changePts,
    pending: pendingCounts(statuses),
  };
}

const TREND_DEFAULT = { week: 26, month: 12 } as const;

/** `GET /api/trend?period=week|month&limit=N`: the metric per closed period, oldest first. */
export async function trendData(app: App, periodKind: PeriodKind, limit?: string) {
  const now = app.now();
  const statuses = await app.store.listStatuses();
  const points = closedPeriodTrend(
    metricPeriods(statuses, now),
    periodKind,
    now,
    parseCount('limit', limit, TREND_DEFAULT[periodKind], 520),
  );
  return { periodKind, points };
}

/** `GET /api/cohorts?period=week|month&limit=N`: customers by start period, newest first. */
export async function cohortsData(app: App, periodKind: PeriodKind, limit?: string) {
  const statuses = await app.store.listStatuses();
  const rows = cohorts(statuses, periodKind)
    .reverse()
    .slice(0, parseCount('limit', limit, 12, 520));
  return { periodKind, cohorts: rows };
}

const BAD_DAY_SPAN = { day: 28, week: 12 } as const;

/** `GET /api/bad-days?bucket=day|week&top=N`: counting tickets per bucket by reason. */
export async function badDaysData(app: App, bucket: Bucket, top?: string) {
  const daily = await app.store.reasonDaily();
  return badDays(daily, app.settings?.reasons ?? [], {
    bucket,
    now: app.now(),
    span: BAD_DAY_SPAN[bucket],
    top: parseCount('top', top, 6, 20),
  });
}

/** `GET /api/reasons`: the reasons table (last 7 days vs the 7 before, customers hit, top phase). */
export async function reasonsData(app: App) {
  const now = app.now();
  const week = 7 * DAY_MS;
  const [thisWeek, lastWeek, customers, phases, statuses] = await Promise.all([
    app.store.countReasons(now - week, now),
    app.store.countReasons(now - 2 * week, now - week),
    app.store.reasonCustomers(),
    app.store.reasonPhases(),
    app.store.listStatuses(),
  ]);
  const startedCustomers = statuses.filter((s) => s.windowStart !== null).length;
  const reasons = reasonTable({
    reasons: app.settings?.reasons ?? [],
    thisWeek,
    lastWeek,
    customers,
    phases,
    startedCustomers,
  });
  return { asOf: new Date(now).toISOString(), startedCustomers, reasons };
}

/** `GET /api/quality`: what the metric cannot see yet, and how fresh each connection is. */
export async function qualityData(app: App) {
  const now = app.now();
  const [quality, connections] = await Promise.all([app.store.dataQuality(), app.store.listConnections()]);
  return {
    asOf: new Date(now).toISOString(),
    unlinkedTickets: quality.unlinkedTickets,
    unclassifiedTickets: quality.unclassifiedTickets,
    quarantinedPayloads: quality.quarantined,
    connections: connections.map((c) => ({
      id: c.id,
      kind: c.kind,
      lastSyncAt: c.lastSyncAt === null ? null : new Date(c.lastSyncAt).toISOString(),
      lagSeconds: c.lastSyncAt === null ? null : Math.max(0, Math.round((now - c.lastSyncAt) / 1000)),
    })),
  };
}

/** A reason id's form in the config (see `reasonId` in src/config.ts). */
const REASON_ID = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * `GET /api/tickets?reason=ID&limit=N`: the latest counting tickets, newest first, with why each
 * has its reason. `reason` is a reason of the taxonomy, `unclassified`, or an id still on some
 * counting ticket (a reason removed from the config until history is reclassified).
 */
export async function ticketsData(app: App, reason: string | undefined, limit: string | undefined) {
  const now = app.now();
  const count = parseCount('limit', limit, 50, 500);
  const reasons = app.settings?.reasons ?? [];
  if (reason !== undefined && !REASON_ID.test(reason)) {
    throw new QueryError(
      'reason',
      `reason: expected a reason id (lower-case letters, digits, - and _), got "${reason}"`,
    );
  }
  const [rows, connections] = await Promise.all([
    app.store.listRecentTickets(reason === undefined ? { limit: count } : { reasonId: reason, limit: count }),
    app.store.listConnections(),
  ]);
  const known = reason === undefined || reason === UNCLASSIFIED || reasons.some((r) => r.id === reason);
  if (!known && rows.length === 0) {
    throw new QueryError('reason', `reason: no reason "${reason}" in the taxonomy or on any counting ticket`);
  }
  const tickets = recentTickets({ rows, reasons, connections });
  const title = reason === undefined ? null : (reasons.find((r) => r.id === reason)?.title ?? reason);
  return {
    asOf: new Date(now).toISOString(),
    reason: reason === undefined ? null : { id: reason, title },
    limit: count,
    tickets,
  };
}
