import { describe, expect, it } from 'vitest';
import {
  classifyTicket,
  compileTaxonomy,
  resolveReasonId,
  TaxonomyError,
} from '../../src/domain/classify.js';
import type { Reason } from '../../src/domain/reason.js';

function reason(id: string, extra: Partial<Reason> = {}): Reason {
  return { id, title: id, owner: null, match: {}, countsTowardMetric: true, ...extra };
}

const reasons = [
  reason('billing', { match: { tags: ['invoice'], keywords: ['refund'] } }),
  reason('sign_in', { match: { keywords: ['password'] }, renamedFrom: ['login', 'auth'] }),
];
const taxonomy = compileTaxonomy(reasons);
const input = { tags: [] as string[], fields: {}, text: '', manualReasonId: null as string | null };

describe('corrections and tags in classification', () => {
  it.each([
    [
      'a manual reason with its author',
      { manualReasonId: 'billing', manualAuthor: 'ana', text: 'password' },
      'billing',
      'manual',
      'manual:ana',
    ],
    ['a manual reason naming a former id', { manualReasonId: 'login' }, 'sign_in', 'manual', 'manual'],
    [
      'a prefixed tag beats a configured tag and the rules',
      { tags: ['invoice', 'ZT_REASON_sign_in'], text: 'refund' },
      'sign_in',
      'tag',
      'tag:zt_reason_sign_in',
    ],
    ['a prefixed tag with a former id', { tags: ['zt_reason_auth'] }, 'sign_in', 'tag', 'tag:zt_reason_auth'],
    [
      'a prefixed tag naming no reason is ignored',
      { tags: ['zt_reason_gone'], text: 'refund' },
      'billing',
      'rule',
      'rule:keyword:refund',
    ],
  ])('%s', (_name, overrides, reasonId, classifiedBy, detail) => {
    expect(classifyTicket({ ...input, ...overrides }, taxonomy)).toMatchObject({
      reasonId,
      classifiedBy,
      detail,
    });
  });

  it('follows the configured tag prefix; an empty prefix turns prefixed tags off', () => {
    const custom = compileTaxonomy(reasons, { tagPrefix: 'Reason:' });
    expect(classifyTicket({ ...input, tags: ['reason:billing'] }, custom).reasonId).toBe('billing');
    expect(classifyTicket({ ...input, tags: ['zt_reason_billing'] }, custom).reasonId).toBe('unclassified');
    const off = compileTaxonomy(reasons, { tagPrefix: '' });
    expect(classifyTicket({ ...input, tags: ['zt_reason_billing'] }, off).reasonId).toBe('unclassified');
  });

  it('a model trained before a rename still lands on the renamed reason', () => {
    const model = { threshold: 0.5, predict: () => ({ reasonId: 'login', confidence: 0.9 }) };
    expect(classifyTicket({ ...input, text: 'odd' }, taxonomy, model)).toMatchObject({
      reasonId: 'sign_in',
      classifiedBy: 'model',
      detail: 'model:0.90',
    });
  });
});

describe('taxonomy versions', () => {
  it('resolves current and former ids', () => {
    expect(resolveReasonId(taxonomy, 'sign_in')).toBe('sign_in');
    expect(resolveReasonId(taxonomy, 'auth')).toBe('sign_in');
    expect(resolveReasonId(taxonomy, 'gone')).toBeNull();
  });

  it('the fingerprint ignores titles and owners but not matchers, order or what counts', () => {
    const base = compileTaxonomy(reasons).fingerprint;
    const retitled = reasons.map((r) => ({ ...r, title: `${r.title}!`, owner: 'U1' }));
    expect(compileTaxonomy(retitled).fingerprint).toBe(base);
    expect(compileTaxonomy([...reasons].reverse()).fingerprint).not.toBe(base);
    const edited = reasons.map((r, i) => (i === 0 ? { ...r, match: { keywords: ['refunds'] } } : r));
    expect(compileTaxonomy(edited).fingerprint).not.toBe(base);
    const uncounted = reasons.map((r, i) => (i === 0 ? { ...r, countsTowardMetric: false } : r));
    expect(compileTaxonomy(uncounted).fingerprint).not.toBe(base);
  });

  it('refuses a renamedFrom that is a current id or claimed twice', () => {
    expect(() => compileTaxonomy([reason('a'), reason('b', { renamedFrom: ['a'] })])).toThrow(TaxonomyError);
    expect(() =>
      compileTaxonomy([reason('a', { renamedFrom: ['x'] }), reason('b', { renamedFrom: ['x'] })]),
    ).toThrow(/claimed twice/);
  });
});
