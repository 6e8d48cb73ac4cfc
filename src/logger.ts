import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths redacted from every log line. Secrets never belong in logs, but a stray object with a
 * token in it must not leak either.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'webhookSecret',
  '*.webhookSecret',
  'apiToken',
  '*.apiToken',
  'accessToken',
  '*.accessToken',
  'webhookUrl',
  '*.webhookUrl',
  'credentials',
  '*.credentials',
];

/**
 * JSON logs, to stderr by default: stdout is for results (digests, `--json` documents).
 * Tests pass their own destination to read what was logged.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'zerotickets' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
