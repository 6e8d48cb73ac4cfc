import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config.js';
import { compileTaxonomy } from '../../src/domain/classify.js';
import type { Reason } from '../../src/domain/reason.js';
import { linkAndClassify } from '../../src/jobs/handlers/link-classify.js';
import { readStoredModel } from '../../src/jobs/handlers/train-model.js';
import { silentLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/store.js';
import { page, T0, ticket } from '../store/fixtures.js';
import { simulatedTickets } from './simulator-labels.js';
import { DIALECTS, type OpenedStore } from './store-harness.js';

const example = parseConfigFile(readFileSync('zerotickets.config.example.yaml', 'utf8'), 'example');
const REMOVED = ['data_import', 'integration_setup', 'login_2fa'];
/** Keyword rules gone for three reasons; their `match.tags` are gone too, so only corrections label them. */
const reasons: Reason[] = example.reasons.map((r) => (REMOVED.includes(r.id) ? { ...r, match: {} } : r));
const settings = {
  ...example.classification,
  model: { ...example.classification.model, minLabels: 30, retrainAfter: 20 },
};

describe.each(DIALECTS)('the learned model in the pipeline on %s', (_dialect, open) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
  });

  const classify = () =>
    linkAndClassify({
      store,
      logger: silentLogger(),
      taxonomy: compileTaxonomy(reasons, { tagPrefix: settings.tagPrefix }),
      classification: settings,
      now: () => T0,
      progress: () => {},
    });

  it("learns from agents' tags and decides the tickets the rules leave open; retrains only on new labels", async () => {
    const simulated = simulatedTickets(400, 11).filter((t) => t.label !== 'none');
    // Every other ticket was corrected by an agent in the helpdesk (a zt_reason_ tag).
    const labelled = (i: number) => i % 2 === 0;
    await store.commitSyncPage(
      page({
        tickets: simulated.map((t, i) =>
          ticket(t.ticketId, {
            subject: t.subject,
            text: t.text,
            tags: labelled(i) ? [`zt_reason_${t.label}`] : [],
            fields: {},
          }),
        ),
      }),
    );

    const first = await classify();
    expect(first.retrained).toBe(true);
    expect(await readStoredModel(store)).not.toBeNull();

    const rows = new Map((await store.listClassifiedTickets({ limit: 1000 })).map((r) => [r.ticketId, r]));
    const open = simulated.filter((t, i) => !labelled(i) && REMOVED.includes(t.label));
    const decided = open.map((t) => rows.get(t.ticketId));
    const byModel = decided.filter((r) => r?.classifiedBy === 'model');
    // Without the model every one of these would be unclassified: no rule, no tag.
    expect(byModel.filter((r, i) => r?.reasonId === open[i]?.label).length).toBeGreaterThanOrEqual(
      Math.ceil(open.length / 2),
    );
    for (const r of byModel) {
      expect(r?.detail).toMatch(/^model:(0\.\d\d|1\.00)$/);
      expect(r?.confidence).toBeGreaterThanOrEqual(settings.model.threshold);
    }
    // Where a rule matched, the rule decided.
    const ruled = simulated.filter((t, i) => !labelled(i) && !REMOVED.includes(t.label));
    expect(ruled.some((t) => rows.get(t.ticketId)?.classifiedBy === 'rule')).toBe(true);

    // No new labels: no retraining.
    expect((await classify()).retrained).toBe(false);

    // Agents keep tagging: enough new labels retrain it.
    const more = simulatedTickets(60, 12).filter((t) => t.label !== 'none');
    await store.commitSyncPage(
      page({
        cursor: 'cursor-2',
        tickets: more.map((t) =>
          ticket(`n${t.ticketId}`, { text: t.text, tags: [`zt_reason_${t.label}`], fields: {} }),
        ),
      }),
    );
    const before = await readStoredModel(store);
    expect((await classify()).retrained).toBe(true);
    const after = await readStoredModel(store);
    expect(Object.values(after?.labels ?? {}).reduce((a, b) => a + b, 0)).toBe(
      Object.values(before?.labels ?? {}).reduce((a, b) => a + b, 0) + more.length,
    );
  });

  it('trains nothing below minLabels', async () => {
    const few = simulatedTickets(20, 5).filter((t) => t.label !== 'none');
    await store.commitSyncPage(
      page({
        tickets: few.map((t) =>
          ticket(t.ticketId, { text: t.text, tags: [`zt_reason_${t.label}`], fields: {} }),
        ),
      }),
    );
    expect((await classify()).retrained).toBe(false);
    expect(await readStoredModel(store)).toBeNull();
  });
});
