import { describe, expect, it } from 'vitest';
import { formatOf, readRecords } from '../../src/import/read-records.js';

describe('readRecords', () => {
  it('reads CSV with line numbers, quoted fields and a BOM', () => {
    const text = '\uFEFFid,name,emails,domains\ncus_1,"Acme, Inc.",a@acme.com,acme.com\n\ncus_2,Beta,,\n';
    const { records, errors } = readRecords(text, 'csv', ['id', 'name', 'emails', 'domains']);
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 2, value: { id: 'cus_1', name: 'Acme, Inc.', emails: 'a@acme.com', domains: 'acme.com' } },
      { line: 4, value: { id: 'cus_2', name: 'Beta', emails: '', domains: '' } },
    ]);
  });

  it('reports a malformed CSV row by line and keeps the others', () => {
    const text = 'id,name,emails,domains\ncus_1,Acme,,\ncus_2,"Broken,,\ncus_3,Gamma,,\n';
    const { records, errors } = readRecords(text, 'csv', ['id', 'name', 'emails', 'domains']);
    expect(records.map((r) => r.value.id)).toContain('cus_1');
    expect(errors.length).toBeGreaterThan(0);
    // The parser notices an unclosed quote where the record it swallowed ends.
    expect(errors[0]?.line).toBe(4);
    expect(errors[0]?.message).toMatch(/^malformed CSV \(the record ends here\): /);
  });

  it('reports a row with too many values', () => {
    const { records, errors } = readRecords(
      'customer_id,milestone,occurred_at\nc1,a,2026-01-01,extra\n',
      'csv',
      ['customer_id', 'milestone', 'occurred_at'],
    );
    expect(records).toEqual([]);
    expect(errors).toEqual([{ line: 2, message: '4 values for 3 columns' }]);
  });

  it('refuses a header without the required columns, naming them', () => {
    expect(() => readRecords('id,name\n1,a\n', 'csv', ['id', 'name', 'emails', 'domains'])).toThrow(
      'header must contain id,name,emails,domains (missing: emails, domains)',
    );
  });

  it('reads JSONL, skipping blank lines and reporting bad ones', () => {
    const text = '{"id":"a"}\n\nnot json\n[1,2]\n{"id":"b"}\n';
    const { records, errors } = readRecords(text, 'jsonl', []);
    expect(records).toEqual([
      { line: 1, value: { id: 'a' } },
      { line: 5, value: { id: 'b' } },
    ]);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(errors[1]?.message).toBe('expected a JSON object');
  });
});

describe('formatOf', () => {
  it.each([
    ['a.csv', 'csv'],
    ['A.CSV', 'csv'],
    ['a.jsonl', 'jsonl'],
    ['a.ndjson', 'jsonl'],
    ['a.json', null],
    ['a.txt', null],
  ])('%s → %s', (path, format) => {
    expect(formatOf(path)).toBe(format);
  });
});
