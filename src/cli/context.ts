import { type App, type AppOptions, createApp } from '../app.js';

/** What every command needs from the outside world; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => number;
  fetch?: typeof fetch;
}

/** Opens the app for one command, runs it, and always closes the store. */
export async function withApp<T>(
  io: CliIo,
  run: (app: App) => Promise<T>,
  overrides: Partial<AppOptions> = {},
): Promise<T> {
  const app = await createApp({
    env: io.env,
    cwd: io.cwd,
    out: (text) => io.stdout(`${text}\n`),
    progress: progressPrinter(io),
    logDestination: { write: (line) => io.stderr(line) },
    ...(io.now ? { now: io.now } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...overrides,
  });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/**
 * Progress as short human lines on stderr, at most one per label per second (the last one of a
 * step always shows when the step changes), so long work is visible without flooding logs.
 */
function progressPrinter(io: CliIo): (line: string) => void {
  let lastAt = 0;
  let lastLabel = '';
  return (line) => {
    const label = line.split(':')[0] ?? '';
    const now = Date.now();
    if (label === lastLabel && now - lastAt < 1000) return;
    lastAt = now;
    lastLabel = label;
    io.stderr(`› ${line}\n`);
  };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
