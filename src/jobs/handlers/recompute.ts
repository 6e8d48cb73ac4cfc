import { evaluateCustomer } from '../../domain/customer-status.js';
import {
  countedAs,
  DAY_MS,
  metricPeriods,
  type PeriodRef,
  periodRange,
  periodsBetween,
  periodsContaining,
  type StatusSlim,
} from '../../domain/metric.js';
import type { Reason } from '../../domain/reason.js';
import type { MetricSettings } from '../../domain/status-types.js';
import type { Logger } from '../../logger.js';
import { afterBulkChange } from '../../store/statistics.js';
import type { Store } from '../../store/store.js';

export interface RecomputeDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  metric: MetricSettings;
  reasons: Reason[];
  progress: (line: string) => void;
}

const BATCH = 1000;
/** The `now` the stored metric periods are exact for; empty while statuses may be ahead of them. */
export const PERIODS_AT_KEY = 'metric_periods_at';
/** Past this many periods to refresh, one pass over every status is the cheaper way. */
const MAX_REFRESHED_PERIODS = 64;

/**
 * Recomputes the status of the *affected* customers only: those marked dirty by sync, import
 * or classification, plus those whose status changes with time alone (a buffer that ended, a
 * start that is now older than the stall limit). Then refreshes the metric periods: only the
 * ones that can have changed when the stored ones are known to be exact for an earlier run.
 */
export async function recomputeStatuses(
  deps: RecomputeDeps,
  input: { batchSize?: number } = {},
): Promise<{ customers: number; periods: number }> {
  const now = deps.now();
  const batchSize = input.batchSize ?? BATCH;
  // Reasons missing from the taxonomy (renamed or removed) count, as unclassified tickets do.
  const excluded = new Set(deps.reasons.filter((r) => !r.countsTowardMetric).map((r) => r.id));
  await deps.store.markTimeDueCustomersDirty(now, now - deps.metric.stallAfterDays * DAY_MS);
  const periodsAt = await readPeriodsAt(deps.store);
  const touched = new Map<string, PeriodRef>();
  let customers = 0;
  for (;;) {
    const ids = await deps.store.listDirtyCustomers(batchSize);
    if (ids.length === 0) break;
    // Until the periods are refreshed below they lag the statuses: a crash in between must
    // not leave them trusted (the next run then rebuilds them whole).
    if (customers === 0 && periodsAt !== null) await deps.store.setState(PERIODS_AT_KEY, '');
    const before = periodsAt === null ? null : await deps.store.listStatusesOf(ids);
    const facts = await deps.store.loadCustomerFacts(ids);
    const results = facts.map((f) =>
      evaluateCustomer(
        {
          customerId: f.customer.id,
          milestones: f.milestones,
          tickets: f.tickets.map((t) => ({ ...t, countsReason: !excluded.has(t.reasonId) })),
        },
        deps.metric,
        now,
      ),
    );
    await deps.store.saveCustomerResults(ids, results, now);
    if (before !== null && periodsAt !== null) {
      const old = new Map(before.map((s) => [s.customerId, s]));
      for (const { status } of results) {
        const was = old.get(status.customerId);
        if (countedAs(was, periodsAt) === countedAs(status, now)) continue;
        for (const s of [was, status]) {
          if (s?.windowEnd != null) addPeriods(touched, periodsContaining(s.windowEnd));
        }
      }
    }
    customers += facts.length;
    deps.progress(`recompute: ${customers} customers`);
  }
  await afterBulkChange(deps.store, customers, ['customer_status', 'ticket_links']);
  const periods = await refreshPeriods(deps.store, touched, periodsAt, now);
  await deps.store.setState(PERIODS_AT_KEY, String(now));
  return { customers, periods };
}

/**
 * Brings the metric periods from `periodsAt` to `now`: rows change only where a recomputed
 * customer's verdict moved (`touched`) or where a window closed (or, on a clock set back,
 * reopened) between the two instants. Those periods are computed again, whole, from the
 * statuses ending in them, with the same {@link metricPeriods} a full rebuild uses, so the
 * result is the full rebuild's. Returns how many rows were written.
 */
async function refreshPeriods(
  store: Store,
  touched: Map<string, PeriodRef>,
  periodsAt: number | null,
  now: number,
): Promise<number> {
  if (periodsAt !== null) {
    addPeriods(touched, periodsBetween(Math.min(periodsAt, now), Math.max(periodsAt, now)));
  }
  if (periodsAt === null || touched.size > MAX_REFRESHED_PERIODS) {
    const all = metricPeriods(await store.listStatuses(), now);
    await store.saveMetricPeriods(all);
    return all.length;
  }
  const only = [...touched.values()];
  const statuses: StatusSlim[] = [];
  for (const { from, to } of mergedRanges(only)) {
    statuses.push(...(await store.listStatusesEndingBetween(from, to)));
  }
  const rows = metricPeriods(statuses, now).filter((r) => touched.has(`${r.periodKind}/${r.periodStart}`));
  await store.saveMetricPeriods(rows, only);
  return rows.length;
}

async function readPeriodsAt(store: Store): Promise<number | null> {
  const text = await store.getState(PERIODS_AT_KEY);
  const at = text === null || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(at) ? at : null;
}

function addPeriods(into: Map<string, PeriodRef>, refs: PeriodRef[]): void {
  for (const ref of refs) into.set(`${ref.periodKind}/${ref.periodStart}`, ref);
}

/** The periods' instants as disjoint ranges, so no status is read twice. */
function mergedRanges(refs: PeriodRef[]): Array<{ from: number; to: number }> {
  const ranges = refs.map((r) => periodRange(r.periodKind, r.periodStart)).sort((a, b) => a.from - b.from);
  const merged: Array<{ from: number; to: number }> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}
