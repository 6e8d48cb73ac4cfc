import type { Command } from 'commander';
import { PermanentError } from '../../errors.js';
import type { CliIo } from '../context.js';

/** `zerotickets worker [--concurrency N]` (Contract). */
export function registerWorker(program: Command, _io: CliIo): void {
  program
    .command('worker')
    .description('the long-running BullMQ worker (needs REDIS_URL)')
    .allowUnknownOption()
    .action(() => {
      throw new PermanentError(
        '`worker` is not available in this version yet; use `run --once` on a schedule',
      );
    });
}
