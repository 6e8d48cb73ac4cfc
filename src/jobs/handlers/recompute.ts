import { evaluateCustomer } from '../../domain/customer-status.js';
import { DAY_MS, metricPeriods } from '../../domain/metric.js';
import type { Reason } from '../../domain/reason.js';
import type { MetricSettings } from '../../domain/status-types.js';
import type { Logger } from '../../logger.js';
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

/**
 * Recomputes the status of the *affected* customers only: those marked dirty by sync, import
 * or classification, plus those whose status changes with time alone (a buffer that ended, a
 * start that is now older than the stall limit). Then refreshes the metric periods.
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
  let customers = 0;
  for (;;) {
    const ids = await deps.store.listDirtyCustomers(batchSize);
    if (ids.length === 0) break;
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
    customers += facts.length;
    deps.progress(`recompute: ${customers} customers`);
  }
  const periods = metricPeriods(await deps.store.listStatuses(), now);
  await deps.store.saveMetricPeriods(periods);
  return { customers, periods: periods.length };
}
