import { describe, expect, it } from 'vitest';
import { reasonColors } from '../../src/outputs/dashboard/colors.js';
import { recentTickets } from '../../src/outputs/dashboard/recent-tickets.js';
import type { RecentTicketRow } from '../../src/store/store.js';

const AT = Date.parse('2025-03-01T10:15:30.000Z');

function row(overrides: Partial<RecentTicketRow> = {}): RecentTicketRow {
  return {
    source: 'zendesk',
    ticketId: '1161',
    connectionId: 'zd',
    subject: 'Refund please',
    createdAt: AT,
    customerId: 'acme',
    customerName: 'Acme Inc',
    reasonId: 'billing',
    confidence: 0.5,
    classifiedBy: 'rule',
    detail: 'rule:keyword:refund',
    ...overrides,
  };
}

const REASONS = [
  { id: 'billing', title: 'Billing and invoices' },
  { id: 'login', title: 'Login' },
];
const CONNECTIONS = [
  { id: 'zd', kind: 'zendesk' as const, settings: { subdomain: 'acme' } },
  { id: 'ic', kind: 'intercom' as const, settings: { appId: 'abc123' } },
  { id: 'ic-bare', kind: 'intercom' as const, settings: {} },
];

describe('recentTickets', () => {
  it('turns a store row into what the page shows', () => {
    expect(recentTickets({ rows: [row()], reasons: REASONS, connections: CONNECTIONS })).toEqual([
      {
        source: 'zendesk',
        ticketId: '1161',
        createdAt: '2025-03-01T10:15:30.000Z',
        customerId: 'acme',
        customer: 'Acme Inc',
        subject: 'Refund please',
        reasonId: 'billing',
        reasonTitle: 'Billing and invoices',
        reasonColor: reasonColors(['billing', 'login'])('billing'),
        classifiedBy: 'rule',
        confidence: 0.5,
        detail: 'rule:keyword:refund',
        why: "rule: keyword 'refund'",
        url: 'https://acme.zendesk.com/agent/tickets/1161',
      },
    ]);
  });

  it.each<[string, Partial<RecentTicketRow>, Partial<ReturnType<typeof recentTickets>[number]>]>([
    ['an unknown customer by its id', { customerName: null }, { customer: 'acme' }],
    ['a reason outside the taxonomy by its id', { reasonId: 'old_reason' }, { reasonTitle: 'old_reason' }],
    [
      'a chat subject on one line',
      { subject: 'Hi,\n\n  my  card\twas charged' },
      { subject: 'Hi, my card was charged' },
    ],
    [
      'an Intercom link when the app id is known',
      { source: 'intercom', connectionId: 'ic', ticketId: '215' },
      { url: 'https://app.intercom.com/a/inbox/abc123/inbox/conversation/215' },
    ],
    ['no link without the app id', { source: 'intercom', connectionId: 'ic-bare' }, { url: null }],
    ['no link for a connection that is gone', { connectionId: 'removed' }, { url: null }],
    [
      'unclassified in words',
      { reasonId: 'unclassified', classifiedBy: 'none', detail: '' },
      { why: 'unclassified' },
    ],
  ])('shows %s', (_name, overrides, expected) => {
    const [shown] = recentTickets({ rows: [row(overrides)], reasons: REASONS, connections: CONNECTIONS });
    expect(shown).toMatchObject(expected);
  });
});
