import { describe, expect, it } from 'vitest';
import { compileTaxonomy } from '../../src/domain/classify.js';
import type { Reason } from '../../src/domain/reason.js';
import {
  describeTaxonomyChange,
  listMoves,
  startTaxonomyChange,
  tallyVerdicts,
} from '../../src/domain/taxonomy-change.js';

function reason(id: string, extra: Partial<Reason> = {}): Reason {
  return { id, title: id, owner: null, match: { keywords: [id] }, countsTowardMetric: true, ...extra };
}

const after = compileTaxonomy([
  reason('billing'),
  reason('sign_in', { renamedFrom: ['login'] }),
  reason('data_import'),
]);

describe('startTaxonomyChange', () => {
  it('tells added, removed and renamed reasons apart, and reports orphaned corrections', () => {
    const change = startTaxonomyChange({
      fromVersion: 'v1',
      toVersion: 'v2',
      at: 1,
      previousIds: ['billing', 'login', 'bug'],
      taxonomy: after,
      corrections: [
        { ticket: 'zendesk/1', reasonId: 'bug' },
        { ticket: 'zendesk/2', reasonId: 'login' },
        { ticket: 'zendesk/3', reasonId: 'billing' },
      ],
    });
    expect(change).toMatchObject({
      added: ['data_import'],
      removed: ['bug'],
      renamed: [{ from: 'login', to: 'sign_in' }],
      orphanedCorrections: [{ ticket: 'zendesk/1', reasonId: 'bug' }],
      moves: {},
    });
  });

  it('without the previous ids, reports no added or removed reasons', () => {
    const change = startTaxonomyChange({
      fromVersion: 'v1',
      toVersion: 'v2',
      at: 1,
      previousIds: null,
      taxonomy: after,
      corrections: [],
    });
    expect(change).toMatchObject({ added: [], removed: [], renamed: [] });
  });
});

describe('tallyVerdicts', () => {
  const start = startTaxonomyChange({
    fromVersion: 'v1',
    toVersion: 'v2',
    at: 1,
    previousIds: ['billing', 'login', 'bug'],
    taxonomy: after,
    corrections: [],
  });

  it('counts moves by from→to; a rename is not a move; a new ticket is not counted', () => {
    const tallied = tallyVerdicts(start, after, [
      { before: 'login', after: 'sign_in' },
      { before: 'login', after: 'sign_in' },
      { before: 'bug', after: 'unclassified' },
      { before: 'bug', after: 'data_import' },
      { before: 'unclassified', after: 'data_import' },
      { before: 'unclassified', after: 'data_import' },
      { before: 'billing', after: 'billing' },
      { before: null, after: 'billing' },
    ]);
    expect(tallied.renamedTickets).toBe(2);
    expect(tallied.unchanged).toBe(1);
    expect(listMoves(tallied)).toEqual([
      { from: 'unclassified', to: 'data_import', tickets: 2 },
      { from: 'bug', to: 'data_import', tickets: 1 },
      { from: 'bug', to: 'unclassified', tickets: 1 },
    ]);
  });

  it('accumulates over batches', () => {
    const once = tallyVerdicts(start, after, [{ before: 'bug', after: 'billing' }]);
    const twice = tallyVerdicts(once, after, [{ before: 'bug', after: 'billing' }]);
    expect(twice.moves).toEqual({ 'bug→billing': 2 });
    expect(start.moves).toEqual({});
  });

  it('describes itself in lines a person can read', () => {
    const tallied = tallyVerdicts(start, after, [
      { before: 'bug', after: 'billing' },
      { before: 'login', after: 'sign_in' },
    ]);
    expect(describeTaxonomyChange(tallied)).toEqual([
      'reasons changed (v1 → v2): 1 ticket moved, 1 renamed, 0 unchanged',
      '  added: data_import',
      '  removed: bug',
      '  renamed: login → sign_in',
      '  bug → billing: 1',
    ]);
    const many = tallyVerdicts(
      start,
      after,
      ['a', 'b', 'c'].map((before) => ({ before, after: 'billing' })),
    );
    expect(describeTaxonomyChange(many, 2).slice(-3)).toEqual([
      '  a → billing: 1',
      '  b → billing: 1',
      '  … and 1 smaller moves',
    ]);
  });
});
