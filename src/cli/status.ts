import type { App } from '../app.js';
import { pendingCounts, statusCounts, trailingMetric } from '../domain/metric.js';
import { DIGEST_TITLE } from '../outputs/render-digest.js';

/** Days of closed windows behind the headline percentage. */
export const STATUS_WINDOW_DAYS = 28;

/** The document `status --json` prints and `GET /api/metric` serves. */
export async function metricStatus(app: App) {
  const now = app.now();
  const [statuses, quality, connections] = await Promise.all([
    app.store.listStatuses(),
    app.store.dataQuality(),
    app.store.listConnections(),
  ]);
  const trailing = trailingMetric(statuses, now, STATUS_WINDOW_DAYS);
  return {
    title: DIGEST_TITLE,
    asOf: new Date(now).toISOString(),
    windowDays: STATUS_WINDOW_DAYS,
    zeroTicketPct: trailing.zeroTicketPct,
    zeroTickets: trailing.zeroTickets,
    hadTickets: trailing.hadTickets,
    closedWindows: trailing.closedWindows,
    pending: pendingCounts(statuses),
    customers: statuses.length,
    statusCounts: statusCounts(statuses),
    unlinkedTickets: quality.unlinkedTickets,
    unclassifiedTickets: quality.unclassifiedTickets,
    quarantinedPayloads: quality.quarantined,
    connections: connections.map((c) => ({
      id: c.id,
      kind: c.kind,
      lastSyncAt: c.lastSyncAt === null ? null : new Date(c.lastSyncAt).toISOString(),
    })),
  };
}

export function renderStatus(status: Awaited<ReturnType<typeof metricStatus>>): string {
  const pct =
    status.zeroTicketPct === null
      ? 'n/a (no window closed in the last 28 days)'
      : `${status.zeroTicketPct.toFixed(1)}%`;
  const p = status.pending;
  return [
    `${status.title}: ${pct}`,
    `  windows closed in the last ${status.windowDays} days: ${status.closedWindows} (${status.zeroTickets} zero tickets, ${status.hadTickets} had tickets)`,
    `  pending: ${p.in_progress} in progress, ${p.in_buffer} in buffer, ${p.stalled} stalled, ${p.not_started} not started`,
    `  data quality: ${status.unlinkedTickets} unlinked tickets, ${status.unclassifiedTickets} unclassified tickets, ${status.quarantinedPayloads} quarantined payloads`,
    '  connections:',
    ...(status.connections.length === 0
      ? ['    none (zerotickets connect zendesk …)']
      : status.connections.map((c) => `    ${c.id} (${c.kind}): last sync ${c.lastSyncAt ?? 'never'}`)),
  ].join('\n');
}
