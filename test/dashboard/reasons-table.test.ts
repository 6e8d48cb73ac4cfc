import { describe, expect, it } from 'vitest';
import { parseBucket, parseCount, parsePeriod, QueryError } from '../../src/outputs/dashboard/data.js';
import { reasonTable } from '../../src/outputs/dashboard/reasons-table.js';

const reasons = [
  { id: 'login', title: 'Login', owner: 'U_AUTH', countsTowardMetric: true },
  { id: 'billing', title: 'Billing', owner: null, countsTowardMetric: true },
  { id: 'feature', title: 'Feature request', owner: 'U_PM', countsTowardMetric: false },
];

describe('reasonTable', () => {
  const rows = reasonTable({
    reasons,
    thisWeek: [
      { reasonId: 'login', tickets: 4 },
      { reasonId: 'unclassified', tickets: 1 },
    ],
    lastWeek: [
      { reasonId: 'login', tickets: 1 },
      { reasonId: 'billing', tickets: 3 },
    ],
    customers: [
      { reasonId: 'login', customers: 3 },
      { reasonId: 'billing', customers: 2 },
      { reasonId: 'unclassified', customers: 1 },
    ],
    phases: [
      { reasonId: 'login', milestonePhase: 'signed_up', tickets: 2 },
      { reasonId: 'login', milestonePhase: 'invited_team', tickets: 5 },
      { reasonId: 'billing', milestonePhase: null, tickets: 2 },
      { reasonId: 'billing', milestonePhase: 'trial', tickets: 2 },
      { reasonId: 'unclassified', milestonePhase: 'trial', tickets: 1 },
    ],
    startedCustomers: 16,
  });

  it('lists configured and seen reasons, busiest this week first, then last week', () => {
    expect(rows.map((r) => [r.reasonId, r.thisWeek, r.lastWeek])).toEqual([
      ['login', 4, 1],
      ['unclassified', 1, 0],
      ['billing', 0, 3],
      ['feature', 0, 0],
    ]);
  });

  it('names the owner, the share of started customers hit, and the phase where it happens most', () => {
    expect(rows[0]).toMatchObject({
      title: 'Login',
      owner: 'U_AUTH',
      customers: 3,
      customerSharePct: 18.8,
      topPhase: 'invited_team',
      topPhaseTickets: 5,
    });
    // A tie goes to the null phase ("before the first milestone"), which sorts first.
    expect(rows[2]).toMatchObject({
      reasonId: 'billing',
      owner: null,
      customerSharePct: 12.5,
      topPhase: null,
    });
    expect(rows[1]).toMatchObject({ title: 'unclassified', owner: null, countsTowardMetric: true });
    expect(rows[3]).toMatchObject({ countsTowardMetric: false, customerSharePct: 0, topPhaseTickets: 0 });
  });

  it('has no share when no customer has started', () => {
    const [row] = reasonTable({
      reasons,
      thisWeek: [],
      lastWeek: [],
      customers: [],
      phases: [],
      startedCustomers: 0,
    });
    expect(row!.customerSharePct).toBeNull();
  });
});

describe('query parameters', () => {
  it('accepts the documented values and defaults', () => {
    expect(parsePeriod(undefined)).toBe('week');
    expect(parsePeriod('month')).toBe('month');
    expect(parseBucket(undefined)).toBe('day');
    expect(parseBucket('week')).toBe('week');
    expect(parseCount('top', undefined, 6, 20)).toBe(6);
    expect(parseCount('top', '3', 6, 20)).toBe(3);
  });

  it('names the bad parameter', () => {
    expect(() => parsePeriod('year')).toThrow(QueryError);
    expect(() => parsePeriod('year')).toThrow(/^period: /);
    expect(() => parseBucket('hour')).toThrow(/^bucket: /);
    for (const bad of ['0', '21', '2.5', 'x']) expect(() => parseCount('top', bad, 6, 20)).toThrow(/^top: /);
  });
});
