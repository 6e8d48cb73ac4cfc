import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { readRecords } from '../../src/import/read-records.js';
import { customerRow, issueText, milestoneRow } from '../../src/import/rows.js';
import { FUZZ } from './fuzz-settings.js';

/**
 * Property tests of what arrives from outside as customers and milestones: CSV and JSONL files
 * (`zerotickets import`) and the ingest API's JSON (the same row schemas). Whatever the input,
 * nothing throws but a ConfigError about the file, and every bad record is reported by line.
 */
const CUSTOMER_COLUMNS = ['id', 'name', 'emails', 'domains'];

/** CSV-ish text: fields with quotes, commas, blanks, CR/LF and odd unicode, joined into rows. */
const csvField = fc.oneof(
  fc.string(),
  fc.constantFrom('', '"', '""', ',', '\r\n', 'a;b', ' x ', '\u0000', '\uFEFF'),
  fc.string().map((s) => `"${s.replaceAll('"', '""')}"`),
);
const csvText = fc
  .array(fc.array(csvField, { minLength: 0, maxLength: 6 }), { maxLength: 12 })
  .chain((rows) => fc.constantFrom('\n', '\r\n').map((eol) => rows.map((row) => row.join(',')).join(eol)));

describe('CSV import never crashes', () => {
  it('any text: records and line-numbered errors, or one ConfigError about the header', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          csvText,
          fc.string(),
          csvText.map((t) => `id,name,emails,domains\n${t}`),
        ),
        (text) => {
          try {
            const { records, errors } = readRecords(text, 'csv', CUSTOMER_COLUMNS);
            for (const e of errors) {
              expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
              expect(e.message).not.toBe('');
            }
            for (const r of records)
              expect(Object.keys(r.value).sort()).toEqual(expect.arrayContaining(CUSTOMER_COLUMNS));
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as Error).message).toMatch(
              /^header must contain id,name,emails,domains \(missing: .+\)$/,
            );
          }
        },
      ),
      FUZZ,
    );
  });

  it('valid customers written as CSV, quotes and commas included, read back unchanged', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const customer = fc.record({
      id: fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s !== '' && !/[\r\n]/.test(s)),
      name: fc.string().filter((s) => s.trim() === s && !/[\r\n]/.test(s) && s !== ''),
      emails: fc.uniqueArray(
        fc.tuple(word, word).map(([a, b]) => `${a}@${b}.com`),
        { maxLength: 3 },
      ),
      domains: fc.uniqueArray(
        word.map((w) => `${w}.io`),
        { maxLength: 2 },
      ),
    });
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(fc.uniqueArray(customer, { selector: (c) => c.id, maxLength: 8 }), (customers) => {
        const lines = customers.map((c) =>
          [c.id, c.name, c.emails.join(';'), c.domains.join(';')].map(quote).join(','),
        );
        const { records, errors } = readRecords(
          `id,name,emails,domains\n${lines.join('\n')}\n`,
          'csv',
          CUSTOMER_COLUMNS,
        );
        expect(errors).toEqual([]);
        const parsed = records.map((r) => customerRow.parse(r.value));
        expect(parsed).toEqual(customers);
      }),
      FUZZ,
    );
  });
});

describe('JSONL import never crashes', () => {
  it('each non-blank line becomes exactly one record or one error on that line', () => {
    const line = fc.oneof(
      fc.json(),
      fc.string().filter((s) => !/[\r\n]/.test(s)),
      fc.jsonValue().map((v) => JSON.stringify({ id: v, name: v })),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 15 }), (lines) => {
        const { records, errors } = readRecords(lines.join('\n'), 'jsonl', CUSTOMER_COLUMNS);
        const expected = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
        expect([...records.map((r) => r.line), ...errors.map((e) => e.line)].sort((a, b) => a - b)).toEqual(
          expected,
        );
      }),
      FUZZ,
    );
  });
});

describe('customer and milestone rows (import files and the ingest API)', () => {
  it('a customer row of any shape is accepted clean or refused with a message naming the field', () => {
    const value = fc.oneof(fc.anything(), fc.string(), fc.array(fc.string()));
    const row = fc.oneof(
      fc.anything(),
      fc.record({ id: value, name: value, emails: value, domains: value }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(row, (input) => {
        const result = customerRow.safeParse(input);
        if (result.success) {
          expect(result.data.id).toBe(result.data.id.trim());
          expect(result.data.id).not.toBe('');
          for (const email of result.data.emails) expect(email).toMatch(/^[^@\sA-Z]+@[^@\sA-Z]+$/);
          expect(new Set(result.data.emails).size).toBe(result.data.emails.length);
        } else {
          const text = issueText(result.error);
          expect(text).not.toBe('');
          expect(text).not.toContain('\n');
        }
      }),
      FUZZ,
    );
  });

  it('a milestone row: any occurred_at is a finite instant or a message quoting what was given', () => {
    const row = fc.record(
      {
        customer_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        milestone: fc.oneof(fc.string(), fc.constant(undefined)),
        occurred_at: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(row, (input) => {
        const result = milestoneRow.safeParse(input);
        if (result.success) expect(Number.isFinite(result.data.occurredAt)).toBe(true);
        else expect(issueText(result.error)).toMatch(/customer_id|milestone|occurred_at|expected/);
      }),
      FUZZ,
    );
  });

  it('every ISO 8601 instant from year 1000 to 9999 is read as exactly that instant', () => {
    const date = fc.date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(date, (d) => {
        const result = milestoneRow.safeParse({
          customer_id: 'c1',
          milestone: 'm',
          occurred_at: d.toISOString(),
        });
        expect(result.success && result.data.occurredAt).toBe(d.getTime());
      }),
      FUZZ,
    );
  });
});
