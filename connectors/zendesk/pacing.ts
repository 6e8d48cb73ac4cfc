import type { Lane, RequestBudget } from '../shared/budget.js';
import type { RetryPolicy } from '../shared/http.js';

/**
 * How Zendesk requests spend the request budget — developer.zendesk.com/api-reference/introduction/rate-limits/:
 *
 * - The account limit (200–2,500 requests/min by plan) is shared by every API client of the
 *   account, ours included; every response carries `X-Rate-Limit` and `X-Rate-Limit-Remaining`
 *   for the current minute, so the budget learns both the limit and what other apps spent.
 * - The incremental exports have their own limit inside it: 10 requests/min, 30 with the High
 *   Volume API add-on. An export request acquires both keys.
 * - A 429's `Retry-After` blocks the key it hit for every worker (http.ts sleeps it too).
 */

/** Zendesk's incremental export limit without / with the High Volume add-on (per minute). */
export const EXPORT_LIMIT_PER_MINUTE = 10;
export const HIGH_VOLUME_EXPORT_LIMIT_PER_MINUTE = 30;
/** High Volume raises the account limit *to* 2,500/min (built into Enterprise Plus). */
export const HIGH_VOLUME_ACCOUNT_LIMIT = 2_500;

export type ZendeskEndpoint = 'api' | 'export';

export interface ZendeskPacing {
  readonly accountKey: string;
  readonly exportKey: string;
  /** The budget hooks for one request to `endpoint` in `lane`. */
  hooks(
    endpoint: ZendeskEndpoint,
    lane: Lane,
    /** Ends a wait for budget (shutdown). */
    signal?: AbortSignal,
  ): Pick<RetryPolicy, 'beforeAttempt' | 'onResponse' | 'onRateLimited'>;
}

export function zendeskPacing(options: {
  budget: RequestBudget;
  /** The account's host, e.g. `acme.zendesk.com`: the budget belongs to the account. */
  account: string;
  /** The export limit the connection states; absent, 10/min until the account shows High Volume. */
  exportLimitPerMinute?: number;
  now: () => number;
}): ZendeskPacing {
  const { budget, now } = options;
  const accountKey = `zendesk:${options.account}`;
  const exportKey = `${accountKey}:export`;
  let declared: Promise<void> | null = null;
  let exportLimit = options.exportLimitPerMinute ?? EXPORT_LIMIT_PER_MINUTE;
  // The export limit is known before any response (no header states it), so declare it once.
  const declareExport = () => {
    declared ??= budget.observe(exportKey, { limit: exportLimit });
    return declared;
  };

  return {
    accountKey,
    exportKey,
    hooks(endpoint, lane, signal) {
      return {
        async beforeAttempt() {
          if (endpoint === 'export') {
            await declareExport();
            await budget.acquire(exportKey, lane, signal);
          }
          await budget.acquire(accountKey, lane, signal);
        },
        async onResponse(response) {
          const observed = readAccountLimit(response.headers, now());
          if (!observed) return;
          // Whether the export's responses report the account's limit or the export's own is
          // not documented (reference Part E): a limit no bigger than the export's is not
          // taken for the account's, or one export answer would throttle the whole account.
          if (endpoint === 'export' && (observed.limit ?? 0) <= exportLimit) return;
          await budget.observe(accountKey, observed);
          // An account at 2,500/min has High Volume, whose exports run at 30/min.
          if (options.exportLimitPerMinute === undefined && exportLimitFor(observed.limit) > exportLimit) {
            exportLimit = exportLimitFor(observed.limit);
            await budget.observe(exportKey, { limit: exportLimit });
          }
        },
        async onRateLimited(waitMs) {
          await budget.block(endpoint === 'export' ? exportKey : accountKey, now() + waitMs);
        },
      };
    },
  };
}

/** `X-Rate-Limit` / `X-Rate-Limit-Remaining`, with `ratelimit-reset` (seconds) when sent. */
export function readAccountLimit(
  headers: Headers,
  nowMs: number,
): { limit: number | null; remaining: number | null; resetAtMs: number | null } | null {
  const int = (name: string) => {
    const value = headers.get(name)?.trim();
    return value && /^\d+$/.test(value) ? Number(value) : null;
  };
  const limit = int('x-rate-limit') ?? int('ratelimit-limit');
  const remaining = int('x-rate-limit-remaining') ?? int('ratelimit-remaining');
  const reset = int('ratelimit-reset');
  if (limit === null && remaining === null) return null;
  return { limit, remaining, resetAtMs: reset === null ? null : nowMs + reset * 1000 };
}

/** The export limit an account has: 30/min when its account limit shows High Volume. */
export function exportLimitFor(accountLimit: number | null): number {
  return accountLimit !== null && accountLimit >= HIGH_VOLUME_ACCOUNT_LIMIT
    ? HIGH_VOLUME_EXPORT_LIMIT_PER_MINUTE
    : EXPORT_LIMIT_PER_MINUTE;
}
