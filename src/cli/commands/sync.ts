import type { Command } from 'commander';
import type { App } from '../../app.js';
import { ConfigError } from '../../errors.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { type Enqueued, enqueueJob, waitForPipeline } from '../../jobs/enqueue.js';
import { runPipeline } from '../../jobs/inline-runner.js';
import { closeQueues, openQueues } from '../../jobs/queues.js';
import { type CliIo, withApp } from '../context.js';
import { failIfSyncsFailed } from './run.js';

/** `zerotickets sync [--connection ID] [--wait]` (Contract). */
export function registerSync(program: Command, io: CliIo): void {
  program
    .command('sync')
    .description(
      'sync now: with REDIS_URL, queue the sync and its pipeline for the workers; without, run it inline',
    )
    .option('--connection <id>', 'only this connection')
    .option('--wait', 'with REDIS_URL: return when the pipeline is done, and fail if it failed')
    .action(async (opts: { connection?: string; wait?: boolean }) => {
      await withApp(io, async (app) => {
        if (app.redis) return queuedSync(app, io, opts);
        const deps = await app.pipeline();
        const summary = await runPipeline(deps, {
          dryRun: true,
          digest: false,
          ...(opts.connection ? { connectionIds: [opts.connection] } : {}),
        });
        io.stdout(
          `synced ${summary.syncs.map((s) => `${s.connectionId}: ${s.tickets} tickets`).join(', ') || 'nothing'}\n`,
        );
        failIfSyncsFailed(summary.failedSyncs);
      });
    });
}

async function queuedSync(app: App, io: CliIo, opts: { connection?: string; wait?: boolean }): Promise<void> {
  const connections = await app.store.listConnections();
  const ids = opts.connection ? [opts.connection] : connections.map((c) => c.id);
  const unknown = ids.filter((id) => !connections.some((c) => c.id === id));
  if (unknown.length > 0)
    throw new ConfigError(`--connection: no connection "${unknown[0]}" (see: zerotickets connect)`);
  if (ids.length === 0) {
    io.stdout('nothing to sync: no connections (see: zerotickets connect)\n');
    return;
  }
  const queues = openQueues(app.redis!, app.logger);
  try {
    const added: Enqueued[] = [];
    for (const connectionId of ids)
      added.push(await enqueueJob(queues, jobCatalog, 'sync', { connectionId }));
    if (!opts.wait) {
      io.stdout(`queued sync for ${ids.join(', ')}\n`);
      return;
    }
    const steps = await waitForPipeline(queues, jobCatalog, added, { progress: app.progress });
    const synced = steps
      .filter((s) => s.name === 'sync')
      .map((s) => s.result as { connectionId: string; tickets: number })
      .map((r) => `${r.connectionId}: ${r.tickets} tickets`);
    io.stdout(
      `synced ${synced.join(', ')}; pipeline done (${[...new Set(steps.map((s) => s.name))].join(' → ')})\n`,
    );
  } finally {
    await closeQueues(queues);
  }
}
