import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorPage } from '../../../connectors/connector.js';
import { createRedisBudget } from '../../../connectors/shared/redis-budget.js';
import { startZendeskSimulator } from '../../../connectors/simulator/zendesk-simulator.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { silentLogger } from '../../../src/logger.js';
import { TEST_REDIS_URL } from '../../helpers/services.js';
import { VirtualTime } from '../shared/budget-contract.js';
import { ADMIN, ALL_IDS, COMPANY } from './sim-harness.js';

// Two workers, each with its own Redis connection, backfill the same Zendesk account at once.
// The budget they share in Redis keeps the pair under the export's 10 requests/minute: the
// simulator, enforcing the real limit, never has to answer 429.
const PREFIX = `zt-test-${randomBytes(6).toString('hex')}:`;
const clients: Redis[] = [];

afterAll(async () => {
  const keys = await clients[0]!.keys(`${PREFIX}*`);
  if (keys.length > 0) await clients[0]!.del(...keys);
  await Promise.all(clients.map((c) => c.quit()));
});

describe('one request budget in Redis for every worker', () => {
  it('keeps two concurrent backfills of one account under its export limit', async () => {
    const time = new VirtualTime();
    const sim = await startZendeskSimulator({
      company: COMPANY,
      ...ADMIN,
      pageSize: 10,
      clock: time.clock,
      limits: { perMinute: 200, exportPerMinute: 10 },
    });
    try {
      const worker = (name: string) => {
        const redis = new Redis(TEST_REDIS_URL);
        clients.push(redis);
        return createZendeskConnector({
          connectionId: name,
          settings: { subdomain: 'fieldnote', baseUrl: sim.baseUrl },
          credentials: ADMIN,
          logger: silentLogger(),
          now: time.clock,
          sleep: time.sleep,
          budget: createRedisBudget({ redis, prefix: PREFIX, now: time.clock, sleep: time.sleep }),
        });
      };
      const backfill = (name: string) =>
        time.actor(async () => {
          const pages: ConnectorPage[] = [];
          for await (const page of worker(name).pullChanges(null, { since: 0 })) pages.push(page);
          return pages.flatMap((p) => p.tickets.map((t) => t.ticketId)).sort();
        });

      const [one, two] = await Promise.all([backfill('worker-1'), backfill('worker-2')]);

      expect(one).toEqual(ALL_IDS);
      expect(two).toEqual(ALL_IDS);
      const exports = sim.requests.filter((r) => r.path.includes('/incremental/'));
      expect(exports.filter((r) => r.status === 429)).toEqual([]);
      const perMinute = new Map<number, number>();
      for (const r of exports) {
        const minute = Math.floor(r.at / 60_000);
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      }
      expect(Math.max(...perMinute.values())).toBe(10);
      expect(perMinute.size).toBeGreaterThanOrEqual(Math.ceil(exports.length / 10));
    } finally {
      await sim.close();
    }
  });
});
