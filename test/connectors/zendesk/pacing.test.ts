import { describe, expect, it } from 'vitest';
import type { RequestBudget } from '../../../connectors/shared/budget.js';
import { exportLimitFor, readAccountLimit, zendeskPacing } from '../../../connectors/zendesk/pacing.js';
import { laneOf } from '../../../connectors/zendesk/pull.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

/** A budget that records what the pacing asked of it. */
function recordingBudget() {
  const calls: unknown[][] = [];
  const budget: RequestBudget = {
    acquire: async (key, lane) => void calls.push(['acquire', key, lane]),
    observe: async (key, observation) => void calls.push(['observe', key, observation]),
    block: async (key, until) => void calls.push(['block', key, until - NOW]),
  };
  return { budget, calls };
}

const headers = (h: Record<string, string>) => new Response(null, { headers: h });

describe('zendeskPacing', () => {
  it('spends the export limit and the account limit on an export request', async () => {
    const { budget, calls } = recordingBudget();
    const pacing = zendeskPacing({ budget, account: 'acme.zendesk.com', now: () => NOW });
    const hooks = pacing.hooks('export', 'backfill');
    await hooks.beforeAttempt!();
    await hooks.beforeAttempt!();
    await hooks.onRateLimited!(17_000);
    expect(calls).toEqual([
      ['observe', 'zendesk:acme.zendesk.com:export', { limit: 10 }],
      ['acquire', 'zendesk:acme.zendesk.com:export', 'backfill'],
      ['acquire', 'zendesk:acme.zendesk.com', 'backfill'],
      ['acquire', 'zendesk:acme.zendesk.com:export', 'backfill'],
      ['acquire', 'zendesk:acme.zendesk.com', 'backfill'],
      ['block', 'zendesk:acme.zendesk.com:export', 17_000],
    ]);
  });

  it('spends only the account limit elsewhere, and learns it from the headers', async () => {
    const { budget, calls } = recordingBudget();
    const hooks = zendeskPacing({ budget, account: 'acme.zendesk.com', now: () => NOW }).hooks(
      'api',
      'webhook',
    );
    await hooks.beforeAttempt!();
    await hooks.onResponse!(
      headers({ 'X-Rate-Limit': '400', 'X-Rate-Limit-Remaining': '12', 'ratelimit-reset': '30' }),
    );
    await hooks.onRateLimited!(5_000);
    expect(calls).toEqual([
      ['acquire', 'zendesk:acme.zendesk.com', 'webhook'],
      ['observe', 'zendesk:acme.zendesk.com', { limit: 400, remaining: 12, resetAtMs: NOW + 30_000 }],
      ['block', 'zendesk:acme.zendesk.com', 5_000],
    ]);
  });

  it('does not take an export-sized limit on an export answer for the account limit', async () => {
    const { budget, calls } = recordingBudget();
    const hooks = zendeskPacing({ budget, account: 'a.zendesk.com', now: () => NOW }).hooks(
      'export',
      'backfill',
    );
    await hooks.onResponse!(headers({ 'X-Rate-Limit': '10', 'X-Rate-Limit-Remaining': '9' }));
    await hooks.onResponse!(headers({ 'X-Rate-Limit': '400', 'X-Rate-Limit-Remaining': '300' }));
    expect(calls).toEqual([
      ['observe', 'zendesk:a.zendesk.com', { limit: 400, remaining: 300, resetAtMs: null }],
    ]);
  });

  it('raises the export limit to 30/min when the account shows High Volume (2,500/min)', async () => {
    const { budget, calls } = recordingBudget();
    const hooks = zendeskPacing({ budget, account: 'a.zendesk.com', now: () => NOW }).hooks(
      'export',
      'backfill',
    );
    await hooks.onResponse!(headers({ 'X-Rate-Limit': '2500' }));
    expect(calls).toContainEqual(['observe', 'zendesk:a.zendesk.com:export', { limit: 30 }]);
  });
});

describe('readAccountLimit / exportLimitFor / laneOf', () => {
  it.each([
    [
      { 'X-Rate-Limit': '700', 'X-Rate-Limit-Remaining': '699' },
      { limit: 700, remaining: 699, resetAtMs: null },
    ],
    [
      { 'ratelimit-limit': '200', 'ratelimit-remaining': '0', 'ratelimit-reset': '9' },
      { limit: 200, remaining: 0, resetAtMs: NOW + 9000 },
    ],
    [{ 'X-Rate-Limit': 'lots' }, null],
  ])('reads %j', (h, expected) => {
    expect(readAccountLimit(new Headers(h), NOW)).toEqual(expected);
  });

  it.each([
    [null, 10],
    [400, 10],
    [2500, 30],
  ])('account limit %s → exports %s/min', (limit, expected) => {
    expect(exportLimitFor(limit)).toBe(expected);
  });

  it.each([
    ['a position two hours old', Math.floor(NOW / 1000) - 7200, 'backfill'],
    ['a position ten minutes old', Math.floor(NOW / 1000) - 600, 'incremental'],
    ['no position', null, 'incremental'],
  ])('puts %s in its lane', (_case, highWater, lane) => {
    expect(laneOf({ v: 1, after_cursor: 'c', start_time: null, high_water: highWater }, NOW)).toBe(lane);
  });
});
