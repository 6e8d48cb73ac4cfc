import { errorMessage, PermanentError, RateLimitedError, TransientError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Our own retry policy around one Slack call. The SDK clients are built with their retries off
 * (and `rejectRateLimitedCalls`), so every wait goes through the injected `sleep`: tests never
 * wait, and a 429's `Retry-After` is honoured exactly.
 *
 * What a failure means for a post:
 * - `rate_limited` (HTTP 429): Slack did not post; wait `Retry-After` and retry.
 *   https://api.slack.com/apis/rate-limits
 * - `transient` (5xx, Slack's `internal_error`/`fatal_error`/`service_unavailable`, or the
 *   connection could not be opened): not posted; retry with exponential backoff and jitter.
 * - `permanent` (other 4xx, `invalid_auth`, `channel_not_found`, `invalid_blocks` …): retrying
 *   will not help.
 * - `uncertain` (a timeout or a connection dropped after the request went out): Slack may have
 *   posted. Retrying could post twice, so it is not retried (see {@link UncertainDeliveryError}).
 */
export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'transient' }
  | { kind: 'permanent' }
  | { kind: 'uncertain' };

/** A post whose outcome is unknown: it may be in the channel. Never retried automatically. */
export class UncertainDeliveryError extends Error {
  override readonly name = 'UncertainDeliveryError';
}

export interface RetryOptions {
  sleep: (ms: number) => Promise<void>;
  /** Attempts in all, the first included. */
  attempts?: number;
  /** First backoff after a transient failure; doubles each time, with full jitter. */
  baseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for in-process: the job reports it. */
  maxRetryAfterMs?: number;
  random?: () => number;
  logger?: Logger;
}

export const DEFAULT_ATTEMPTS = 4;

/**
 * Runs `call` until it succeeds, a failure is permanent or uncertain, or the attempts run out;
 * then throws `PermanentError`, `UncertainDeliveryError`, `RateLimitedError` or
 * `TransientError` (with the last Slack error as `cause`), which the job shells understand.
 */
export async function withSlackRetries<T>(
  what: string,
  call: () => Promise<T>,
  classify: (error: unknown) => SlackFailure,
  options: RetryOptions,
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = classify(error);
      const detail = `${what}: ${errorMessage(error)}`;
      if (failure.kind === 'permanent') throw new PermanentError(detail, { cause: error });
      if (failure.kind === 'uncertain') {
        throw new UncertainDeliveryError(`${detail} (Slack may have posted it; not retried)`, {
          cause: error,
        });
      }
      const last = attempt >= attempts;
      if (failure.kind === 'rate_limited') {
        if (last || failure.retryAfterMs > maxRetryAfterMs) {
          throw new RateLimitedError(
            `${detail} (rate limited after ${attempt} attempts)`,
            failure.retryAfterMs,
            {
              cause: error,
            },
          );
        }
        options.logger?.warn(
          { attempt, retryAfterMs: failure.retryAfterMs },
          `${what}: Slack rate limit, waiting`,
        );
        await options.sleep(failure.retryAfterMs);
        continue;
      }
      if (last) throw new TransientError(`${detail} (failed ${attempt} times)`, { cause: error });
      const delay = Math.round(random() * baseDelayMs * 2 ** (attempt - 1));
      options.logger?.warn({ attempt, delayMs: delay, err: error }, `${what}: Slack failed, retrying`);
      await options.sleep(delay);
    }
  }
}

// Slack's own error names that mean "try again later" (https://api.slack.com/methods/chat.postMessage#errors).
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);
// A connection that was never opened carried no request: safe to retry.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface CodedSlackError {
  code?: unknown;
  statusCode?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  original?: unknown;
}

/**
 * Classifies an error of `@slack/web-api` or `@slack/webhook` by its `code` (their error classes
 * are CommonJS and not all visible to ESM imports, so this reads the documented fields).
 * `webhookRetryAfterMs` is the `Retry-After` of the webhook's last response, which the webhook
 * client's error does not carry.
 */
export function classifySlackError(error: unknown, webhookRetryAfterMs: number | null = null): SlackFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as CodedSlackError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate_limited', retryAfterMs: secondsToMs(e.retryAfter) };
    case 'slack_webapi_platform_error':
      return TRANSIENT_PLATFORM_ERRORS.has(String(e.data?.error))
        ? { kind: 'transient' }
        : { kind: 'permanent' };
    case 'slack_webapi_http_error':
    case 'slack_webhook_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429) return { kind: 'rate_limited', retryAfterMs: webhookRetryAfterMs ?? 1000 };
      return status >= 500 ? { kind: 'transient' } : { kind: 'permanent' };
    }
    case 'slack_webapi_request_error':
    case 'slack_webhook_request_error':
      return neverSent(e.original) ? { kind: 'transient' } : { kind: 'uncertain' };
    default:
      return { kind: 'permanent' };
  }
}

function neverSent(original: unknown): boolean {
  let current: unknown = original;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `Retry-After` in seconds (Slack sends whole seconds) → ms; 1 s when missing or unreadable. */
export function secondsToMs(value: unknown): number {
  const seconds = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}
