import type { CliIo } from '../../src/cli/context.js';
import { main } from '../../src/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process with its own environment, capturing stdout and stderr. */
export async function runCli(
  args: string[],
  options: { env: Record<string, string | undefined>; cwd: string; now?: () => number },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env,
    cwd: options.cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...(options.now ? { now: options.now } : {}),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
