import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../../errors.js';
import { runWorkerProcess } from '../../jobs/worker-process.js';
import { type CliIo, withApp } from '../context.js';

/** `zerotickets worker [--concurrency N]` (Contract). */
export function registerWorker(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description('the long-running BullMQ worker (needs REDIS_URL); SIGTERM/SIGINT stop it gracefully')
    .option('--concurrency <n>', 'jobs of each queue this process runs at once', positiveInt, 2)
    .action(async (opts: { concurrency: number }) => {
      await withApp(io, async (app) => {
        if (!app.redis)
          throw new ConfigError('REDIS_URL: required by `worker` (e.g. redis://127.0.0.1:6379)');
        const deps = await app.pipeline();
        await runWorkerProcess(deps, {
          redis: app.redis,
          settings: app.settings!,
          store: app.store,
          logger: app.logger,
          concurrency: opts.concurrency,
          stop: processStopSignal(),
        });
      });
    });
}

/** Resolves on the first SIGTERM or SIGINT; a second one is left to Node's default (exit). */
export function processStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError('expected a whole number from 1 to 100');
  return n;
}
