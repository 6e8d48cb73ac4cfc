import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/outputs/digest.js';
import {
  escapeMrkdwn,
  isSlackUserId,
  mentionOwner,
  renderDigestBlocks,
  renderDigestMessage,
  renderDigestText,
} from '../../src/outputs/render-digest.js';

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
  trailing: { zeroTicketPct: 61.1, closedWindows: 36, changePts: -1 },
  pending: { in_progress: 40, in_buffer: 12, stalled: 5, not_started: 3 },
  reasons: [
    { id: 'billing', title: 'Billing & invoices', owner: 'U012ABCDEF', tickets: 12 },
    { id: 'login_2fa', title: 'Login', owner: 'alice@acme.com', tickets: 3 },
    { id: 'import', title: 'Importing <data>', owner: null, tickets: 1 },
  ],
  unlinkedTickets: 5,
  unclassifiedTickets: 3,
  dashboardUrl: 'https://zt.acme.com/',
};

describe('renderDigestBlocks', () => {
  it('renders the whole post: same blocks, same order, one decimal, owners mentioned', () => {
    expect(renderDigestBlocks(digest)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Companies with zero support tickets' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            'Last closed week (from 2026-11-16): *62.5%* (n=16), ▲ 4.2 pts',
            'Trailing 4 weeks: *61.1%* (n=36), ▼ 1.0 pts',
          ].join('\n'),
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Pending: 40 in progress · 12 in buffer · 5 stalled · 3 not started' },
        ],
      },
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '*Users having a bad day* — top reasons, last 28 days:',
            '`████████████ 12` Billing &amp; invoices · <@U012ABCDEF>',
            '`███░░░░░░░░░  3` Login · <@alice@acme.com>',
            '`█░░░░░░░░░░░  1` Importing &lt;data&gt; · no owner',
          ].join('\n'),
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Data quality: 5 unlinked tickets · 3 unclassified tickets' }],
      },
      { type: 'section', text: { type: 'mrkdwn', text: '<https://zt.acme.com/|Open the dashboard>' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '2026-11-24 · zerotickets' }] },
    ]);
  });

  it('leaves the dashboard link out when no public URL is configured', () => {
    const blocks = renderDigestBlocks({ ...digest, dashboardUrl: null });
    expect(JSON.stringify(blocks)).not.toContain('Open the dashboard');
    expect(blocks).toHaveLength(7);
  });

  it('says so when no window closed and no ticket counted', () => {
    const text = renderDigestText({
      ...digest,
      week: { period: null, previous: null, changePts: null },
      trailing: { zeroTicketPct: null, closedWindows: 0, changePts: null },
      reasons: [],
    });
    expect(text).toContain('Last closed week: no window closed yet');
    expect(text).toContain('Trailing 4 weeks: *n/a* (n=0)\n');
    expect(text).toContain('*Users having a bad day*: no counting tickets in the last 28 days.');
  });

  it.each([
    [4.25, '▲ 4.3 pts'],
    [-3.25, '▼ 3.3 pts'],
    [0, '= 0.0 pts'],
  ])('marks a change of %d points as %s', (changePts, mark) => {
    expect(renderDigestText({ ...digest, week: { ...digest.week, changePts } })).toContain(`(n=16), ${mark}`);
  });
});

describe('renderDigestText', () => {
  it('is the blocks as readable lines: links spelled out, mentions kept, entities unescaped', () => {
    expect(renderDigestText(digest).split('\n')).toEqual([
      'Companies with zero support tickets',
      '═══════════════════════════════════',
      'Last closed week (from 2026-11-16): *62.5%* (n=16), ▲ 4.2 pts',
      'Trailing 4 weeks: *61.1%* (n=36), ▼ 1.0 pts',
      'Pending: 40 in progress · 12 in buffer · 5 stalled · 3 not started',
      '',
      '*Users having a bad day* — top reasons, last 28 days:',
      '`████████████ 12` Billing & invoices · <@U012ABCDEF>',
      '`███░░░░░░░░░  3` Login · <@alice@acme.com>',
      '`█░░░░░░░░░░░  1` Importing <data> · no owner',
      'Data quality: 5 unlinked tickets · 3 unclassified tickets',
      'Open the dashboard (https://zt.acme.com/)',
      '2026-11-24 · zerotickets',
    ]);
  });
});

describe('renderDigestMessage', () => {
  it('carries a one-line notification fallback', () => {
    expect(renderDigestMessage(digest).text).toBe(
      'Companies with zero support tickets: 62.5% last closed week (▲ 4.2 pts) · 61.1% trailing 4 weeks',
    );
  });
});

describe('owners', () => {
  it.each([
    ['U012ABCDEF', true],
    ['W0123ABC', true],
    ['U_BILLING_OWNER', true],
    ['alice', false],
    ['u012abcdef', false],
    ['alice@acme.com', false],
  ])('%s is a Slack user id: %s', (owner, expected) => {
    expect(isSlackUserId(owner)).toBe(expected);
  });

  it('mentions a Slack id and shows any other owner as escaped text', () => {
    expect(mentionOwner('U012ABCDEF')).toBe('<@U012ABCDEF>');
    // The Contract's form for every owner; Slack's control characters stay escaped.
    expect(mentionOwner('billing-team')).toBe('<@billing-team>');
    expect(mentionOwner('R&D <team>')).toBe('<@R&amp;D &lt;team&gt;>');
    expect(mentionOwner(null)).toBe('no owner');
  });
});

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & <b> "c"')).toBe('a &amp; &lt;b&gt; "c"');
  });
});
