/**
 * Faults a simulated helpdesk can be told to produce, for tests and the pacing benchmark. Each
 * fault applies to the next `times` requests whose path contains `path` (default: any), in the
 * order they were injected.
 */
export type Fault =
  /** An HTTP error status (500, 502, 503 …) instead of the answer. */
  | { kind: 'status'; status: number; times?: number; path?: string }
  /** The answer, after a real delay of `delayMs`. */
  | { kind: 'slow'; delayMs: number; times?: number; path?: string }
  /** A 429 with `Retry-After: retryAfterSeconds`, whatever the budget says. */
  | { kind: 'rate-limit'; retryAfterSeconds: number; times?: number; path?: string }
  /** A 200 whose body is not what the endpoint returns (`body`, default an HTML error page). */
  | { kind: 'malformed'; body?: string; times?: number; path?: string }
  /** An export page whose first ticket has lost its `requester_id` (item-level quarantine). */
  | { kind: 'bad-ticket'; times?: number; path?: string }
  /** An export page that starts again with the previous page's last ticket. */
  | { kind: 'duplicate'; times?: number; path?: string };

export type FaultKind = Fault['kind'];

/** The faults still to be served; `take` consumes one use of the first that matches. */
export class FaultPlan {
  private readonly pending: Array<{ fault: Fault; left: number }> = [];

  inject(fault: Fault): void {
    this.pending.push({ fault, left: Math.max(1, fault.times ?? 1) });
  }

  /** The fault for a request to `path`, restricted to `kinds` when given. */
  take(path: string, kinds?: readonly FaultKind[]): Fault | undefined {
    const index = this.pending.findIndex(
      ({ fault }) => (!fault.path || path.includes(fault.path)) && (!kinds || kinds.includes(fault.kind)),
    );
    if (index < 0) return undefined;
    const entry = this.pending[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }

  get size(): number {
    return this.pending.length;
  }
}

/**
 * Zendesk's per-minute limits as fixed windows on the simulator's clock: the account limit and,
 * inside it, the incremental exports' own — developer.zendesk.com/api-reference/introduction/rate-limits/.
 */
export class MinuteLimiter {
  private window = -1;
  private used = 0;
  private exportsUsed = 0;

  constructor(
    readonly perMinute: number,
    readonly exportPerMinute: number,
  ) {}

  /** Seconds until the window resets (at least 1), or null when the request may be served. */
  check(nowMs: number, isExport: boolean): number | null {
    this.roll(nowMs);
    const full = this.used >= this.perMinute || (isExport && this.exportsUsed >= this.exportPerMinute);
    return full ? this.resetSeconds(nowMs) : null;
  }

  count(nowMs: number, isExport: boolean): void {
    this.roll(nowMs);
    this.used += 1;
    if (isExport) this.exportsUsed += 1;
  }

  remaining(nowMs: number): number {
    this.roll(nowMs);
    return Math.max(0, this.perMinute - this.used);
  }

  resetSeconds(nowMs: number): number {
    return Math.max(1, Math.ceil(((this.window + 1) * 60_000 - nowMs) / 1000));
  }

  private roll(nowMs: number): void {
    const window = Math.floor(nowMs / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
      this.exportsUsed = 0;
    }
  }
}
