import type { Command } from 'commander';
import type { CliIo } from '../context.js';
import { runDemo } from '../demo.js';

/** `zerotickets demo` (Contract). */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'simulated Zendesk and Intercom + sample company, then the whole pipeline once (uses DATABASE_URL, default ./zerotickets.db)',
    )
    .action(() => runDemo(io));
}
