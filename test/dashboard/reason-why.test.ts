import { describe, expect, it } from 'vitest';
import type { ClassifiedBy } from '../../src/domain/reason.js';
import { describeReasonWhy } from '../../src/outputs/dashboard/reason-why.js';

describe('describeReasonWhy', () => {
  it.each<[ClassifiedBy, string, number, string]>([
    ['manual', 'manual:ana', 1, 'manual (by ana)'],
    ['manual', 'manual:ana@example.com', 1, 'manual (by ana@example.com)'],
    ['manual', 'manual', 1, 'manual'],
    ['manual', '', 1, 'manual'],
    ['tag', 'tag:zt_reason_billing', 1, 'tag zt_reason_billing'],
    ['tag', 'tag:refund:request', 1, 'tag refund:request'],
    ['field', 'field:plan=enterprise', 1, 'field plan = enterprise'],
    ['field', 'field:360001=a=b', 1, 'field 360001 = a=b'],
    ['field', 'field:plan', 1, 'field plan'],
    ['rule', 'rule:keyword:refund', 0.5, "rule: keyword 'refund'"],
    ['rule', 'rule:keyword:credit card', 0.5, "rule: keyword 'credit card'"],
    ['rule', 'rule:regex:charged \\d+ times', 0.5, 'rule: pattern /charged \\d+ times/'],
    ['rule', 'rule:refund', 0.5, "rule: 'refund'"],
    ['rule', '', 0.5, 'rule'],
    ['model', 'model:0.91', 0.91, 'model, 91% confident'],
    ['model', 'model:1.00', 1, 'model, 100% confident'],
    ['model', 'model:0.666', 0.666, 'model, 67% confident'],
    // No number in the detail: the stored confidence says it.
    ['model', 'model', 0.72, 'model, 72% confident'],
    ['model', 'model:?', 0.8, 'model, 80% confident'],
    ['model', '', 0, 'model'],
    ['none', '', 0, 'unclassified'],
    ['none', 'anything', 0, 'unclassified'],
    // A detail without its prefix (an older form) is still shown.
    ['tag', 'billing', 1, 'tag billing'],
    ['rule', 'keyword:log in', 0.8, "rule: keyword 'log in'"],
  ])('%s %j (confidence %d) → %s', (classifiedBy, detail, confidence, words) => {
    expect(describeReasonWhy(classifiedBy, detail, confidence)).toBe(words);
  });
});
