import type { QuarantinedPayload } from './domain/ticket.js';

/**
 * Typed errors that decide what happens next: wait, retry, quarantine or stop.
 * The inline runner waits on `RateLimitedError`; the BullMQ shell maps them to delays and
 * `UnrecoverableError`.
 */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Worth retrying: 5xx, network failures, timeouts. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** Retrying will not help: bad credentials, missing rights, unknown account. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** A payload from outside failed validation; it is quarantined, not dropped. */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';
  constructor(
    message: string,
    readonly payload: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A connector gave up on pages it could not read. It carries them as quarantine records so
 * the sync can store them (without moving any cursor) before it fails: never dropped silently.
 */
export class UnreadablePagesError extends InvalidPayloadError {
  constructor(
    message: string,
    readonly quarantined: QuarantinedPayload[],
    options?: ErrorOptions,
  ) {
    super(message, quarantined, options);
  }
}

/** Bad configuration or input named by key; the CLI prints it as one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
