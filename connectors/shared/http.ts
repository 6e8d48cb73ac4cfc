import {
  errorMessage,
  InvalidPayloadError,
  PermanentError,
  RateLimitedError,
  TransientError,
} from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';

/** A JSON response that came back 2xx (or with a status the caller asked to see). */
export interface JsonResponse {
  status: number;
  headers: Headers;
  /** The parsed body; null when the body was empty. */
  body: unknown;
}

/** How one request is retried, paced and reported; shared by requestJson and SDK transports. */
export interface RetryPolicy {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** A `Retry-After` longer than this is not slept through: it is thrown as RateLimitedError. */
  maxWaitMs?: number;
  /** Backoff base and cap for 5xx and network failures (full jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /**
   * How long one attempt may take, body included (default 60 s). A helpdesk that accepts the
   * connection and never answers would otherwise hold the sync, and its budget slot, forever;
   * a timed-out attempt is retried like a network error.
   */
  timeoutMs?: number;
  logger?: Logger;
  /** Injected for tests: jitter in [0, 1). */
  random?: () => number;
  /** Injected for tests: parses HTTP-date `Retry-After` values. */
  now?: () => number;
  /** Before every attempt, retries included: where a request budget is acquired. */
  beforeAttempt?: () => Promise<void>;
  /** Every response, whatever its status: where the rate-limit headers are observed. */
  onResponse?: (response: Response) => Promise<void>;
  /** A 429 asked to wait `waitMs`: where the budget is blocked for every other worker. */
  onRateLimited?: (waitMs: number) => Promise<void>;
}

export interface RequestJsonOptions extends RetryPolicy {
  url: string;
  method?: string;
  /** Sent as given and never logged: they carry the Authorization header. */
  headers?: Record<string, string>;
  /** A JSON document to send; sets `Content-Type: application/json`. */
  json?: unknown;
  /** Statuses returned to the caller instead of thrown (e.g. 404 when "gone" is an answer). */
  passThrough?: readonly number[];
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_WAIT_MS = 120_000;
/** Used when a 429 carries no usable `Retry-After`. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * One JSON request with the retry policy every connector shares (see `fetchWithRetry`); other
 * 4xx fail at once as PermanentError; a 2xx body that is not JSON is an InvalidPayloadError.
 */
export async function requestJson(options: RequestJsonOptions): Promise<JsonResponse> {
  const method = options.method ?? 'GET';
  const where = `${method} ${describeUrl(options.url)}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetchWithRetry(
    options.url,
    {
      method,
      headers,
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    },
    options,
  );
  const { status } = response;
  if (options.passThrough?.includes(status) || (status >= 200 && status < 300)) {
    return { status, headers: response.headers, body: await readJson(response, where) };
  }
  const detail = await readErrorDetail(response);
  throw new PermanentError(`${where}: HTTP ${status} ${permanentHint(status)}${detail}`);
}

/**
 * Sends one request until it gets an answer worth returning: a 429 waits `Retry-After`
 * (RFC 9110 §10.2.3; Zendesk and Intercom both send it; never less) and tries again; a 5xx,
 * 408 or network failure backs off exponentially with full jitter. Returns the first response
 * that is neither (2xx, or a 4xx the caller judges). Out of attempts, a 429 becomes
 * RateLimitedError (with the wait still owed) and the rest TransientError; a host that does
 * not resolve is a PermanentError at once (a wrong subdomain does not heal).
 */
export async function fetchWithRetry(url: string, init: RequestInit, policy: RetryPolicy): Promise<Response> {
  const maxAttempts = Math.max(1, policy.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const maxWaitMs = policy.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const random = policy.random ?? Math.random;
  const where = `${init.method ?? 'GET'} ${describeUrl(url)}`;

  for (let attempt = 1; ; attempt += 1) {
    const last = attempt >= maxAttempts;
    policy.signal?.throwIfAborted();
    await policy.beforeAttempt?.();
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(policy.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const signal = policy.signal ? AbortSignal.any([policy.signal, timeout]) : timeout;
      response = await policy.fetch(url, { ...init, signal });
    } catch (error) {
      if (policy.signal?.aborted) throw error;
      const code = isTimeout(error) ? 'timeout' : causeCode(error);
      if (code === 'ENOTFOUND') {
        throw new PermanentError(`${where}: host not found (DNS ${code}): check the account name`, {
          cause: error,
        });
      }
      if (last)
        throw new TransientError(
          `${where}: network error after ${attempt} attempts: ${errorMessage(error)}${code ? ` (${code})` : ''}`,
          { cause: error },
        );
      const waitMs = backoffMs(attempt, policy, random);
      policy.logger?.warn(
        { request: where, attempt, waitMs, error: errorMessage(error) },
        'network error; retrying',
      );
      await policy.sleep(waitMs);
      continue;
    }
    await policy.onResponse?.(response);

    const { status } = response;
    if (status === 429) {
      const waitMs = retryAfterMs(response.headers, policy.now ?? Date.now) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      await response.body?.cancel();
      await policy.onRateLimited?.(waitMs);
      if (last || waitMs > maxWaitMs)
        throw new RateLimitedError(
          `${where}: rate limited (429), retry after ${Math.ceil(waitMs / 1000)} s`,
          waitMs,
        );
      policy.logger?.warn({ request: where, attempt, waitMs }, 'rate limited (429); waiting Retry-After');
      await policy.sleep(waitMs);
      continue;
    }
    if (status >= 500 || status === 408) {
      const detail = await readErrorDetail(response);
      if (last) throw new TransientError(`${where}: HTTP ${status} after ${attempt} attempts${detail}`);
      const waitMs = backoffMs(attempt, policy, random);
      policy.logger?.warn({ request: where, attempt, status, waitMs }, 'server error; backing off');
      await policy.sleep(waitMs);
      continue;
    }
    return response;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** The `code` of a network error, which undici puts on the error's `cause`. */
function causeCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function permanentHint(status: number): string {
  if (status === 401) return '(not authenticated: check the credentials)';
  if (status === 403) return '(forbidden: these credentials lack the rights for this endpoint)';
  if (status === 404) return '(not found: check the account / base URL)';
  return '(request refused)';
}

/** Full jitter: a random wait in [0, min(cap, base * 2^(attempt-1))). */
function backoffMs(attempt: number, options: RetryPolicy, random: () => number): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  return Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms. */
export function retryAfterMs(headers: Headers, now: () => number): number | null {
  const value = headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now());
}

async function readJson(response: Response, where: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    const head = text.slice(0, 200);
    throw new InvalidPayloadError(`${where}: HTTP ${response.status} body is not JSON: ${head}`, head, {
      cause: error,
    });
  }
}

/** The vendor's own words for an error, when it sent some (` — Couldn't authenticate you`). */
async function readErrorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return '';
  }
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.description, body.message]
      .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? JSON.stringify(v) : null))
      .filter((v): v is string => v !== null);
    if (parts.length > 0) return ` — ${parts.join(': ').slice(0, 200)}`;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const head = text.trim().slice(0, 200);
  return head ? ` — ${head}` : '';
}

