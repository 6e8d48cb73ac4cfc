import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/domain/reason.js';
import { buildOwnerNotes, renderOwnerNote } from '../../src/outputs/owner-notes.js';
import { ticketUrl } from '../../src/outputs/ticket-links.js';
import type { ReasonTicketRow } from '../../src/store/store.js';

const NOW = Date.parse('2026-11-24T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const reason = (id: string, owner: string | null): Reason => ({
  id,
  title: id[0]?.toUpperCase() + id.slice(1),
  owner,
  match: {},
  countsTowardMetric: true,
});
const reasons = [
  reason('billing', 'U_BILL'),
  reason('login', 'U_AUTH'),
  reason('import', 'U_BILL'),
  reason('orphan', null),
];

const connections = [
  { id: 'zd', kind: 'zendesk' as const, settings: { subdomain: 'acme' } },
  { id: 'ic', kind: 'intercom' as const, settings: { appId: 'abc123' } },
];

function row(
  ticketId: string,
  reasonId: string,
  ageMs: number,
  over: Partial<ReasonTicketRow> = {},
): ReasonTicketRow {
  return {
    source: 'zendesk',
    ticketId,
    connectionId: 'zd',
    reasonId,
    subject: `Subject ${ticketId}`,
    createdAt: NOW - ageMs,
    customerId: 'acme',
    customerName: 'Acme',
    countsTowardMetric: true,
    ...over,
  };
}

describe('buildOwnerNotes', () => {
  const tickets = [
    row('1', 'billing', 20 * DAY),
    row('2', 'billing', 9 * DAY, { customerId: 'globex', customerName: 'Globex' }),
    row('3', 'billing', 10 * HOUR),
    row('4', 'billing', 2 * HOUR, {
      customerId: 'globex',
      customerName: 'Globex',
      countsTowardMetric: false,
    }),
    row('5', 'login', 3 * DAY),
    row('6', 'import', 1 * HOUR, {
      source: 'intercom',
      connectionId: 'ic',
      customerId: null,
      customerName: null,
    }),
    row('7', 'orphan', 1 * HOUR),
  ];

  it('groups reasons by owner, new tickets since each reason’s last note, with trend and customers', () => {
    const notes = buildOwnerNotes({
      reasons,
      tickets,
      lastNoteAt: new Map([['login', NOW - 5 * DAY]]),
      connections,
      now: NOW,
    });
    expect(notes.map((n) => [n.owner, n.reasons.map((r) => r.reasonId)])).toEqual([
      ['U_AUTH', ['login']],
      ['U_BILL', ['billing', 'import']],
    ]);
    const billing = notes[1]?.reasons[0];
    // No last note: a day back.
    expect(billing?.since).toBe(NOW - DAY);
    expect(billing?.newTickets.map((t) => [t.ticketId, t.customer, t.url])).toEqual([
      ['3', 'Acme', 'https://acme.zendesk.com/agent/tickets/3'],
      ['4', 'Globex', 'https://acme.zendesk.com/agent/tickets/4'],
    ]);
    // Counting tickets per 7 days, oldest first: #1 (20 d), #2 (9 d), #3 (10 h); #4 does not count.
    expect(billing?.trend).toEqual([0, 1, 1, 1]);
    expect(billing?.customers).toEqual([
      { id: 'acme', name: 'Acme', tickets: 2 },
      { id: 'globex', name: 'Globex', tickets: 2 },
    ]);
    const imports = notes[1]?.reasons[1];
    expect(imports?.newTickets[0]).toMatchObject({
      customer: null,
      url: 'https://app.intercom.com/a/inbox/abc123/inbox/conversation/6',
    });
    expect(imports?.customers).toEqual([]);
    expect(notes[0]?.reasons[0]?.newTickets.map((t) => t.ticketId)).toEqual(['5']);
  });

  it('leaves out reasons with nothing new, and owners with no reason left', () => {
    const notes = buildOwnerNotes({
      reasons,
      tickets,
      lastNoteAt: new Map([
        ['login', NOW - HOUR],
        ['billing', NOW - HOUR],
      ]),
      connections,
      now: NOW,
    });
    expect(notes.map((n) => [n.owner, n.reasons.map((r) => r.reasonId)])).toEqual([['U_BILL', ['import']]]);
  });
});

