import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { createTestSchema } from '../../helpers/postgres.js';
import { type Harness, NOW, startHarness } from './sim-harness.js';

// Where a first sync starts: the connection's `since`, else the earliest milestone in the
// store, else 365 days back (src/jobs/handlers/sync-connection.ts).
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;
const firstStartTime = (harness: Harness) =>
  Number(harness.sim.requests.find((r) => r.path.includes('/incremental/'))?.query.start_time);

describe('the first sync of a Zendesk connection', () => {
  it('starts at the earliest milestone in the store', async () => {
    h = await startHarness();
    const earliest = Date.parse('2026-02-03T04:05:06Z');
    await h.store.upsertMilestones([
      { customerId: 'c1', milestone: 'signed_up', occurredAt: Date.parse('2026-05-01T00:00:00Z') },
      { customerId: 'c2', milestone: 'signed_up', occurredAt: earliest },
    ]);
    await h.sync();
    expect(firstStartTime(h)).toBe(Math.floor(earliest / 1000));
  });

  it('reaches back 365 days when there is no milestone yet', async () => {
    h = await startHarness();
    await h.sync();
    expect(firstStartTime(h)).toBe(Math.floor((NOW - 365 * DAY) / 1000));
  });

  it('follows the cursor afterwards, whatever the milestones say', async () => {
    h = await startHarness();
    await h.sync();
    await h.store.upsertMilestones([
      { customerId: 'c3', milestone: 'signed_up', occurredAt: NOW - 900 * DAY },
    ]);
    const before = h.sim.requests.length;
    h.clock.now += 120_000;
    await h.sync();
    const next = h.sim.requests.slice(before).find((r) => r.path.includes('/incremental/'));
    expect(next?.query.cursor).toBeTruthy();
    expect(next?.query.start_time).toBeUndefined();
  });
});

describe('earliestMilestoneAt', () => {
  it('answers the same on Postgres', async () => {
    const schema = await createTestSchema();
    const store = await openStore(schema.url);
    try {
      expect(await store.earliestMilestoneAt()).toBeNull();
      const earliest = Date.parse('2025-12-31T23:59:59Z');
      await store.upsertMilestones([
        { customerId: 'c1', milestone: 'signed_up', occurredAt: earliest + DAY },
        { customerId: 'c2', milestone: 'activated', occurredAt: earliest },
      ]);
      expect(await store.earliestMilestoneAt()).toBe(earliest);
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
