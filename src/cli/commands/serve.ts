import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startServe } from '../../server/serve.js';
import { type CliIo, withApp } from '../context.js';
import { processStopSignal } from './worker.js';

/** `zerotickets serve [--port P] [--host H]` (Contract). */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'dashboard, webhook receiver and ingest API; ZT_API_TOKEN guards it (required beyond loopback)',
    )
    .option('--port <port>', 'TCP port', port, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      await withApp(io, async (app) => {
        const server = await startServe(app, { host: opts.host, port: opts.port });
        io.stderr(`serving on ${server.url} (${server.dispatcher.mode})\n`);
        const signal = await processStopSignal();
        app.logger.info({ signal }, 'serve stopping');
        await server.close();
      });
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}
