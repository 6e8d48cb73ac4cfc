import type { Redis } from 'ioredis';
import {
  type BudgetBackend,
  type BudgetOptions,
  budgetOn,
  DEFAULT_BUDGET_LIMIT,
  DEFAULT_WINDOW_MS,
  type RateObservation,
  type RequestBudget,
} from './budget.js';

/**
 * The request budget in Redis, shared by every worker on every machine. One hash per key holds
 * the known limit, the current fixed window and its count, the block (a 429's Retry-After) and
 * the demand of waiting `webhook`/`incremental` callers; one Lua script reads and writes it
 * atomically, so two workers can never both take the last slot. The same rules as the
 * in-process backend (budget.ts); both pass one conformance suite.
 *
 * Time comes from the caller (`now`), not Redis `TIME`, so tests can use a fake clock; worker
 * clocks are expected to agree within a second or two (NTP), which only shifts window edges.
 * The hash expires a day after its last use; a crashed waiter's demand expires after two windows.
 */
const SCRIPT = `
local key = KEYS[1]
local op = ARGV[1]
local now = tonumber(ARGV[2])
local defLimit = tonumber(ARGV[3])
local defWindow = tonumber(ARGV[4])
local s = redis.call('HMGET', key, 'limit', 'windowMs', 'blockedUntil', 'window', 'count', 'dw', 'di', 'dexp')
local limit = tonumber(s[1])
local windowMs = tonumber(s[2]) or defWindow
local blocked = tonumber(s[3]) or 0
local window = tonumber(s[4]) or -1
local count = tonumber(s[5]) or 0
local dw = tonumber(s[6]) or 0
local di = tonumber(s[7]) or 0
local dexp = tonumber(s[8]) or 0
local result = 0

if op == 'observe' then
  local w = tonumber(ARGV[7])
  if w and w > 0 then windowMs = w end
  local l = tonumber(ARGV[5])
  if l and l > 0 then limit = l end
end

local current = math.floor(now / windowMs)
if current ~= window then
  window = current
  count = 0
end
if now >= dexp then
  dw = 0
  di = 0
end
local windowEnd = (window + 1) * windowMs
local effective = limit or defLimit

if op == 'acquire' then
  local lane = ARGV[5]
  local waiting = ARGV[6] == '1'
  local higher = false
  if lane == 'backfill' then higher = (dw + di) > 0 elseif lane == 'incremental' then higher = dw > 0 end
  local wait = 0
  if blocked > now then
    wait = blocked - now
  elseif higher or count >= effective then
    wait = windowEnd - now
  end
  if wait == 0 then
    count = count + 1
    if waiting and lane == 'webhook' and dw > 0 then dw = dw - 1 end
    if waiting and lane == 'incremental' and di > 0 then di = di - 1 end
  else
    if not waiting and lane == 'webhook' then dw = dw + 1 end
    if not waiting and lane == 'incremental' then di = di + 1 end
    if lane ~= 'backfill' then dexp = now + 2 * windowMs end
  end
  result = wait
elseif op == 'withdraw' then
  local lane = ARGV[5]
  if lane == 'webhook' and dw > 0 then dw = dw - 1 end
  if lane == 'incremental' and di > 0 then di = di - 1 end
elseif op == 'observe' then
  local remaining = tonumber(ARGV[6])
  if remaining then
    if remaining < 0 then remaining = 0 end
    if effective - remaining > count then count = effective - remaining end
    if remaining <= 0 then
      local reset = tonumber(ARGV[8])
      local untilMs = windowEnd
      if reset and reset > now then untilMs = reset end
      if untilMs > blocked then blocked = untilMs end
    end
  end
elseif op == 'block' then
  local untilMs = tonumber(ARGV[5])
  if untilMs > blocked then blocked = untilMs end
end

local fields = {'windowMs', windowMs, 'blockedUntil', blocked, 'window', window, 'count', count, 'dw', dw, 'di', di, 'dexp', dexp}
if limit then
  table.insert(fields, 'limit')
  table.insert(fields, limit)
end
redis.call('HSET', key, unpack(fields))
redis.call('PEXPIRE', key, 86400000)
return result
`;

export interface RedisBudgetOptions extends BudgetOptions {
  /** An ioredis client the caller owns (and closes). */
  redis: Redis;
  /** Key prefix, e.g. `${ZT_QUEUE_PREFIX}:` so deployments sharing one Redis stay apart. */
  prefix?: string;
}

export function createRedisBudgetBackend(options: RedisBudgetOptions): BudgetBackend {
  const { redis } = options;
  const prefix = options.prefix ?? 'zt:';
  const defaults = [
    String(options.defaultLimit ?? DEFAULT_BUDGET_LIMIT),
    String(options.windowMs ?? DEFAULT_WINDOW_MS),
  ];
  // The braces are a hash tag: the key stays on one slot in Redis Cluster.
  const redisKey = (key: string) => `${prefix}budget:{${key}}`;
  const run = async (key: string, op: string, nowMs: number, ...args: string[]): Promise<number> => {
    const result = await redis.eval(SCRIPT, 1, redisKey(key), op, String(nowMs), ...defaults, ...args);
    return Number(result);
  };
  const text = (value: number | null | undefined) =>
    typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

  return {
    tryAcquire: (key, lane, nowMs, waiting) => run(key, 'acquire', nowMs, lane, waiting ? '1' : '0'),
    async withdraw(key, lane, nowMs) {
      await run(key, 'withdraw', nowMs, lane);
    },
    async observe(key, observation: RateObservation, nowMs) {
      await run(
        key,
        'observe',
        nowMs,
        text(observation.limit),
        text(observation.remaining),
        text(observation.windowMs),
        text(observation.resetAtMs),
      );
    },
    async block(key, untilMs, nowMs) {
      await run(key, 'block', nowMs, String(Math.ceil(untilMs)));
    },
  };
}

/** The budget every worker shares through Redis. */
export function createRedisBudget(options: RedisBudgetOptions): RequestBudget {
  return budgetOn(createRedisBudgetBackend(options), options);
}
