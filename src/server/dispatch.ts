import { jobCatalog } from '../jobs/catalog.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { exportWarehouse } from '../jobs/handlers/export-warehouse.js';
import { linkAndClassify, reclassifyIfTaxonomyChanged } from '../jobs/handlers/link-classify.js';
import { recomputeStatuses } from '../jobs/handlers/recompute.js';
import { refreshTickets } from '../jobs/handlers/refresh-tickets.js';
import type { PipelineDeps } from '../jobs/inline-runner.js';
import type { QueueName, Queues } from '../jobs/queues.js';
import type { Logger } from '../logger.js';

/**
 * What `serve` does after accepting data: with Redis it enqueues jobs for the workers; without,
 * it runs the same handlers in this process, one piece of work at a time (two recomputes of
 * one store must not interleave), after the response has been sent.
 */
export interface WorkDispatcher {
  readonly mode: 'inline' | 'queued';
  /** Customers changed: their tickets may link differently, so link-classify, then recompute. */
  customersChanged(): Promise<void>;
  /** Milestones changed: recompute the customers marked dirty. */
  milestonesChanged(): Promise<void>;
  /** A webhook named these tickets. */
  refreshTickets(connectionId: string, ticketIds: string[]): Promise<void>;
  /** Resolves when the inline work accepted so far is done (queued: at once). */
  idle(): Promise<void>;
  /** Inline jobs run by this process, by queue, for /metrics. */
  readonly counts: Record<'processed' | 'failed', Partial<Record<QueueName, number>>>;
}

export function queuedDispatcher(queues: Queues): WorkDispatcher {
  const counts = { processed: {}, failed: {} };
  return {
    mode: 'queued',
    counts,
    async customersChanged() {
      await enqueueJob(queues, jobCatalog, 'link-classify', {});
    },
    async milestonesChanged() {
      await enqueueJob(queues, jobCatalog, 'recompute', {});
    },
    async refreshTickets(connectionId, ticketIds) {
      for (let i = 0; i < ticketIds.length; i += 100) {
        await enqueueJob(queues, jobCatalog, 'refresh-tickets', {
          connectionId,
          ticketIds: ticketIds.slice(i, i + 100),
        });
      }
    },
    idle: () => Promise.resolve(),
  };
}

export function inlineDispatcher(pipeline: () => Promise<PipelineDeps>, logger: Logger): WorkDispatcher {
  const counts: WorkDispatcher['counts'] = { processed: {}, failed: {} };
  let tail: Promise<void> = Promise.resolve();
  const run = (queue: QueueName, work: (deps: PipelineDeps) => Promise<unknown>): Promise<void> => {
    tail = tail.then(async () => {
      try {
        await work(await pipeline());
        counts.processed[queue] = (counts.processed[queue] ?? 0) + 1;
      } catch (err) {
        counts.failed[queue] = (counts.failed[queue] ?? 0) + 1;
        logger.error({ err, queue }, 'inline work failed; the store keeps its work marks for the next run');
      }
    });
    return Promise.resolve();
  };
  const recomputeAndExport = async (deps: PipelineDeps) => {
    await recomputeStatuses(deps);
    await exportWarehouse(deps);
  };
  return {
    mode: 'inline',
    counts,
    customersChanged: () =>
      run('link-classify', async (deps) => {
        await reclassifyIfTaxonomyChanged(deps.store, deps.reasons, deps.logger);
        await linkAndClassify(deps);
        await recomputeAndExport(deps);
      }),
    milestonesChanged: () => run('recompute', recomputeAndExport),
    refreshTickets: (connectionId, ticketIds) =>
      run('sync', (deps) => refreshTickets(deps, { connectionId, ticketIds })),
    idle: () => tail,
  };
}
