import { describe, expect, it } from 'vitest';
import type { ClassifyInput, ReasonModel } from '../../src/domain/classify.js';
import { classifyTicket, compileTaxonomy, ruleConfidence, TaxonomyError } from '../../src/domain/classify.js';
import type { Classification, Reason } from '../../src/domain/reason.js';

function reason(id: string, match: Reason['match'], countsTowardMetric = true): Reason {
  return { id, title: id, owner: null, match, countsTowardMetric };
}

// Config order matters: it breaks ties at every step.
const reasons: Reason[] = [
  reason('billing', {
    tags: ['Billing', 'invoice'],
    keywords: ['refund', 'Refund', 'payment failed', 'invoice'],
    fields: { plan_issue: ['Billing', 'Refund'] },
  }),
  reason('login_2fa', { tags: ['login'], keywords: ['log in', '2fa', 'two-factor', 'password'] }),
  reason('bug', {
    keywords: ['error', '500', 'crash'],
    regex: [String.raw`err(or)? code \d+`],
    fields: { category: 'bug', severity: 1, blocking: true },
  }),
  reason('how_to', { keywords: ['how do i', 'c++', 'café'] }),
  reason(
    'feature_request',
    { fields: { category: ['feature', 'idea'] }, keywords: ['would be nice'] },
    false,
  ),
];
const taxonomy = compileTaxonomy(reasons);

function input(overrides: Partial<ClassifyInput>): ClassifyInput {
  return { tags: [], fields: {}, text: '', manualReasonId: null, ...overrides };
}

const model = (reasonId: string, confidence: number, threshold = 0.7): ReasonModel => ({
  predict: () => ({ reasonId, confidence }),
  threshold,
});
const explodingModel: ReasonModel = {
  predict: () => {
    throw new Error('the model must not be asked when a rule matched');
  },
  threshold: 0.5,
};

const NONE: Classification = { reasonId: 'unclassified', confidence: 0, classifiedBy: 'none', detail: '' };

describe('classifyTicket precedence', () => {
  it.each<[string, Partial<ClassifyInput>, ReasonModel | undefined, Classification]>([
    [
      'manual beats tag, field, rule and model',
      { manualReasonId: 'how_to', tags: ['billing'], fields: { category: 'bug' }, text: 'refund' },
      model('bug', 0.99),
      { reasonId: 'how_to', confidence: 1, classifiedBy: 'manual', detail: 'manual' },
    ],
    [
      'an unknown manual reason is ignored',
      { manualReasonId: 'renamed_away', tags: ['billing'] },
      undefined,
      { reasonId: 'billing', confidence: 1, classifiedBy: 'tag', detail: 'tag:billing' },
    ],
    [
      'tag beats field and rule, compared case-insensitively',
      { tags: ['LOGIN'], fields: { category: 'bug' }, text: 'refund' },
      undefined,
      { reasonId: 'login_2fa', confidence: 1, classifiedBy: 'tag', detail: 'tag:login' },
    ],
    [
      'any of the ticket tags',
      { tags: ['vip', 'invoice'] },
      undefined,
      { reasonId: 'billing', confidence: 1, classifiedBy: 'tag', detail: 'tag:invoice' },
    ],
    [
      'tags of two reasons: config order decides',
      { tags: ['login', 'billing'] },
      undefined,
      { reasonId: 'billing', confidence: 1, classifiedBy: 'tag', detail: 'tag:billing' },
    ],
    [
      'field beats rule',
      { fields: { category: 'Bug' }, text: 'refund' },
      undefined,
      { reasonId: 'bug', confidence: 1, classifiedBy: 'field', detail: 'field:category=Bug' },
    ],
    [
      'multi-select field matches on any element',
      { fields: { category: ['other', 'Idea'] } },
      undefined,
      { reasonId: 'feature_request', confidence: 1, classifiedBy: 'field', detail: 'field:category=Idea' },
    ],
    [
      'field compared as strings: "1" equals 1',
      { fields: { severity: ' 1 ' } },
      undefined,
      { reasonId: 'bug', confidence: 1, classifiedBy: 'field', detail: 'field:severity=1' },
    ],
    [
      'boolean field',
      { fields: { blocking: 'TRUE' } },
      undefined,
      { reasonId: 'bug', confidence: 1, classifiedBy: 'field', detail: 'field:blocking=TRUE' },
    ],
    [
      'a config list of values',
      { fields: { plan_issue: 'refund' } },
      undefined,
      { reasonId: 'billing', confidence: 1, classifiedBy: 'field', detail: 'field:plan_issue=refund' },
    ],
    ['an empty field matches nothing', { fields: { category: null } }, undefined, NONE],
    ['an unknown field matches nothing', { fields: { mood: 'bug' } }, undefined, NONE],
    [
      'rule beats model (the model is not asked)',
      { text: 'I want a refund' },
      explodingModel,
      { reasonId: 'billing', confidence: 0.5, classifiedBy: 'rule', detail: 'rule:keyword:refund' },
    ],
    [
      'model when nothing else matched',
      { text: 'something odd happened' },
      model('how_to', 0.9),
      { reasonId: 'how_to', confidence: 0.9, classifiedBy: 'model', detail: 'model:0.90' },
    ],
    [
      'model exactly at its threshold',
      { text: 'something odd' },
      model('how_to', 0.7),
      { reasonId: 'how_to', confidence: 0.7, classifiedBy: 'model', detail: 'model:0.70' },
    ],
    ['model below its threshold → unclassified', { text: 'something odd' }, model('how_to', 0.69), NONE],
    ['model naming an unknown reason → unclassified', { text: 'something odd' }, model('gone', 0.95), NONE],
    ['model with no answer → unclassified', { text: 'x' }, { predict: () => null, threshold: 0 }, NONE],
    ['model with a NaN confidence → unclassified', { text: 'x' }, model('how_to', Number.NaN, 0), NONE],
    ['no model, nothing matched → unclassified', { text: 'hello there' }, undefined, NONE],
  ])('%s', (_name, overrides, m, expected) => {
    expect(classifyTicket(input(overrides), taxonomy, m)).toEqual(expected);
  });
});

