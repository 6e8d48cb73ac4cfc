import { metricPeriods } from '../../src/domain/metric.js';
import type { Reason } from '../../src/domain/reason.js';
import type { Store } from '../../src/store/store.js';
import { page, status, ticket } from '../store/fixtures.js';

/** A Tuesday: the last closed week started Monday 2026-11-16. */
export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export const REASONS: Reason[] = [
  {
    id: 'billing',
    title: 'Billing and invoices',
    owner: 'U_BILLING_OWNER',
    match: {},
    countsTowardMetric: true,
  },
  { id: 'login_2fa', title: 'Login and 2FA', owner: 'U_AUTH_OWNER', match: {}, countsTowardMetric: true },
  { id: 'how_to', title: 'How-to question', owner: 'U_BILLING_OWNER', match: {}, countsTowardMetric: true },
];

const classification = (reasonId: string) =>
  reasonId === 'unclassified'
    ? { reasonId, confidence: 0, classifiedBy: 'none' as const, detail: '' }
    : { reasonId, confidence: 1, classifiedBy: 'tag' as const, detail: `tag:${reasonId}` };

/**
 * A small company in a store: a Zendesk connection (subdomain `acme`), three customers whose
 * windows closed (week of 11-16: Acme zero, Globex had tickets; week of 11-09: Initech zero) and
 * one in progress, and four tickets: two counting billing tickets of Globex (one 2 h old), a
 * login ticket of Acme that does not count (3 h old), and an unlinked, unclassified one.
 */
export async function seedCompany(store: Store): Promise<void> {
  await store.saveConnection(
    { id: 'zd', kind: 'zendesk', settings: { subdomain: 'acme', email: 'ops@acme.test' }, secret: 'sealed' },
    NOW - 30 * DAY,
  );
  await store.upsertCustomers([
    { id: 'acme', name: 'Acme', emails: [], domains: [] },
    { id: 'globex', name: 'Globex', emails: [], domains: [] },
    { id: 'initech', name: 'Initech', emails: [], domains: [] },
    { id: 'umbrella', name: 'Umbrella', emails: [], domains: [] },
  ]);
  const tickets = [
    ticket('1', { createdAt: NOW - 20 * DAY, subject: 'Invoice is wrong' }),
    ticket('2', { createdAt: NOW - 2 * HOUR, subject: 'Charged twice' }),
    ticket('3', { createdAt: NOW - 3 * HOUR, subject: 'Cannot log in' }),
    ticket('4', { createdAt: NOW - 5 * HOUR, subject: 'Hello?' }),
  ];
  await store.commitSyncPage(page({ tickets }));
  const link = (id: string, customerId: string | null, reasonId: string) => ({
    source: 'zendesk' as const,
    ticketId: id,
    customerId,
    linkMethod: customerId === null ? ('none' as const) : ('email' as const),
    classification: classification(reasonId),
  });
  await store.saveTicketResults([
    link('1', 'globex', 'billing'),
    link('2', 'globex', 'billing'),
    link('3', 'acme', 'login_2fa'),
    link('4', null, 'unclassified'),
  ]);
  const verdict = (id: string, counts: boolean) => ({
    source: 'zendesk' as const,
    ticketId: id,
    inWindow: counts,
    countsTowardMetric: counts,
    milestonePhase: counts ? 'signed_up' : null,
  });
  const closed = (at: number, kind: 'zero_tickets' | 'had_tickets') => ({
    windowStart: at - 40 * DAY,
    completedAt: at - 14 * DAY,
    windowEnd: at,
    status: kind,
  });
  await store.saveCustomerResults(
    ['acme', 'globex', 'initech', 'umbrella'],
    [
      { status: status('acme', closed(NOW - 7 * DAY, 'zero_tickets')), tickets: [verdict('3', false)] },
      {
        status: status('globex', {
          ...closed(NOW - 6 * DAY, 'had_tickets'),
          countingTickets: 2,
          firstTicketId: '1',
        }),
        tickets: [verdict('1', true), verdict('2', true)],
      },
      { status: status('initech', closed(NOW - 14 * DAY, 'zero_tickets')), tickets: [] },
      { status: status('umbrella'), tickets: [] },
    ],
    NOW - HOUR,
  );
  await store.saveMetricPeriods(metricPeriods(await store.listStatuses(), NOW));
}
