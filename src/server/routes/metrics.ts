import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { QUEUE_NAMES, type Queues, statsKey } from '../../jobs/queues.js';
import type { Store } from '../../store/store.js';
import type { WorkDispatcher } from '../dispatch.js';

export interface MetricsDeps {
  store: Store;
  now: () => number;
  queues: Queues | null;
  redis: Redis | null;
  prefix: string;
  dispatcher: WorkDispatcher;
}

/**
 * `GET /metrics` in the Prometheus text format. With Redis the job counts are the whole
 * fleet's (BullMQ's per-queue metrics, kept in Redis by every worker); without, this process's
 * inline work. Values are read at scrape time.
 */
export function metricsRoutes(deps: MetricsDeps): Hono {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zt_process_' });
  const jobTotals = async (kind: 'completed' | 'failed'): Promise<Array<[string, number]>> => {
    if (!deps.queues) {
      const counts = deps.dispatcher.counts[kind === 'completed' ? 'processed' : 'failed'];
      return QUEUE_NAMES.map((q) => [q, counts[q] ?? 0]);
    }
    const queues = deps.queues;
    return Promise.all(
      QUEUE_NAMES.map(
        async (q) => [q, (await queues[q].getMetrics(kind, 0, 0)).meta.count] as [string, number],
      ),
    );
  };
  new Counter({
    name: 'zt_jobs_processed_total',
    help: 'Jobs completed, by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, n] of await jobTotals('completed')) this.inc({ queue }, n);
    },
  });
  new Counter({
    name: 'zt_jobs_failed_total',
    help: 'Jobs that failed for good, by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, n] of await jobTotals('failed')) this.inc({ queue }, n);
    },
  });
  new Counter({
    name: 'zt_rate_limit_waits_total',
    help: 'Jobs delayed because a helpdesk rate-limited them, by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      const stored = deps.redis ? await deps.redis.hgetall(statsKey(deps.prefix)) : {};
      for (const queue of QUEUE_NAMES) this.inc({ queue }, Number(stored[`rate_limit_waits:${queue}`] ?? 0));
    },
  });
  new Gauge({
    name: 'zt_queue_jobs',
    help: 'Jobs in each state, by queue (Redis only)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!deps.queues) return;
      for (const queue of QUEUE_NAMES) {
        const counts = await deps.queues[queue].getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      }
    },
  });
  new Gauge({
    name: 'zt_sync_lag_seconds',
    help: 'Seconds since the last finished sync, by connection (absent until the first sync)',
    labelNames: ['connection'],
    registers: [registry],
    async collect() {
      this.reset();
      const now = deps.now();
      for (const c of await deps.store.listConnections()) {
        if (c.lastSyncAt !== null) this.set({ connection: c.id }, Math.max(0, (now - c.lastSyncAt) / 1000));
      }
    },
  });

  const routes = new Hono();
  routes.get('/metrics', async (c) => {
    c.header('content-type', registry.contentType);
    return c.body(await registry.metrics());
  });
  return routes;
}
