import { Redis } from 'ioredis';
import { type BudgetOptions, createMemoryBudget, type RequestBudget } from './budget.js';
import { createRedisBudget } from './redis-budget.js';

export interface OpenBudgetOptions extends BudgetOptions {
  /** `REDIS_URL`: with it, the budget lives in Redis and every worker shares it. */
  redisUrl?: string | undefined;
  /** `ZT_QUEUE_PREFIX` (default `zt`): keys are `${prefix}:budget:{…}`. */
  prefix?: string | undefined;
}

export interface OpenedBudget {
  budget: RequestBudget;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The factory the composition root calls: a Redis budget when `redisUrl` is set (the worker
 * fleet shares one budget per helpdesk account), else the in-process one. The Redis client
 * connects lazily, so commands that never send a request never open a connection.
 */
export function openRequestBudget(options: OpenBudgetOptions = {}): OpenedBudget {
  if (!options.redisUrl) {
    return { budget: createMemoryBudget(options), kind: 'memory', close: async () => {} };
  }
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  return {
    budget: createRedisBudget({ ...options, redis, prefix: `${options.prefix ?? 'zt'}:` }),
    kind: 'redis',
    async close() {
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}
