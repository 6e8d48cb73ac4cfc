import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { MetricPeriodRow, Store } from '../../src/store/store.js';
import { createTestSchema } from '../helpers/postgres.js';
import { DAY, status, T0 } from './fixtures.js';

/** The store reads and writes the incremental metric refresh relies on, on both dialects. */
const dialects: Array<[string, () => Promise<{ store: Store; drop: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'zt-periodq-'));
      const store = await openStore(`file:${join(dir, 'zt.db')}`);
      return { store, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = await createTestSchema();
      return { store: await openStore(schema.url), drop: schema.drop };
    },
  ],
];

const row = (
  periodKind: 'week' | 'month',
  periodStart: string,
  zero: number,
  had: number,
): MetricPeriodRow => ({
  periodKind,
  periodStart,
  closedWindows: zero + had,
  zeroTickets: zero,
  hadTickets: had,
  zeroTicketPct: (100 * zero) / (zero + had),
});

describe.each(dialects)('metric period queries (%s)', (_name, open) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ store, drop } = await open());
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('lists the statuses of given customers, and those whose window ends in [from, to)', async () => {
    const ends = { a: T0, b: T0 + DAY, c: T0 + 2 * DAY, d: null };
    await store.saveCustomerResults(
      Object.keys(ends),
      Object.entries(ends).map(([id, windowEnd]) => ({
        status: status(id, { windowEnd, status: windowEnd === null ? 'in_progress' : 'zero_tickets' }),
        tickets: [],
      })),
      T0,
    );
    const ids = (rows: Array<{ customerId: string }>) => rows.map((r) => r.customerId).sort();

    expect(ids(await store.listStatusesOf(['b', 'd', 'nobody', 'b']))).toEqual(['b', 'd']);
    expect(await store.listStatusesOf([])).toEqual([]);
    const between = await store.listStatusesEndingBetween(T0, T0 + 2 * DAY);
    expect(ids(between)).toEqual(['a', 'b']);
    expect(between.find((s) => s.customerId === 'b')).toEqual({
      customerId: 'b',
      windowStart: T0 - 10 * DAY,
      windowEnd: T0 + DAY,
      status: 'zero_tickets',
    });
    expect(ids(await store.listStatusesEndingBetween(T0 + 1, T0 + 2 * DAY + 1))).toEqual(['b', 'c']);
  });

  it('replaces only the periods named, leaving the others as they are', async () => {
    const march = row('month', '2025-03-01', 3, 1);
    const week1 = row('week', '2025-03-03', 1, 1);
    const week2 = row('week', '2025-03-10', 2, 0);
    await store.saveMetricPeriods([march, week1, week2]);

    const newWeek1 = row('week', '2025-03-03', 2, 1);
    const april = row('month', '2025-04-01', 1, 0);
    // week2 is named but has no row any more; a row not named (an April week) is ignored.
    await store.saveMetricPeriods(
      [newWeek1, april, row('week', '2025-03-31', 1, 0)],
      [
        { periodKind: 'week', periodStart: '2025-03-03' },
        { periodKind: 'week', periodStart: '2025-03-10' },
        { periodKind: 'month', periodStart: '2025-04-01' },
      ],
    );
    expect(await store.listMetricPeriods()).toEqual([march, april, newWeek1]);

    await store.saveMetricPeriods([], []);
    expect(await store.listMetricPeriods()).toEqual([march, april, newWeek1]);
    await store.saveMetricPeriods([week2]);
    expect(await store.listMetricPeriods()).toEqual([week2]);
  });
});