describe('renderOwnerNote', () => {
  const [note] = buildOwnerNotes({
    reasons,
    tickets: [
      row('3', 'billing', 10 * HOUR),
      row('9', 'billing', 20 * DAY, { subject: 'Charged <twice> & more' }),
    ],
    lastNoteAt: new Map([['billing', NOW - 21 * DAY]]),
    connections,
    now: NOW,
  });

  it('lists linked tickets, the trend and the customers; a thread reply mentions the owner', () => {
    if (!note) throw new Error('expected a note');
    const message = renderOwnerNote(note, 'thread');
    expect(message.text).toBe('2 new tickets for your reasons: Billing (2)');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '<@U_BILL> *2 new tickets* for the reasons you own:' },
      },
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '*Billing* — 2 new since 2026-11-03 09:00 UTC',
            '• <https://acme.zendesk.com/agent/tickets/9|#9> Charged &lt;twice&gt; &amp; more — Acme (2026-11-04 09:00 UTC)',
            '• <https://acme.zendesk.com/agent/tickets/3|#3> Subject 3 — Acme (2026-11-23 23:00 UTC)',
          ].join('\n'),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '4-week trend (counting tickets per week, oldest first): 0 → 1 → 0 → 1 ▁█▁█',
          },
          { type: 'mrkdwn', text: 'Customers affected (28 days): Acme (2)' },
        ],
      },
    ]);
  });

  it('names nobody in a DM', () => {
    if (!note) throw new Error('expected a note');
    expect(JSON.stringify(renderOwnerNote(note, 'dm').blocks[0])).not.toContain('<@');
  });
});

describe('ticketUrl', () => {
  it.each([
    [
      { id: 'a', kind: 'zendesk' as const, settings: { subdomain: 'Acme' } },
      'https://acme.zendesk.com/agent/tickets/42',
    ],
    [
      {
        id: 'a',
        kind: 'zendesk' as const,
        settings: { subdomain: 'acme', baseUrl: 'http://127.0.0.1:9000/' },
      },
      'http://127.0.0.1:9000/agent/tickets/42',
    ],
    [{ id: 'a', kind: 'zendesk' as const, settings: {} }, null],
    [
      { id: 'a', kind: 'intercom' as const, settings: { appId: 'xyz9' } },
      'https://app.intercom.com/a/inbox/xyz9/inbox/conversation/42',
    ],
    [{ id: 'a', kind: 'intercom' as const, settings: {} }, null],
    [undefined, null],
  ])('%j → %s', (connection, expected) => {
    expect(ticketUrl(connection, '42')).toBe(expected);
  });
});

describe('renderOwnerNote limits', () => {
  it('keeps every section within Slack’s 3,000 characters, cutting whole lines', () => {
    const long = 'x'.repeat(400);
    const tickets = Array.from({ length: 10 }, (_, i) =>
      row(String(100 + i), 'billing', HOUR + i, { subject: long, customerName: long }),
    );
    const wordy = [{ ...reason('billing', 'U_BILL'), title: 'Billing '.repeat(300) }];
    const [note] = buildOwnerNotes({ reasons: wordy, tickets, lastNoteAt: new Map(), connections, now: NOW });
    if (!note) throw new Error('expected a note');
    const sections = renderOwnerNote(note, 'dm').blocks.filter(
      (b): b is { type: 'section'; text: { text: string } } => (b as { type: string }).type === 'section',
    );
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(sections[1]?.text.text.endsWith('\n…')).toBe(true);
    expect(sections[1]?.text.text.startsWith('*Billing Billing')).toBe(true);
  });
});
