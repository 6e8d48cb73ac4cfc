import type { Command } from 'commander';
import { PermanentError } from '../../errors.js';
import type { CliIo } from '../context.js';

/** `zerotickets serve [--port P] [--host H]` (Contract). */
export function registerServe(program: Command, _io: CliIo): void {
  program
    .command('serve')
    .description('dashboard, webhooks and ingest API')
    .allowUnknownOption()
    .action(() => {
      throw new PermanentError('`serve` is not available in this version yet; use `status --json`');
    });
}
