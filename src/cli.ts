import { Command, CommanderError } from 'commander';
import { registerConnectIntercom } from './cli/commands/connect-intercom.js';
import { registerConnectZendesk } from './cli/commands/connect-zendesk.js';
import { registerDemo } from './cli/commands/demo.js';
import { registerDigest } from './cli/commands/digest.js';
import { registerImport } from './cli/commands/import.js';
import { registerReasons } from './cli/commands/reasons.js';
import { registerRun } from './cli/commands/run.js';
import { registerServe } from './cli/commands/serve.js';
import { registerStatus } from './cli/commands/status.js';
import { registerSync } from './cli/commands/sync.js';
import { registerWorker } from './cli/commands/worker.js';
import type { CliIo } from './cli/context.js';
import { errorMessage } from './errors.js';

/**
 * The one entry point. Results go to stdout (a digest, one `--json` document); logs and
 * progress go to stderr. Exit 0 on success, non-zero with a one-line reason on failure.
 * Each command lives in `cli/commands/<name>.ts`.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(`zerotickets: ${oneLine(error)}\n`);
    return 1;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('zerotickets')
    .description(
      'Companies with zero support tickets: the share of customers who finish onboarding without a ticket.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  const connect = program
    .command('connect')
    .description('connect a helpdesk once: verify credentials, store them encrypted');
  registerConnectZendesk(connect, io);
  registerConnectIntercom(connect, io);
  registerImport(program, io);
  registerRun(program, io);
  registerReasons(program, io);
  registerSync(program, io);
  registerStatus(program, io);
  registerDemo(program, io);
  registerDigest(program, io);
  registerWorker(program, io);
  registerServe(program, io);
  return program;
}

function oneLine(error: unknown): string {
  return errorMessage(error).split('\n')[0] ?? 'unknown error';
}

function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
