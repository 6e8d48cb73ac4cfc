/**
 * The request budget: how many requests a helpdesk account may still take, shared by every
 * worker and job kind that talks to that account (DESIGN: "Requests are budgeted per helpdesk
 * account … with lanes").
 *
 * A key names one limit, e.g. `zendesk:acme.zendesk.com` (the account, 400/min) or
 * `zendesk:acme.zendesk.com:export` (the incremental export, 10/min, which also spends the
 * account's budget: a caller acquires both). Windows are fixed and aligned on `windowMs`
 * (Zendesk's limits are per minute). Before any response has been seen a key gets
 * `defaultLimit`; `observe()` teaches it the real limit and what the vendor says is left.
 *
 * Lanes: a `webhook` or `incremental` caller that has to wait registers its demand, and while
 * any higher lane is waiting a `backfill` caller is not served, so a long backfill never delays
 * a webhook refresh by more than one window.
 *
 * Two implementations pass one conformance suite (test/connectors/shared/): the in-process one
 * here (embedded mode, `run --once`) and `createRedisBudget` (redis-budget.ts, every worker).
 *
 * Deliberately excluded: retries, backoff and 429 handling (connectors/shared/http.ts does
 * them and reports a 429 here through `block()`), and fairness between accounts.
 */
export type Lane = 'webhook' | 'incremental' | 'backfill';

export const LANES: readonly Lane[] = ['webhook', 'incremental', 'backfill'];

/** What a response said about a key's limit; every field optional (vendors omit some). */
export interface RateObservation {
  /** Requests allowed per window (Zendesk `X-Rate-Limit`). */
  limit?: number | null;
  /** Requests left in the vendor's current window (Zendesk `X-Rate-Limit-Remaining`). */
  remaining?: number | null;
  /** Epoch ms when the vendor's window resets, when it says (`ratelimit-reset`). */
  resetAtMs?: number | null;
  /** The window the limit is counted over (default: the key's, else 60 s). */
  windowMs?: number | null;
}

export interface RequestBudget {
  /**
   * Resolves when one request under `key` may be sent now, and counts it. Waits (with the
   * injected sleep) while the key's window is spent, the key is blocked, or — for `backfill` —
   * a higher lane is waiting. Rejects with the signal's reason when `signal` aborts.
   */
  acquire(key: string, lane: Lane, signal?: AbortSignal): Promise<void>;
  /**
   * Records what a response said: a new `limit` replaces the known one (also a way to declare
   * a limit up front, e.g. `{ limit: 10 }` for Zendesk's export); `remaining` raises this
   * window's count to `limit - remaining` (other apps share the account); `remaining: 0`
   * blocks the key until `resetAtMs` (else the end of the window).
   */
  observe(key: string, observation: RateObservation): Promise<void>;
  /** Sends nothing under `key` until `untilMs` (epoch ms): a 429's `Retry-After`. */
  block(key: string, untilMs: number): Promise<void>;
}

/** One attempt at taking a slot, as both backends answer it. */
export interface BudgetBackend {
  /**
   * Takes a slot and returns 0, or returns how many ms to wait before trying again. `waiting`
   * is true when this caller already registered its demand (so it is not counted twice);
   * a non-zero answer for a `webhook`/`incremental` caller registers it.
   */
  tryAcquire(key: string, lane: Lane, nowMs: number, waiting: boolean): Promise<number>;
  /** Withdraws a registered demand (the caller gave up). */
  withdraw(key: string, lane: Lane, nowMs: number): Promise<void>;
  observe(key: string, observation: RateObservation, nowMs: number): Promise<void>;
  block(key: string, untilMs: number, nowMs: number): Promise<void>;
}

