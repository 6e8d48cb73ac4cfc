import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/outputs/digest.js';
import { escapeMrkdwn, renderDigestBlocks, renderDigestText } from '../../src/outputs/render-digest.js';

const digest: Digest = {
  day: '2026-11-24',
  week: {
    period: {
      periodKind: 'week',
      periodStart: '2026-11-16',
      closedWindows: 16,
      zeroTickets: 10,
      hadTickets: 6,
      zeroTicketPct: 62.5,
    },
    previous: {
      periodKind: 'week',
      periodStart: '2026-11-09',
      closedWindows: 12,
      zeroTickets: 7,
      hadTickets: 5,
      zeroTicketPct: 58.3,
    },
    changePts: 4.2,
  },
  month: {
    period: {
      periodKind: 'month',
      periodStart: '2026-10-01',
      closedWindows: 40,
      zeroTickets: 24,
      hadTickets: 16,
      zeroTicketPct: 60,
    },
    previous: null,
    changePts: null,
  },
  trailing: { zeroTicketPct: 61.1, closedWindows: 36 },
  pending: { in_progress: 40, in_buffer: 12, stalled: 5, not_started: 3 },
  reasons: [
    { id: 'billing', title: 'Billing & invoices', owner: 'U_BILLING', tickets: 8 },
    { id: 'login_2fa', title: 'Login', owner: null, tickets: 2 },
  ],
  unlinkedTickets: 5,
  unclassifiedTickets: 3,
};

describe('renderDigestText', () => {
  it('renders the same lines in the same order with one decimal', () => {
    expect(renderDigestText(digest).split('\n')).toEqual([
      '*Companies with zero support tickets* — 2026-11-24',
      'Last closed week (from 2026-11-16): *62.5%* (n=16), ▲ 4.2 pts',
      'Last closed month (from 2026-10-01): *60.0%* (n=40)',
      'Trailing 28 days: 61.1% (n=36)',
      'Pending: 40 in progress · 12 in buffer · 5 stalled · 3 not started',
      '',
      '*Users having a bad day* — top reasons, last 28 days:',
      '1. Billing &amp; invoices — 8 `████████████` <@U_BILLING>',
      '2. Login — 2 `███` (no owner)',
      '',
      'Data quality: 5 unlinked tickets · 3 unclassified tickets',
    ]);
  });

  it('says so when no window closed and no ticket counted', () => {
    const empty: Digest = {
      ...digest,
      week: { period: null, previous: null, changePts: null },
      trailing: { zeroTicketPct: null, closedWindows: 0 },
      reasons: [],
    };
    const text = renderDigestText(empty);
    expect(text).toContain('Last closed week: no window closed yet');
    expect(text).toContain('Trailing 28 days: n/a (n=0)');
    expect(text).toContain('No counting tickets in the last 28 days.');
  });

  it.each([
    [-3.25, '▼ 3.3 pts'],
    [0, '= 0.0 pts'],
  ])('marks a change of %d points as %s', (changePts, mark) => {
    expect(renderDigestText({ ...digest, week: { ...digest.week, changePts } })).toContain(mark);
  });
});

describe('renderDigestBlocks', () => {
  it('starts with the header and mentions owners', () => {
    const blocks = renderDigestBlocks(digest) as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Companies with zero support tickets' },
    });
    expect(JSON.stringify(blocks)).toContain('<@U_BILLING>');
  });
});

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & <b> "c"')).toBe('a &amp; &lt;b&gt; "c"');
  });
});
