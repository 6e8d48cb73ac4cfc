import { describe, expect, it } from 'vitest';
import { customerRow, issueText, milestoneRow, parseIsoInstant } from '../../src/import/rows.js';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T00:30:00+02:00', '2026-02-28T22:30:00.000Z'],
    ['2026-03-01T09:30:00.123-0500', '2026-03-01T14:30:00.123Z'],
    ['2026-03-01 09:30:00', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00', '2026-03-01T09:30:00.000Z'],
  ])('reads %s as %s (no offset means UTC)', (text, iso) => {
    expect(new Date(parseIsoInstant(text)!).toISOString()).toBe(iso);
  });

  it.each(['03/01/2026', '1 March 2026', '2026-13-01', '2026-02-30', '1709251200', '', 'yesterday'])(
    'rejects %j',
    (text) => {
      expect(parseIsoInstant(text)).toBeNull();
    },
  );
});

describe('customerRow', () => {
  it('splits ;-separated lists, lower-cases and de-duplicates them', () => {
    const parsed = customerRow.parse({
      id: 'cus_1',
      name: 'Acme',
      emails: ' Ops@Acme.com;ops@acme.com; ;cto@acme.com',
      domains: 'ACME.com',
    });
    expect(parsed).toEqual({
      id: 'cus_1',
      name: 'Acme',
      emails: ['ops@acme.com', 'cto@acme.com'],
      domains: ['acme.com'],
    });
  });

  it('accepts JSON arrays and defaults the name to the id', () => {
    expect(customerRow.parse({ id: 42, emails: ['a@b.io'] })).toEqual({
      id: '42',
      name: '42',
      emails: ['a@b.io'],
      domains: [],
    });
  });

  it.each([
    [{ id: '', name: 'x' }, 'id: expected a non-empty id'],
    [{ id: 'c', emails: 'not-an-email' }, 'emails.0: expected e-mail addresses'],
    [{ id: 'c', domains: 'https://acme.com' }, 'domains.0: expected domains like acme.com'],
    [{ id: 'c', domains: '@acme.com' }, 'domains.0: expected domains like acme.com'],
  ])('rejects %o naming the field', (value, message) => {
    const parsed = customerRow.safeParse(value);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(issueText(parsed.error)).toContain(message);
  });
});

describe('milestoneRow', () => {
  it('maps to the domain shape', () => {
    expect(
      milestoneRow.parse({ customer_id: 'c1', milestone: 'signed_up', occurred_at: '2026-01-02T03:04:05Z' }),
    ).toEqual({
      customerId: 'c1',
      milestone: 'signed_up',
      occurredAt: Date.parse('2026-01-02T03:04:05Z'),
    });
  });

  it('names the bad time and shows it', () => {
    const parsed = milestoneRow.safeParse({
      customer_id: 'c1',
      milestone: 'signed_up',
      occurred_at: '01/02/2026',
    });
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(issueText(parsed.error)).toBe(
        'occurred_at: expected an ISO 8601 time like 2026-03-01T09:30:00Z, got "01/02/2026"',
      );
  });
});
