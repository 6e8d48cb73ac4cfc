import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config.js';
import { classifyTicket, compileTaxonomy } from '../../src/domain/classify.js';
import { trainNaiveBayes } from '../../src/domain/naive-bayes.js';
import type { Reason } from '../../src/domain/reason.js';
import { asReasonModel, evaluateModel, isHeldOut, qualityReport } from '../../src/domain/reason-eval.js';
import { simulatedTickets } from '../reasons/simulator-labels.js';

const example = parseConfigFile(readFileSync('zerotickets.config.example.yaml', 'utf8'), 'example');
/** The three most frequent reasons of the simulator lose their keyword and regex rules. */
const REMOVED = ['data_import', 'integration_setup', 'login_2fa'];
const withoutRules: Reason[] = example.reasons.map((r) =>
  REMOVED.includes(r.id) ? { ...r, match: r.match.tags ? { tags: r.match.tags } : {} } : r,
);
const labelled = simulatedTickets(1500).filter((t) => t.label !== 'none');

describe('qualityReport', () => {
  it('counts accuracy, coverage and per-reason precision/recall; a declined ticket is wrong', () => {
    const report = qualityReport([
      { actual: 'a', predicted: 'a' },
      { actual: 'a', predicted: 'b' },
      { actual: 'a', predicted: null },
      { actual: 'b', predicted: 'b' },
    ]);
    expect(report).toEqual({
      tickets: 4,
      accuracy: 0.5,
      coverage: 0.75,
      answeredAccuracy: 2 / 3,
      perReason: [
        { reasonId: 'a', support: 3, precision: 1, recall: 1 / 3 },
        { reasonId: 'b', support: 1, precision: 0.5, recall: 1 },
      ],
    });
  });

  it('has no ratios for no tickets', () => {
    expect(qualityReport([])).toMatchObject({ accuracy: null, coverage: null, answeredAccuracy: null });
  });
});

describe('isHeldOut', () => {
  it('is a stable split near the requested share', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `zendesk/${i}`);
    const held = keys.filter((k) => isHeldOut(k));
    expect(held.length / keys.length).toBeGreaterThan(0.17);
    expect(held.length / keys.length).toBeLessThan(0.23);
    expect(keys.filter((k) => isHeldOut(k))).toEqual(held);
  });
});

describe("the learned classifier on the simulator's labelled tickets", () => {
  it('beats the rules alone on held-out tickets whose rules were removed', () => {
    const taxonomy = compileTaxonomy(withoutRules);
    const training = labelled.filter((t) => !isHeldOut(t.key));
    const heldOut = labelled.filter((t) => isHeldOut(t.key));
    const model = asReasonModel(
      trainNaiveBayes(training.map((t) => ({ text: t.text, label: t.label }))),
      0.7,
    );
    const verdicts = heldOut.map((t) => {
      const input = { tags: [], fields: {}, text: t.text, manualReasonId: null };
      return {
        ticket: t,
        rules: classifyTicket(input, taxonomy),
        both: classifyTicket(input, taxonomy, model),
      };
    });
    const right = (pick: 'rules' | 'both') =>
      verdicts.filter((v) => v[pick].reasonId === v.ticket.label).length;
    // What the rules alone leave open among the reasons whose rules were removed.
    const leftOpen = verdicts.filter(
      (v) => REMOVED.includes(v.ticket.label) && v.rules.classifiedBy === 'none',
    ).length;
    expect(leftOpen).toBeGreaterThan(20);
    // The model must win back at least half of those (it only answers where the rules are silent).
    expect(right('both') - right('rules')).toBeGreaterThanOrEqual(Math.ceil(leftOpen / 2));
    // And it never overrides a rule.
    for (const v of verdicts.filter((x) => x.rules.classifiedBy === 'rule')) expect(v.both).toEqual(v.rules);
  });

  it('evaluateModel reports the model above the rules, per reason, on the same held-out split', () => {
    const evaluation = evaluateModel(
      labelled.map((t) => ({ key: t.key, text: t.text, label: t.label })),
      compileTaxonomy(withoutRules),
      { threshold: 0.7 },
    );
    if (evaluation === null) throw new Error('expected an evaluation');
    expect(evaluation.trained + evaluation.heldOut).toBe(labelled.length);
    expect(evaluation.heldOut).toBe(labelled.filter((t) => isHeldOut(t.key)).length);
    expect(evaluation.model.accuracy ?? 0).toBeGreaterThan(evaluation.rules.accuracy ?? 1);
    const removed = evaluation.rules.perReason.filter((r) => REMOVED.includes(r.reasonId));
    for (const r of removed) expect(r.recall ?? 0).toBeLessThan(0.5);
    const modelRemoved = evaluation.model.perReason.filter((r) => REMOVED.includes(r.reasonId));
    for (const r of modelRemoved) expect(r.recall ?? 0).toBeGreaterThan(0.8);
  });

  it('declines to evaluate without two reasons to learn from', () => {
    const one = labelled.filter((t) => t.label === 'billing');
    expect(
      evaluateModel(
        one.map((t) => ({ key: t.key, text: t.text, label: t.label })),
        compileTaxonomy(withoutRules),
        { threshold: 0.7 },
      ),
    ).toBeNull();
  });
});
