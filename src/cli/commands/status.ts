import type { Command } from 'commander';
import { type CliIo, printJson, withApp } from '../context.js';
import { metricStatus, renderStatus } from '../status.js';

/** `zerotickets status [--json]` (Contract). */
export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('the metric, pending counts and last sync per connection')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const status = await withApp(io, (app) => metricStatus(app));
      if (opts.json) printJson(io, status);
      else io.stdout(`${renderStatus(status)}\n`);
    });
}
