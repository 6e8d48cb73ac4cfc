import type { Command } from 'commander';
import { runPipeline } from '../../jobs/inline-runner.js';
import { type CliIo, printJson, withApp } from '../context.js';

/** `zerotickets run --once [--dry-run]` (Contract). */
export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('sync every connection, link, classify, recompute, export, and post (or print) the digest')
    .requiredOption('--once', 'run the pipeline once and exit (the long-running mode is `worker`)')
    .option('--dry-run', 'print the digest instead of posting it')
    .option('--json', 'print the run summary as one JSON document instead of the digest')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      await withApp(io, async (app) => {
        const deps = await app.pipeline();
        const summary = await runPipeline(opts.json ? { ...deps, out: () => {} } : deps, {
          dryRun: opts.dryRun === true,
        });
        if (opts.json) printJson(io, summary);
        failIfSyncsFailed(summary.failedSyncs);
      });
    });
}

/** A run whose syncs failed still ran the rest of the pipeline, but it exits non-zero. */
export function failIfSyncsFailed(failed: Array<{ connectionId: string; error: string }>): void {
  if (failed.length > 0) {
    throw new Error(`sync failed for ${failed.map((f) => `${f.connectionId} (${f.error})`).join(', ')}`);
  }
}
