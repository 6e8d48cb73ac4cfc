import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SyntheticCompany } from '../../bench/synthetic-company.js';
import { customerBatches, milestoneBatches } from '../../bench/synthetic-company.js';
import { createSyntheticConnector } from '../../bench/synthetic-connector.js';
import { parseConfigFile } from '../../src/config.js';
import { compileTaxonomy } from '../../src/domain/classify.js';
import { linkAndClassify } from '../../src/jobs/handlers/link-classify.js';
import { syncConnection } from '../../src/jobs/handlers/sync-connection.js';
import {
  CLASSIFIED_SINCE_KEY,
  labelChanges,
  readStoredModel,
  retrainThreshold,
} from '../../src/jobs/handlers/train-model.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * Most link+classify runs skip counting every label (a scan of all tickets): while twice the
 * tickets classified since training stay under the retrain threshold, no retrain can be due.
 * After each run: the exact count never moved more than that bound allows, and the model was
 * retrained exactly when the exact count says it should have been.
 */
const company: SyntheticCompany = {
  seed: 99,
  now: Date.parse('2026-11-24T12:00:00Z'),
  size: { customers: 300, tickets: 3000, milestones: 700 },
};
const configPath = resolve('zerotickets.config.example.yaml');
const settings = parseConfigFile(readFileSync(configPath, 'utf8'), configPath);
const model = settings.classification.model;

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-labels-'));
  store = await openStore(`file:${join(dir, 'zt.db')}`);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('skips the label count only when no retrain can be due, and retrains when one is', async () => {
  const connector = createSyntheticConnector(company, 'bench');
  const deps = {
    store,
    logger: silentLogger(),
    now: () => company.now,
    progress: () => {},
    openConnector: () => connector,
    taxonomy: compileTaxonomy(settings.reasons),
    classification: settings.classification,
  };
  await store.saveConnection({ id: 'bench', kind: 'zendesk', settings: {}, secret: 'unused' }, company.now);
  for (const batch of customerBatches(company, 500)) await store.upsertCustomers(batch);
  for (const batch of milestoneBatches(company, 500)) await store.upsertMilestones(batch);

  connector.available = 400;
  let retrains = 0;
  let skipped = 0;
  for (const added of [0, 20, 30, 15, 600, 10, 1200, 25]) {
    const before = await readStoredModel(store);
    connector.available += added;
    await syncConnection(deps, { connectionId: 'bench' });
    const result = await linkAndClassify(deps);
    const after = await readStoredModel(store);
    expect(after).not.toBeNull();
    const since = JSON.parse((await store.getState(CLASSIFIED_SINCE_KEY)) ?? 'null');
    if (result.retrained) {
      retrains += 1;
      expect(since).toEqual({ trainedAt: after?.trainedAt, tickets: 0 });
      continue;
    }
    // Not retrained: the exact count agrees that no retrain was due, and the bound holds.
    if (before === null || after === null) throw new Error('a first model is trained on the first run');
    const moved = labelChanges(before.labels, await store.countLabels());
    expect(moved).toBeLessThan(retrainThreshold(model, before.labels));
    expect(since.trainedAt).toBe(before.trainedAt);
    expect(moved).toBeLessThanOrEqual(2 * since.tickets);
    if (2 * since.tickets < retrainThreshold(model, before.labels)) skipped += 1;
  }
  // Both ways were taken: the first model plus a retrain after the big additions, and skips.
  expect(retrains).toBeGreaterThanOrEqual(2);
  expect(skipped).toBeGreaterThanOrEqual(3);
});
