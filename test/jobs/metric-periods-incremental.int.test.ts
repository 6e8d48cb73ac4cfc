import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { customerBatches, milestoneBatches, type SyntheticCompany } from '../../bench/synthetic-company.js';
import { createSyntheticConnector } from '../../bench/synthetic-connector.js';
import { parseConfigFile } from '../../src/config.js';
import { compileTaxonomy } from '../../src/domain/classify.js';
import { DAY_MS, metricPeriods } from '../../src/domain/metric.js';
import { linkAndClassify } from '../../src/jobs/handlers/link-classify.js';
import { PERIODS_AT_KEY, recomputeStatuses } from '../../src/jobs/handlers/recompute.js';
import { syncConnection } from '../../src/jobs/handlers/sync-connection.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchema } from '../helpers/postgres.js';

/**
 * The recompute refreshes only the metric periods that can have changed. After every one of
 * several incremental runs (tickets landing all over the history, then new ones; the clock
 * moving on by days, and once back), the stored periods must equal a full rebuild from every
 * status at that instant.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const company: SyntheticCompany = {
  seed: 4242,
  now: NOW,
  size: { customers: 400, tickets: 2000, milestones: 900 },
};
const configPath = resolve('zerotickets.config.example.yaml');
const settings = parseConfigFile(readFileSync(configPath, 'utf8'), configPath);

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function sqliteStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'zt-periods-'));
  const store = await openStore(`file:${join(dir, 'zt.db')}`);
  cleanup = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return store;
}

async function postgresStore(): Promise<Store> {
  const schema = await createTestSchema();
  const store = await openStore(schema.url);
  cleanup = async () => {
    await store.close();
    await schema.drop();
  };
  return store;
}

async function runRounds(store: Store): Promise<void> {
  let now = NOW;
  const connector = createSyntheticConnector(company, 'bench');
  const deps = {
    store,
    logger: silentLogger(),
    now: () => now,
    progress: () => {},
    openConnector: () => connector,
    taxonomy: compileTaxonomy(settings.reasons),
    metric: settings.metric,
    reasons: settings.reasons,
  };
  await store.saveConnection({ id: 'bench', kind: 'zendesk', settings: {}, secret: 'unused' }, NOW);
  for (const batch of customerBatches(company, 500)) await store.upsertCustomers(batch);
  for (const batch of milestoneBatches(company, 500)) await store.upsertMilestones(batch);

  const expectFullRebuild = async () => {
    const rebuilt = metricPeriods(await store.listStatuses(), now);
    expect(await store.listMetricPeriods()).toEqual(rebuilt);
    return rebuilt;
  };
  const pass = async () => {
    await syncConnection(deps, { connectionId: 'bench' });
    await linkAndClassify(deps);
    return recomputeStatuses(deps);
  };

  // Half the history first: the later tickets then land in windows all over the past.
  connector.available = company.size.tickets / 2;
  const first = await pass();
  const initial = await expectFullRebuild();
  expect(first.periods).toBe(initial.length);

  let partial = 0;
  let changedRows = 0;
  let previous = initial;
  // [tickets added, days the clock moves]: history, history, new tickets, a step back,
  // then only time: windows close (and, on a clock set back, reopen) with no ticket at all.
  const rounds: Array<[number, number]> = [
    [300, 2],
    // To 23:45 on Monday 30 November: a had_tickets window closes alone in its week.
    [400, 4.49],
    [company.size.tickets - 700 + 60, 9],
    [40, -3],
    [0, 17],
    [0, 45],
    [0, -30],
  ];
  for (const [added, days] of rounds) {
    connector.available += added;
    now += days * DAY_MS;
    const result = await pass();
    const rebuilt = await expectFullRebuild();
    expect(await store.getState(PERIODS_AT_KEY)).toBe(String(now));
    if (result.periods < rebuilt.length) partial += 1;
    if (JSON.stringify(rebuilt) !== JSON.stringify(previous)) changedRows += 1;
    previous = rebuilt;
  }
  // The check is not vacuous: the metric moved, and the refresh wrote only part of the rows.
  expect(changedRows).toBeGreaterThanOrEqual(3);
  expect(partial).toBeGreaterThanOrEqual(3);

  // A run interrupted between saving statuses and refreshing periods leaves the mark empty:
  // the next recompute rebuilds every period.
  await store.setState(PERIODS_AT_KEY, '');
  await store.saveMetricPeriods([]);
  now += DAY_MS;
  const rebuiltRun = await recomputeStatuses(deps);
  const rebuilt = await expectFullRebuild();
  expect(rebuiltRun.periods).toBe(rebuilt.length);
}

describe('incremental metric periods', () => {
  it('equal a full rebuild after every incremental run (SQLite)', async () => {
    await runRounds(await sqliteStore());
  });

  it('equal a full rebuild after every incremental run (Postgres)', async () => {
    await runRounds(await postgresStore());
  });
});
