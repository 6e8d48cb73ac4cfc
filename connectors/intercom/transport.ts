import type { IntercomClient } from 'intercom-client';
import type { Logger } from '../../src/logger.js';
import type { Lane, RateObservation, RequestBudget } from '../shared/budget.js';
import { type JsonResponse, requestJson, retryAfterMs } from '../shared/http.js';

/**
 * The transport under intercom-client: the SDK builds every request (path, query, JSON body,
 * `Authorization`, `Intercom-Version`) and types the answers; this `fetcher` sends it with the
 * shared retry policy (connectors/shared/http.ts) through the request budget every worker of
 * the workspace shares.
 *
 * Why a `fetcher` and not the SDK's own transport: its retries (408/429/5xx, each wait capped
 * at 60 s, reference B7) would fight ours and bypass the budget; and a `fetch` handed to it
 * cannot surface our typed errors, because the SDK catches whatever `fetch` throws and rethrows
 * a generic IntercomError. A custom `fetcher` is called outside that catch, so
 * RateLimitedError / TransientError / PermanentError reach the sync as they are.
 */
export type IntercomFetcher = NonNullable<
  NonNullable<ConstructorParameters<typeof IntercomClient>[0]>['fetcher']
>;

/**
 * Intercom spreads the per-minute limit over 10-second windows; `X-RateLimit-Limit` is the
 * window's share (167 for the default 1,000/min) and `X-RateLimit-Reset` the Unix second the
 * window refills — developers.intercom.com/docs/references/rest-api/errors/rate-limiting
 */
export const RATE_WINDOW_MS = 10_000;
/** 4xx handed back to the SDK (which raises its typed errors; api.ts translates them). */
const PASS_THROUGH = [400, 401, 403, 404, 409, 422] as const;
/** Per attempt, when the SDK names none. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** A 429 with no usable header: wait one window. */
const FALLBACK_429_WAIT_MS = RATE_WINDOW_MS;

export interface TransportOptions {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  budget: RequestBudget;
  /** The budget key of the workspace, e.g. `intercom:abc123`. */
  budgetKey: string;
  /** The lane of whatever is being sent right now (backfill, incremental, webhook). */
  lane: () => Lane;
  /** Attempts in all per request (default 5). */
  maxAttempts?: number;
  /** Injected for tests: backoff jitter in [0, 1). */
  random?: () => number;
}

type FetcherArgs = Parameters<IntercomFetcher>[0];
type FetcherResult = Awaited<ReturnType<IntercomFetcher>>;

export function createIntercomFetcher(options: TransportOptions): IntercomFetcher {
  const { budget, budgetKey, now } = options;
  // A 429 from Intercom may come without Retry-After; then the wait is until X-RateLimit-Reset.
  // The shared policy reads only Retry-After, so state that wait as one before it sees the 429.
  // Each attempt also gets the SDK's timeout (its own transport would have applied it).
  const attemptFetch =
    (timeoutMs: number): typeof fetch =>
    async (input, init) => {
      const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
      const response = await options.fetch(input, { ...init, signal: AbortSignal.any(signals) });
      if (response.status !== 429 || response.headers.has('retry-after')) return response;
      const headers = new Headers(response.headers);
      headers.set('retry-after', String(Math.ceil(rateLimitWaitMs(response.headers, now) / 1000)));
      return new Response(response.body, { status: 429, statusText: response.statusText, headers });
    };

  // The window length is known before any response; the limit is learned from the headers.
  let declared: Promise<void> | null = null;
  const acquire = async (signal: AbortSignal | undefined) => {
    declared ??= budget.observe(budgetKey, { windowMs: RATE_WINDOW_MS });
    await declared;
    await budget.acquire(budgetKey, options.lane(), signal);
  };

  const fetcher = async (args: FetcherArgs): Promise<FetcherResult> => {
    const url = withQuery(args.url, args.queryParameters);
    const response = await requestJson({
      fetch: attemptFetch(args.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      url,
      method: args.method,
      headers: await resolveHeaders(args),
      ...(args.body === undefined ? {} : { json: args.body }),
      sleep: options.sleep,
      now,
      logger: options.logger,
      passThrough: PASS_THROUGH,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(options.random ? { random: options.random } : {}),
      ...(args.abortSignal ? { signal: args.abortSignal } : {}),
      beforeAttempt: () => acquire(args.abortSignal),
      onResponse: async (res) => {
        const observation = rateObservation(res.headers);
        if (observation) await budget.observe(budgetKey, observation);
      },
      // Nothing goes to this workspace until then, from this worker or any other (DESIGN).
      onRateLimited: (waitMs) => budget.block(budgetKey, now() + waitMs),
    });
    return toApiResponse(url, response);
  };
  return fetcher as IntercomFetcher;
}

/** 429: `Retry-After` when sent, else until `X-RateLimit-Reset`, else one window. */
export function rateLimitWaitMs(headers: Headers, now: () => number): number {
  const retryAfter = retryAfterMs(headers, now);
  if (retryAfter !== null) return retryAfter;
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (reset !== null) return Math.max(1000, reset * 1000 - now());
  return FALLBACK_429_WAIT_MS;
}

/** `X-RateLimit-*` as the budget wants them: the limit is per 10-second window. */
export function rateObservation(headers: Headers): RateObservation | null {
  const limit = headerNumber(headers, 'x-ratelimit-limit');
  const remaining = headerNumber(headers, 'x-ratelimit-remaining');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (limit === null && remaining === null) return null;
  return { limit, remaining, resetAtMs: reset === null ? null : reset * 1000, windowMs: RATE_WINDOW_MS };
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : null;
}

function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

/** The SDK's header values may be suppliers (functions); resolve them as its own fetcher does. */
async function resolveHeaders(args: FetcherArgs): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(args.headers ?? {})) {
    const result =
      typeof value === 'function' ? await value({ endpointMetadata: args.endpointMetadata ?? {} }) : value;
    if (result !== null && result !== undefined) resolved[name] = String(result);
  }
  return resolved;
}

function toApiResponse(url: string, response: JsonResponse): FetcherResult {
  const rawResponse = {
    headers: response.headers,
    redirected: false,
    status: response.status,
    statusText: '',
    type: 'basic' as const,
    url,
  };
  if (response.status >= 200 && response.status < 300) return { ok: true, body: response.body, rawResponse };
  return {
    ok: false,
    error: { reason: 'status-code', statusCode: response.status, body: response.body },
    rawResponse,
  };
}