export interface BudgetOptions {
  /** Requests per window for a key nothing has been observed about yet (default 60). */
  defaultLimit?: number;
  /** Default 60 000 (per-minute limits). */
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_BUDGET_LIMIT = 60;
export const DEFAULT_WINDOW_MS = 60_000;
/** A waiter re-checks at least this often, so a block lifted or a limit raised is noticed. */
const MAX_SINGLE_WAIT_MS = 5_000;

/** The lane-aware waiting loop shared by both backends. */
export function budgetOn(backend: BudgetBackend, options: BudgetOptions = {}): RequestBudget {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableDelay;
  return {
    async acquire(key, lane, signal) {
      let waiting = false;
      try {
        for (;;) {
          signal?.throwIfAborted();
          const waitMs = await backend.tryAcquire(key, lane, now(), waiting);
          if (waitMs <= 0) return;
          waiting = lane !== 'backfill';
          await sleep(Math.min(waitMs, MAX_SINGLE_WAIT_MS), signal);
        }
      } catch (error) {
        if (waiting) await backend.withdraw(key, lane, now());
        throw error;
      }
    },
    observe: (key, observation) => backend.observe(key, observation, now()),
    block: (key, untilMs) => backend.block(key, untilMs, now()),
  };
}

interface KeyState {
  limit: number | null;
  windowMs: number | null;
  blockedUntil: number;
  window: number;
  count: number;
  demand: { webhook: number; incremental: number };
  demandExpiresAt: number;
}

/**
 * The in-process backend: one Map, the same rules as the Redis script (redis-budget.ts), for
 * the embedded mode where one process is the only client of the account.
 */
export function createMemoryBudgetBackend(options: BudgetOptions = {}): BudgetBackend {
  const defaultLimit = options.defaultLimit ?? DEFAULT_BUDGET_LIMIT;
  const defaultWindow = options.windowMs ?? DEFAULT_WINDOW_MS;
  const keys = new Map<string, KeyState>();
  const stateOf = (key: string): KeyState => {
    let state = keys.get(key);
    if (!state) {
      state = {
        limit: null,
        windowMs: null,
        blockedUntil: 0,
        window: -1,
        count: 0,
        demand: { webhook: 0, incremental: 0 },
        demandExpiresAt: 0,
      };
      keys.set(key, state);
    }
    return state;
  };
  /** The state rolled to the window `nowMs` falls in; returns the window's end. */
  const roll = (state: KeyState, nowMs: number): number => {
    const windowMs = state.windowMs ?? defaultWindow;
    const window = Math.floor(nowMs / windowMs);
    if (window !== state.window) {
      state.window = window;
      state.count = 0;
    }
    // A crashed waiter's demand must not starve backfill for ever (Redis: the key expires).
    if (nowMs >= state.demandExpiresAt) state.demand = { webhook: 0, incremental: 0 };
    return (window + 1) * windowMs;
  };

  return {
    async tryAcquire(key, lane, nowMs, waiting) {
      const state = stateOf(key);
      const windowEnd = roll(state, nowMs);
      const higherWaiting =
        lane === 'backfill'
          ? state.demand.webhook + state.demand.incremental > 0
          : lane === 'incremental' && state.demand.webhook > 0;
      let waitMs = 0;
      if (state.blockedUntil > nowMs) waitMs = state.blockedUntil - nowMs;
      else if (higherWaiting || state.count >= (state.limit ?? defaultLimit)) waitMs = windowEnd - nowMs;
      if (waitMs === 0) {
        state.count += 1;
        if (waiting && lane !== 'backfill') state.demand[lane] = Math.max(0, state.demand[lane] - 1);
        return 0;
      }
      if (!waiting && lane !== 'backfill') state.demand[lane] += 1;
      if (lane !== 'backfill') state.demandExpiresAt = nowMs + 2 * (state.windowMs ?? defaultWindow);
      return waitMs;
    },
    async withdraw(key, lane, _nowMs) {
      const state = stateOf(key);
      if (lane !== 'backfill') state.demand[lane] = Math.max(0, state.demand[lane] - 1);
    },
    async observe(key, observation, nowMs) {
      const state = stateOf(key);
      if (positive(observation.windowMs)) state.windowMs = observation.windowMs;
      if (positive(observation.limit)) state.limit = observation.limit;
      const windowEnd = roll(state, nowMs);
      const remaining = observation.remaining;
      if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return;
      const limit = state.limit ?? defaultLimit;
      state.count = Math.max(state.count, limit - Math.max(0, remaining));
      if (remaining <= 0) {
        const until =
          positive(observation.resetAtMs) && observation.resetAtMs > nowMs
            ? observation.resetAtMs
            : windowEnd;
        state.blockedUntil = Math.max(state.blockedUntil, until);
      }
    },
    async block(key, untilMs, _nowMs) {
      const state = stateOf(key);
      state.blockedUntil = Math.max(state.blockedUntil, untilMs);
    },
  };
}

/** The in-process budget (embedded mode). */
export function createMemoryBudget(options: BudgetOptions = {}): RequestBudget {
  return budgetOn(createMemoryBudgetBackend(options), options);
}

function positive(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** A real timer that ends early (rejecting) when the signal aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
