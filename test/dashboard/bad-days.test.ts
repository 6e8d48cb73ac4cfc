import { describe, expect, it } from 'vitest';
import { badDays } from '../../src/outputs/dashboard/bad-days.js';
import { OTHER_COLOR, reasonColors } from '../../src/outputs/dashboard/colors.js';

const NOW = Date.parse('2025-03-12T12:00:00Z');
const reasons = [
  { id: 'login', title: 'Login' },
  { id: 'billing', title: 'Billing' },
  { id: 'import', title: 'Import' },
];
const daily = [
  { day: '2025-03-10', reasonId: 'login', tickets: 3 },
  { day: '2025-03-11', reasonId: 'login', tickets: 1 },
  { day: '2025-03-11', reasonId: 'billing', tickets: 2 },
  { day: '2025-03-12', reasonId: 'import', tickets: 1 },
  { day: '2025-03-12', reasonId: 'unclassified', tickets: 1 },
  { day: '2025-03-01', reasonId: 'billing', tickets: 9 }, // before the span
];

describe('badDays', () => {
  it('keeps the top reasons in range, sums the rest into "other", and totals each bucket', () => {
    const result = badDays(daily, reasons, { bucket: 'day', now: NOW, span: 3, top: 2 });
    expect(result.buckets).toEqual(['2025-03-10', '2025-03-11', '2025-03-12']);
    expect(result.series.map((s) => [s.reasonId, s.title, s.tickets, s.total])).toEqual([
      ['login', 'Login', [3, 1, 0], 4],
      ['billing', 'Billing', [0, 2, 0], 2],
      ['other', 'Other', [0, 0, 2], 2],
    ]);
    expect(result.series[2]!.color).toBe(OTHER_COLOR);
    expect(result.totals).toEqual([3, 3, 2]);
  });

  it('has no "other" when every reason fits, and breaks ties by id', () => {
    const result = badDays(daily, reasons, { bucket: 'day', now: NOW, span: 3, top: 5 });
    expect(result.series.map((s) => s.reasonId)).toEqual(['login', 'billing', 'import', 'unclassified']);
  });

  it('sums days into weeks starting on Monday', () => {
    const result = badDays(daily, reasons, { bucket: 'week', now: NOW, span: 2, top: 1 });
    expect(result.buckets).toEqual(['2025-03-03', '2025-03-10']);
    expect(result.series.map((s) => [s.reasonId, s.tickets])).toEqual([
      ['login', [0, 4]],
      ['other', [0, 4]],
    ]);
  });

  it('colors a reason the same in every call, whatever the data', () => {
    const a = badDays(daily, reasons, { bucket: 'day', now: NOW, span: 3, top: 5 });
    const b = badDays(daily.slice(0, 1), reasons, { bucket: 'week', now: NOW, span: 8, top: 1 });
    expect(b.series[0]!.color).toBe(a.series.find((s) => s.reasonId === 'login')!.color);
  });
});

describe('reasonColors', () => {
  it('gives the reasons of one taxonomy distinct colors, stable for the same ids in any order', () => {
    const ids = ['login', 'billing', 'import', 'setup', 'cancel', 'bug', 'howto', 'kyc', 'team', 'feature'];
    const colorOf = reasonColors(ids);
    const colors = [...ids, 'unclassified'].map(colorOf);
    expect(new Set(colors).size).toBe(colors.length);
    expect(colors).not.toContain(OTHER_COLOR);
    const reversed = reasonColors([...ids].reverse());
    expect(ids.map(reversed)).toEqual(ids.map(colorOf));
  });

  it('still colors an id outside the taxonomy, and "other" grey', () => {
    const colorOf = reasonColors(['login']);
    expect(colorOf('retired-reason')).toMatch(/^#[0-9a-f]{6}$/);
    expect(colorOf('retired-reason')).toBe(reasonColors([])('retired-reason'));
    expect(colorOf('other')).toBe(OTHER_COLOR);
  });
});
