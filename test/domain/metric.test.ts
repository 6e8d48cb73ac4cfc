import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MetricPeriodRow, PeriodKind, StatusSlim } from '../../src/domain/metric.js';
import {
  DAY_MS,
  isoDate,
  metricPeriods,
  pendingCounts,
  periodStart,
  previousPeriodStart,
  statusCounts,
  trailingMetric,
  zeroTicketPct,
} from '../../src/domain/metric.js';
import type { CustomerStatusKind } from '../../src/domain/status-types.js';
import type * as store from '../../src/store/store.js';

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

describe('isoDate and periodStart', () => {
  it.each<[string, number, string, string, string]>([
    ['a Wednesday', at('2026-03-04T12:00:00Z'), '2026-03-04', '2026-03-02', '2026-03-01'],
    ['a Monday at midnight', at('2026-03-02T00:00:00Z'), '2026-03-02', '2026-03-02', '2026-03-01'],
    [
      'the last instant of a Sunday',
      at('2026-03-01T23:59:59.999Z'),
      '2026-03-01',
      '2026-02-23',
      '2026-03-01',
    ],
    [
      '+02:00 just after local midnight of Mar 1 is Feb 28 UTC',
      at('2026-03-01T00:30:00+02:00'),
      '2026-02-28',
      '2026-02-23',
      '2026-02-01',
    ],
    [
      '+02:00 just after local midnight of Monday is Sunday UTC',
      at('2026-03-02T00:30:00+02:00'),
      '2026-03-01',
      '2026-02-23',
      '2026-03-01',
    ],
    [
      '-05:00 late evening is the next UTC day',
      at('2026-03-31T22:00:00-05:00'),
      '2026-04-01',
      '2026-03-30',
      '2026-04-01',
    ],
    ['a week across a month boundary', at('2026-04-01T08:00:00Z'), '2026-04-01', '2026-03-30', '2026-04-01'],
    ['a week across a year boundary', at('2026-01-01T10:00:00Z'), '2026-01-01', '2025-12-29', '2026-01-01'],
    ['another year boundary', at('2027-01-01T00:00:00Z'), '2027-01-01', '2026-12-28', '2027-01-01'],
    ['a leap day', at('2028-02-29T12:00:00Z'), '2028-02-29', '2028-02-28', '2028-02-01'],
    ['before 1970', at('1969-12-31T12:00:00Z'), '1969-12-31', '1969-12-29', '1969-12-01'],
  ])('%s', (_name, ms, day, week, month) => {
    expect([isoDate(ms), periodStart('week', ms), periodStart('month', ms)]).toEqual([day, week, month]);
  });

  it.each<[PeriodKind, string, string]>([
    ['week', '2026-01-05', '2025-12-29'],
    ['week', '2026-03-02', '2026-02-23'],
    ['month', '2026-01-01', '2025-12-01'],
    ['month', '2026-03-01', '2026-02-01'],
  ])('previousPeriodStart(%s, %s) = %s', (kind, start, previous) => {
    expect(previousPeriodStart(kind, start)).toBe(previous);
  });

  it('DAY_MS is 24 hours', () => {
    expect(DAY_MS).toBe(24 * 60 * 60 * 1000);
  });
});

describe('zeroTicketPct', () => {
  it.each<[number, number, number | null]>([
    [0, 0, null],
    [0, 5, 0],
    [5, 5, 100],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [1, 6, 16.7],
    [1, 16, 6.3],
    [3, 16, 18.8],
    [1, 8, 12.5],
    [7, 12, 58.3],
    [1, 7, 14.3],
  ])('%d of %d → %s', (zero, decided, pct) => {
    expect(zeroTicketPct(zero, decided)).toBe(pct);
  });
});

