import { describe, expect, it } from 'vitest';
import {
  type BudgetBackend,
  budgetOn,
  type Lane,
  type RequestBudget,
} from '../../../connectors/shared/budget.js';

/** Window-aligned start: 2026-11-24T12:00:00Z. */
export const T0 = Date.parse('2026-11-24T12:00:00Z');
const MINUTE = 60_000;

/**
 * Virtual time for several concurrent callers: the clock moves only when every caller the test
 * started is asleep, to the earliest wake-up. Works with real I/O (Redis) in between, because
 * a caller awaiting Redis is not asleep.
 */
export class VirtualTime {
  now = T0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private running = 0;
  private seq = 0;

  readonly clock = () => this.now;

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: this.now + ms, seq: this.seq++, resolve };
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          this.running += 1;
          reject(signal.reason);
        },
        { once: true },
      );
      this.timers.push(timer);
      this.running -= 1;
      this.advance();
    });

  /** Runs one caller; the clock waits for it whenever it is not asleep. */
  async actor<T>(fn: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await fn();
    } finally {
      this.running -= 1;
      this.advance();
    }
  }

  private advance(): void {
    if (this.running > 0 || this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift()!;
    this.now = Math.max(this.now, next.at);
    this.running += 1;
    next.resolve();
  }
}

/** Backends for one test: `shared()` gives another worker's view of the same budget store. */
export interface BudgetHarness {
  backend(): Promise<BudgetBackend>;
}

/** The rules every RequestBudget backend must keep (in-process and Redis alike). */
export function budgetContract(name: string, harness: () => BudgetHarness): void {
  describe(`RequestBudget contract: ${name}`, () => {
    async function setup(workers = 1) {
      const time = new VirtualTime();
      const h = harness();
      const budgets: RequestBudget[] = [];
      for (let i = 0; i < workers; i++) {
        budgets.push(budgetOn(await h.backend(), { now: time.clock, sleep: time.sleep, defaultLimit: 5 }));
      }
      /** Acquires in order and returns the (virtual) times each was granted. */
      const take = (budget: RequestBudget, key: string, lane: Lane, n: number) =>
        time.actor(async () => {
          const at: number[] = [];
          for (let i = 0; i < n; i++) {
            await budget.acquire(key, lane);
            at.push(time.now - T0);
          }
          return at;
        });
      return { time, budgets, budget: budgets[0]!, take };
    }

    it('serves the default limit in a window, then waits for the next one', async () => {
      const { budget, take } = await setup();
      expect(await take(budget, 'acct', 'backfill', 7)).toEqual([0, 0, 0, 0, 0, MINUTE, MINUTE]);
    });

    it('learns the limit from observe()', async () => {
      const { budget, take } = await setup();
      await budget.observe('acct', { limit: 2 });
      expect(await take(budget, 'acct', 'incremental', 5)).toEqual([0, 0, MINUTE, MINUTE, 2 * MINUTE]);
    });

    it('spends what the vendor says is already used (other apps share the account)', async () => {
      const { budget, take } = await setup();
      await budget.observe('acct', { limit: 400, remaining: 2 });
      expect(await take(budget, 'acct', 'backfill', 3)).toEqual([0, 0, MINUTE]);
    });

    it('blocks until the reset when nothing remains', async () => {
      const { budget, take } = await setup();
      await budget.observe('acct', { limit: 400, remaining: 0, resetAtMs: T0 + 90_000 });
      expect(await take(budget, 'acct', 'webhook', 1)).toEqual([90_000]);
    });

    it('sends nothing before a block (a 429 Retry-After) ends', async () => {
      const { budget, take } = await setup();
      await budget.block('acct', T0 + 37_000);
      await budget.block('acct', T0 + 10_000); // a shorter block never shortens a longer one
      expect(await take(budget, 'acct', 'webhook', 2)).toEqual([37_000, 37_000]);
    });

    it('keeps keys apart', async () => {
      const { budget, take } = await setup();
      await budget.observe('a', { limit: 1 });
      expect(await take(budget, 'a', 'backfill', 1)).toEqual([0]);
      expect(await take(budget, 'b', 'backfill', 2)).toEqual([0, 0]);
    });

    it('serves a waiting webhook before a waiting backfill, whoever came first', async () => {
      const { budget, take } = await setup();
      await budget.observe('acct', { limit: 1 });
      expect(await take(budget, 'acct', 'backfill', 1)).toEqual([0]);
      const backfill = take(budget, 'acct', 'backfill', 1);
      const webhook = take(budget, 'acct', 'webhook', 1);
      expect(await webhook).toEqual([MINUTE]);
      expect(await backfill).toEqual([2 * MINUTE]);
    });

    it('serves incremental before backfill', async () => {
      const { budget, take } = await setup();
      await budget.observe('acct', { limit: 1 });
      await take(budget, 'acct', 'backfill', 1);
      const backfill = take(budget, 'acct', 'backfill', 2);
      const incremental = take(budget, 'acct', 'incremental', 1);
      expect(await incremental).toEqual([MINUTE]);
      expect(await backfill).toEqual([2 * MINUTE, 3 * MINUTE]);
    });

    it('withdraws the demand of a caller that gave up', async () => {
      const { time, budget, take } = await setup();
      await budget.observe('acct', { limit: 1 });
      await take(budget, 'acct', 'backfill', 1);
      const controller = new AbortController();
      const webhook = time.actor(() => budget.acquire('acct', 'webhook', controller.signal));
      const backfill = take(budget, 'acct', 'backfill', 1);
      controller.abort(new Error('shutting down'));
      await expect(webhook).rejects.toThrow('shutting down');
      expect(await backfill).toEqual([MINUTE]);
    });

    it('is one budget for every worker', async () => {
      const { budgets, take } = await setup(2);
      const [one, two] = budgets as [RequestBudget, RequestBudget];
      await one.observe('acct', { limit: 3 });
      const [a, b] = await Promise.all([take(one, 'acct', 'backfill', 3), take(two, 'acct', 'backfill', 3)]);
      const granted = [...a, ...b].sort((x, y) => x - y);
      expect(granted).toEqual([0, 0, 0, MINUTE, MINUTE, MINUTE]);
    });
  });
}
