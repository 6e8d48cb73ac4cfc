import { describe, expect, it } from 'vitest';
import { DAY_MS, type MetricPeriodRow, type StatusSlim, trailingChange } from '../../src/domain/metric.js';
import { bucketOf, bucketStarts, closedPeriodTrend } from '../../src/outputs/dashboard/series.js';

const row = (
  periodKind: 'week' | 'month',
  periodStart: string,
  zero: number,
  had: number,
): MetricPeriodRow => ({
  periodKind,
  periodStart,
  closedWindows: zero + had,
  zeroTickets: zero,
  hadTickets: had,
  zeroTicketPct: Math.round((1000 * zero) / (zero + had)) / 10,
});
/** Wednesday 2025-03-12, noon UTC: the running week starts Monday 2025-03-10. */
const NOW = Date.parse('2025-03-12T12:00:00Z');

describe('closedPeriodTrend', () => {
  const periods = [
    row('week', '2025-02-10', 1, 1),
    row('week', '2025-02-24', 2, 1),
    row('week', '2025-03-03', 3, 0),
    row('week', '2025-03-10', 1, 0), // running: left out
    row('month', '2025-02-01', 3, 2),
    row('month', '2025-03-01', 4, 0), // running: left out
  ];

  it('keeps closed periods only, oldest first, and fills a gap with a null point of n = 0', () => {
    expect(closedPeriodTrend(periods, 'week', NOW, 10)).toEqual([
      { periodStart: '2025-02-10', zeroTicketPct: 50, closedWindows: 2, zeroTickets: 1, hadTickets: 1 },
      { periodStart: '2025-02-17', zeroTicketPct: null, closedWindows: 0, zeroTickets: 0, hadTickets: 0 },
      { periodStart: '2025-02-24', zeroTicketPct: 66.7, closedWindows: 3, zeroTickets: 2, hadTickets: 1 },
      { periodStart: '2025-03-03', zeroTicketPct: 100, closedWindows: 3, zeroTickets: 3, hadTickets: 0 },
    ]);
    expect(closedPeriodTrend(periods, 'month', NOW, 10).map((p) => p.periodStart)).toEqual(['2025-02-01']);
  });

  it('keeps the newest `limit` points', () => {
    expect(closedPeriodTrend(periods, 'week', NOW, 2).map((p) => p.periodStart)).toEqual([
      '2025-02-24',
      '2025-03-03',
    ]);
  });

  it('is empty when no period has closed', () => {
    expect(closedPeriodTrend([row('week', '2025-03-10', 1, 0)], 'week', NOW, 10)).toEqual([]);
  });
});

describe('trailingChange', () => {
  const closedAt = (customerId: string, daysAgo: number, zero: boolean): StatusSlim => ({
    customerId,
    windowStart: NOW - (daysAgo + 40) * DAY_MS,
    windowEnd: NOW - daysAgo * DAY_MS,
    status: zero ? 'zero_tickets' : 'had_tickets',
  });

  it('compares the trailing span with the span before it, in points with one decimal', () => {
    const statuses = [
      closedAt('a', 1, true),
      closedAt('b', 2, true),
      closedAt('c', 3, false), // trailing 28 days: 2 of 3 = 66.7
      closedAt('d', 30, true),
      closedAt('e', 40, false), // the 28 days before: 1 of 2 = 50
      closedAt('f', 60, true), // older: in neither
    ];
    const change = trailingChange(statuses, NOW, 28);
    expect(change.current).toMatchObject({ zeroTicketPct: 66.7, closedWindows: 3 });
    expect(change.previous).toMatchObject({ zeroTicketPct: 50, closedWindows: 2 });
    expect(change.changePts).toBe(16.7);
  });

  it('has no change without a percentage on both sides', () => {
    expect(trailingChange([closedAt('a', 1, true)], NOW, 28).changePts).toBeNull();
  });
});

describe('buckets', () => {
  it('lists the span of days or weeks ending with the running one', () => {
    expect(bucketStarts('day', NOW, 3)).toEqual(['2025-03-10', '2025-03-11', '2025-03-12']);
    expect(bucketStarts('week', NOW, 3)).toEqual(['2025-02-24', '2025-03-03', '2025-03-10']);
  });

  it('puts a day in its own bucket or in the week starting on Monday', () => {
    expect(bucketOf('day', '2025-03-09')).toBe('2025-03-09');
    expect(bucketOf('week', '2025-03-09')).toBe('2025-03-03');
    expect(bucketOf('week', '2025-03-10')).toBe('2025-03-10');
  });
});