/** Host and path only: query strings may carry cursors or, with some vendors, secrets. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

export interface RateLimit {
  /** Requests allowed in the current window (per minute for Zendesk's `X-Rate-Limit`). */
  limit: number | null;
  remaining: number | null;
  /** Seconds until the window resets, when the vendor says. */
  resetSeconds: number | null;
}

/**
 * Reads the rate-limit headers for reporting and pacing. Zendesk: `X-Rate-Limit` and
 * `X-Rate-Limit-Remaining` on every response, plus `ratelimit-limit/-remaining/-reset` on the
 * ticketing APIs — developer.zendesk.com/api-reference/introduction/rate-limits/. The
 * `X-RateLimit-*` spelling (Intercom) is read as a fallback.
 */
export function rateLimitFromHeaders(headers: Headers): RateLimit | null {
  const pick = (...names: string[]): number | null => {
    for (const name of names) {
      const value = headers.get(name);
      if (value !== null && /^\s*\d+\s*$/.test(value)) return Number(value);
    }
    return null;
  };
  const limit = pick('x-rate-limit', 'ratelimit-limit', 'x-ratelimit-limit');
  const remaining = pick('x-rate-limit-remaining', 'ratelimit-remaining', 'x-ratelimit-remaining');
  const resetSeconds = pick('ratelimit-reset');
  if (limit === null && remaining === null) return null;
  return { limit, remaining, resetSeconds };
}

/** `400 requests/min, 398 remaining` — for `connect` output. */
export function describeRateLimit(rateLimit: RateLimit | null, window = 'min'): string | null {
  if (!rateLimit) return null;
  const parts = [
    rateLimit.limit === null ? null : `${rateLimit.limit} requests/${window}`,
    rateLimit.remaining === null ? null : `${rateLimit.remaining} remaining`,
  ].filter((p): p is string => p !== null);
  return parts.join(', ');
}