describe('keyword and regex rules', () => {
  it.each<[string, string | null, string]>([
    ['I want a refund', 'billing', 'rule:keyword:refund'],
    ['REFUND now.', 'billing', 'rule:keyword:refund'],
    ['(refund)', 'billing', 'rule:keyword:refund'],
    ['Is this refundable?', null, ''],
    ['two refunds please', null, ''],
    ['prerefund', null, ''],
    ['refund_policy', null, ''],
    ['I cannot log in', 'login_2fa', 'rule:keyword:log in'],
    ['my login page', null, ''],
    ['log\n  in', 'login_2fa', 'rule:keyword:log in'],
    ['payment   failed', 'billing', 'rule:keyword:payment failed'],
    ['Payment\u00a0Failed', 'billing', 'rule:keyword:payment failed'],
    ['paymentfailed', null, ''],
    ['my 2fa code', 'login_2fa', 'rule:keyword:2fa'],
    ['2fas', null, ''],
    ['two-factor is broken', 'login_2fa', 'rule:keyword:two-factor'],
    ['HTTP 5000', null, ''],
    ['c++ sdk', 'how_to', 'rule:keyword:c++'],
    ['cc+ sdk', null, ''],
    ['CAFÉ menu', 'how_to', 'rule:keyword:café'],
    ['cafe\u0301 menu', 'how_to', 'rule:keyword:café'],
    ['cafés', null, ''],
    ['got err code 42', 'bug', 'rule:regex:err(or)? code \\d+'],
    ['ERR CODE 7', 'bug', 'rule:regex:err(or)? code \\d+'],
  ])('%j → %s', (text, reasonId, detail) => {
    const result = classifyTicket(input({ text }), taxonomy);
    expect([result.reasonId, result.classifiedBy === 'rule' ? result.detail : '']).toEqual([
      reasonId ?? 'unclassified',
      detail,
    ]);
  });

  it.each<[string, string, number, string]>([
    ['one keyword, uncontested', 'refund refund refund', 0.5, 'rule:keyword:refund'],
    ['a tie goes to config order', 'refund and password', 0.25, 'rule:keyword:refund'],
    ['the higher score wins over config order', 'password and 2fa, also a refund', 0.5, 'rule:keyword:2fa'],
    ['keyword and regex add up', 'error code 42', 2 / 3, 'rule:keyword:error'],
    ['three terms', 'error 500 crash', 0.75, 'rule:keyword:error'],
  ])('%s', (_name, text, confidence, detail) => {
    const result = classifyTicket(input({ text }), taxonomy);
    expect({ confidence: result.confidence, detail: result.detail }).toEqual({ confidence, detail });
  });

  it('the detail names the first matching term in config order, not in text order', () => {
    expect(classifyTicket(input({ text: 'password then 2fa' }), taxonomy).detail).toBe('rule:keyword:2fa');
  });
});

describe('ruleConfidence', () => {
  it.each([
    [1, 0, 0.5],
    [1, 1, 0.25],
    [2, 0, 2 / 3],
    [2, 1, 0.5],
    [2, 2, 1 / 3],
    [3, 0, 0.75],
    [3, 3, 0.375],
    [9, 0, 0.9],
  ])('score %d, runner-up %d → %d', (score, runnerUp, expected) => {
    expect(ruleConfidence(score, runnerUp)).toBe(expected);
  });

  it.each([1, 2, 5, 20])('rises with the score and the margin, stays in (0, 1), at score %d', (score) => {
    for (let r = 0; r <= score; r++) {
      const c = ruleConfidence(score, r);
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(1);
      expect(ruleConfidence(score + 1, r)).toBeGreaterThan(c);
      if (r > 0) expect(ruleConfidence(score, r - 1)).toBeGreaterThan(c);
    }
  });
});

describe('compileTaxonomy', () => {
  it.each<[string, Reason[], RegExp]>([
    [
      'an unbalanced group',
      [reason('bug', { regex: ['ok', '(unclosed'] })],
      /^reason "bug": invalid regex "\(unclosed": /,
    ],
    [
      'an escape Unicode mode rejects',
      [reason('billing', { regex: [String.raw`a\-b`] })],
      /^reason "billing": invalid regex "a\\\\-b": /,
    ],
    [
      'a blank keyword',
      [reason('how_to', { keywords: ['ok', '  '] })],
      /^reason "how_to": a keyword is blank$/,
    ],
    ['a duplicate id', [reason('bug', {}), reason('bug', {})], /^reason "bug" is defined twice$/],
  ])('rejects %s, naming the reason', (_name, bad, message) => {
    expect(() => compileTaxonomy(bad)).toThrow(message);
    expect(() => compileTaxonomy(bad)).toThrow(TaxonomyError);
  });

  it('keeps the reason id and pattern on the error', () => {
    const error = (() => {
      try {
        compileTaxonomy([reason('bug', { regex: ['[a-'] })]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: 'TaxonomyError', reasonId: 'bug', pattern: '[a-' });
  });

  it('keeps config order and drops duplicate keywords', () => {
    expect(taxonomy.reasons.map((r) => r.id)).toEqual([
      'billing',
      'login_2fa',
      'bug',
      'how_to',
      'feature_request',
    ]);
    expect(taxonomy.reasons[0]?.keywords.map((k) => k.keyword)).toEqual([
      'refund',
      'payment failed',
      'invoice',
    ]);
  });
});
