import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openRequestBudget } from '../../../connectors/shared/open-budget.js';
import { createRedisBudgetBackend } from '../../../connectors/shared/redis-budget.js';
import { TEST_REDIS_URL } from '../../helpers/services.js';
import { budgetContract } from './budget-contract.js';

// A random prefix per run, and per test, so runs never see each other's keys; all removed after.
const RUN = `zt-test-${randomBytes(6).toString('hex')}`;
const clients: Redis[] = [];

afterAll(async () => {
  const admin = new Redis(TEST_REDIS_URL);
  const keys = await admin.keys(`${RUN}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
  await Promise.all(clients.map((c) => c.quit()));
});

budgetContract('Redis', () => {
  const prefix = `${RUN}:${randomBytes(4).toString('hex')}:`;
  return {
    // Each call is another worker: its own connection, the same keys.
    async backend() {
      const redis = new Redis(TEST_REDIS_URL);
      clients.push(redis);
      return createRedisBudgetBackend({ redis, prefix, defaultLimit: 5 });
    },
  };
});

describe('openRequestBudget', () => {
  it('is in-process without a Redis URL, and in Redis with one', async () => {
    const memory = openRequestBudget({});
    expect(memory.kind).toBe('memory');
    await memory.close();
    const redis = openRequestBudget({ redisUrl: TEST_REDIS_URL, prefix: RUN });
    expect(redis.kind).toBe('redis');
    await redis.budget.acquire('zendesk:acme.zendesk.com', 'webhook');
    const admin = new Redis(TEST_REDIS_URL);
    clients.push(admin);
    expect(await admin.hget(`${RUN}:budget:{zendesk:acme.zendesk.com}`, 'count')).toBe('1');
    await redis.close();
  });
});
