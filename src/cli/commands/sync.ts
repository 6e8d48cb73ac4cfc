import type { Command } from 'commander';
import { PermanentError } from '../../errors.js';
import { runPipeline } from '../../jobs/inline-runner.js';
import { type CliIo, withApp } from '../context.js';
import { failIfSyncsFailed } from './run.js';

/** `zerotickets sync [--connection ID] [--wait]` (Contract). */
export function registerSync(program: Command, io: CliIo): void {
  program
    .command('sync')
    .description('sync now (without REDIS_URL: inline, like run --once for those connections)')
    .option('--connection <id>', 'only this connection')
    .option('--wait', 'return when the pipeline is done (always true inline)')
    .action(async (opts: { connection?: string }) => {
      await withApp(io, async (app) => {
        if (app.env.REDIS_URL)
          throw new PermanentError('queued syncs (REDIS_URL) are not available in this version yet');
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
