import { describe, expect, it } from 'vitest';
import type { Cohort, Headline, MetricPeriodRow, PeriodKind, StatusSlim } from '../../src/domain/metric.js';
import { cohorts, headlineFor } from '../../src/domain/metric.js';
import type { CustomerStatusKind } from '../../src/domain/status-types.js';

// cohorts() and headlineFor(): the rest of src/domain/metric.ts is tested in metric.test.ts.
const at = Date.parse;
let nextId = 0;
const s = (
  status: CustomerStatusKind,
  windowEnd: number | null,
  windowStart: number | null = null,
): StatusSlim => ({
  customerId: `c${nextId++}`,
  windowStart,
  windowEnd,
  status,
});

describe('cohorts', () => {
  const list = [
    s('zero_tickets', 1, at('2026-02-26T10:00:00Z')), // Thu: week Feb 23, month Feb
    s('had_tickets', null, at('2026-03-01T23:00:00Z')), // Sun: week Feb 23, month Mar
    s('in_progress', null, at('2026-03-02T00:30:00+02:00')), // Sun Mar 1 22:30 UTC
    s('in_buffer', 5, at('2026-03-03T10:00:00Z')),
    s('stalled', null, at('2026-03-05T10:00:00Z')),
    s('not_started', null, null),
  ];
  const cohort = (periodStart: string, c: Partial<Cohort>): Cohort => ({
    periodStart,
    customers: 0,
    zeroTickets: 0,
    hadTickets: 0,
    decided: 0,
    zeroTicketPct: null,
    pending: 0,
    stalled: 0,
    ...c,
  });
  it.each<[PeriodKind, Cohort[]]>([
    [
      'week',
      [
        cohort('2026-02-23', {
          customers: 3,
          zeroTickets: 1,
          hadTickets: 1,
          decided: 2,
          zeroTicketPct: 50,
          pending: 1,
        }),
        cohort('2026-03-02', { customers: 2, pending: 1, stalled: 1 }),
      ],
    ],
    [
      'month',
      [
        cohort('2026-02-01', { customers: 1, zeroTickets: 1, decided: 1, zeroTicketPct: 100 }),
        cohort('2026-03-01', {
          customers: 4,
          hadTickets: 1,
          decided: 1,
          zeroTicketPct: 0,
          pending: 2,
          stalled: 1,
        }),
      ],
    ],
  ])('by %s of window start', (kind, expected) => {
    expect(cohorts(list, kind)).toEqual(expected);
  });
});

describe('headlineFor', () => {
  const row = (periodKind: PeriodKind, periodStart: string, zeroTicketPct: number): MetricPeriodRow => ({
    periodKind,
    periodStart,
    closedWindows: 10,
    zeroTickets: 0,
    hadTickets: 0,
    zeroTicketPct,
  });
  const periods = [
    row('week', '2026-03-09', 100), // running at `now`
    row('week', '2026-02-23', 58.3),
    row('week', '2026-03-02', 62.5),
    row('week', '2026-02-09', 40),
    row('month', '2026-03-01', 90),
    row('month', '2026-02-01', 55),
    row('month', '2026-01-01', 60),
  ];
  const tuesday = at('2026-03-10T15:00:00Z');
  const monday = at('2026-03-09T00:00:00Z');
  it.each<[string, MetricPeriodRow[], PeriodKind, number, string | null, string | null, number | null]>([
    ['the last complete week and the one before', periods, 'week', tuesday, '2026-03-02', '2026-02-23', 4.2],
    [
      'a running week starting exactly now is not complete',
      periods,
      'week',
      monday,
      '2026-03-02',
      '2026-02-23',
      4.2,
    ],
    ['one instant earlier the week before is running', periods, 'week', monday - 1, '2026-02-23', null, null],
    ['the last complete month', periods, 'month', tuesday, '2026-02-01', '2026-01-01', -5],
    ['no complete period', periods, 'month', at('2026-01-20T00:00:00Z'), null, null, null],
    ['no rows', [], 'week', tuesday, null, null, null],
  ])('%s', (_name, rows, kind, now, current, previous, changePts) => {
    const h: Headline = headlineFor(rows, kind, now);
    expect([h.current?.periodStart ?? null, h.previous?.periodStart ?? null, h.changePts]).toEqual([
      current,
      previous,
      changePts,
    ]);
  });
});