describe('metricPeriods', () => {
  const now = at('2026-03-10T00:00:00Z');
  const statuses = [
    s('zero_tickets', at('2026-03-02T00:30:00+02:00')), // Sunday Mar 1 UTC: Feb 23 week, March
    s('had_tickets', at('2026-03-02T00:00:00Z')),
    s('zero_tickets', at('2026-03-04T09:00:00Z')),
    s('zero_tickets', now), // closed exactly now: counted
    s('zero_tickets', at('2025-12-31T12:00:00Z')),
    s('had_tickets', at('2026-01-02T12:00:00Z')),
    s('in_buffer', now + 1),
    s('had_tickets', null), // known, but its window has not closed
    s('had_tickets', now + DAY_MS),
    s('in_progress', null),
    s('stalled', null),
    s('not_started', null),
  ];

  it('counts each closed window once per kind, in the period of its end', () => {
    const row = (
      periodKind: PeriodKind,
      periodStart: string,
      zero: number,
      had: number,
    ): MetricPeriodRow => ({
      periodKind,
      periodStart,
      closedWindows: zero + had,
      zeroTickets: zero,
      hadTickets: had,
      zeroTicketPct: zeroTicketPct(zero, zero + had),
    });
    expect(metricPeriods(statuses, now)).toEqual([
      row('month', '2025-12-01', 1, 0),
      row('month', '2026-01-01', 0, 1),
      row('month', '2026-03-01', 3, 1),
      row('week', '2025-12-29', 1, 1),
      row('week', '2026-02-23', 1, 0),
      row('week', '2026-03-02', 1, 1),
      row('week', '2026-03-09', 1, 0),
    ]);
    expect(metricPeriods(statuses, now).find((r) => r.periodStart === '2026-03-01')?.zeroTicketPct).toBe(75);
  });

  it.each<[string, StatusSlim[]]>([
    ['no statuses', []],
    ['nothing closed yet', [s('in_buffer', now + 1), s('had_tickets', null), s('in_progress', null)]],
  ])('has no rows with %s', (_name, list) => {
    expect(metricPeriods(list, now)).toEqual([]);
  });
});

describe('trailingMetric', () => {
  const now = at('2026-03-29T12:00:00Z');
  it.each<[string, StatusSlim[], number | undefined, [number, number, number, number | null]]>([
    ['nothing closed', [s('in_progress', null)], undefined, [0, 0, 0, null]],
    ['a window closing exactly now is in', [s('zero_tickets', now)], undefined, [1, 0, 1, 100]],
    [
      'one closing exactly 28 days ago is out',
      [s('zero_tickets', now - 28 * DAY_MS)],
      undefined,
      [0, 0, 0, null],
    ],
    ['one closing just after that is in', [s('had_tickets', now - 28 * DAY_MS + 1)], undefined, [0, 1, 1, 0]],
    [
      'a future end is out',
      [s('zero_tickets', now + 1), s('had_tickets', now + 1)],
      undefined,
      [0, 0, 0, null],
    ],
    ['an open window with tickets is out', [s('had_tickets', null)], undefined, [0, 0, 0, null]],
    [
      'a shorter span',
      [
        s('zero_tickets', now - 7 * DAY_MS),
        s('zero_tickets', now - 6 * DAY_MS),
        s('had_tickets', now - DAY_MS),
        s('had_tickets', now - 8 * DAY_MS),
      ],
      7,
      [1, 1, 2, 50],
    ],
    [
      'rounds to one decimal',
      [s('zero_tickets', now - DAY_MS), s('zero_tickets', now - DAY_MS), s('had_tickets', now - DAY_MS)],
      undefined,
      [2, 1, 3, 66.7],
    ],
  ])('%s', (_name, list, days, [zeroTickets, hadTickets, closedWindows, pct]) => {
    expect(trailingMetric(list, now, days)).toEqual({
      zeroTickets,
      hadTickets,
      closedWindows,
      zeroTicketPct: pct,
    });
  });
});

describe('statusCounts and pendingCounts', () => {
  const list = [
    s('zero_tickets', 1),
    s('had_tickets', 1),
    s('had_tickets', null),
    s('in_progress', null),
    s('in_progress', null),
    s('in_buffer', 5),
    s('stalled', null),
    s('not_started', null),
    s('not_started', null),
    s('not_started', null),
  ];
  it.each([
    [
      'some',
      list,
      { zero_tickets: 1, had_tickets: 2, in_progress: 2, in_buffer: 1, stalled: 1, not_started: 3 },
    ],
    [
      'none',
      [],
      { zero_tickets: 0, had_tickets: 0, in_progress: 0, in_buffer: 0, stalled: 0, not_started: 0 },
    ],
  ])('%s', (_name, statuses, counts) => {
    expect(statusCounts(statuses)).toEqual(counts);
    expect(pendingCounts(statuses)).toEqual({
      in_progress: counts.in_progress,
      in_buffer: counts.in_buffer,
      stalled: counts.stalled,
      not_started: counts.not_started,
    });
  });
});

describe('shapes shared with the store port', () => {
  it('match structurally', () => {
    expectTypeOf<StatusSlim>().toEqualTypeOf<store.StatusSlim>();
    expectTypeOf<MetricPeriodRow>().toEqualTypeOf<store.MetricPeriodRow>();
  });
});
