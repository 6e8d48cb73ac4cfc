import type { Classification } from '../../src/domain/reason.js';
import type { Store } from '../../src/store/store.js';
import { key, NONE, page, RULE, result, status, T0, ticket } from '../store/fixtures.js';

const HOUR = 3_600_000;

export const BILLING_TAG: Classification = {
  reasonId: 'billing',
  confidence: 1,
  classifiedBy: 'tag',
  detail: 'tag:zt_reason_billing',
};
export const MANUAL: Classification = {
  reasonId: 'login_2fa',
  confidence: 1,
  classifiedBy: 'manual',
  detail: 'manual:ana',
};
export const MODEL: Classification = {
  reasonId: 'billing',
  confidence: 0.91,
  classifiedBy: 'model',
  detail: 'model:0.91',
};
/** A chat without a subject: its first 120 characters stand in. */
export const CHAT_TEXT = `Hi there,\n  I was charged twice this month. ${'Please help. '.repeat(12)}`;

/**
 * Counting tickets r1 (acme, rule), r2 (globex, a tag, no subject), r3 (acme, unclassified),
 * r5 (globex, manual), r6 (acme, the model), created an hour apart in that order; r4 (billing)
 * does not count. Acme is a known customer, globex only a link. Connection `zd` is Zendesk
 * subdomain `acme`.
 */
export async function seedRecentTickets(store: Store): Promise<void> {
  await store.saveConnection(
    { id: 'zd', kind: 'zendesk', settings: { subdomain: 'acme' }, secret: 'not-a-real-secret' },
    T0,
  );
  await store.upsertCustomers([{ id: 'acme', name: 'Acme Inc', emails: [], domains: [] }]);
  const at = (n: number) => T0 + n * HOUR;
  await store.commitSyncPage(
    page({
      tickets: [
        ticket('r1', { createdAt: at(1) }),
        ticket('r2', { createdAt: at(2), subject: '', text: CHAT_TEXT }),
        ticket('r3', { createdAt: at(3) }),
        ticket('r4', { createdAt: at(4) }),
        ticket('r5', { createdAt: at(5) }),
        ticket('r6', { createdAt: at(6) }),
      ],
    }),
  );
  await store.saveTicketResults([
    result('r1', 'acme', RULE),
    result('r2', 'globex', BILLING_TAG),
    result('r3', 'acme', NONE),
    result('r4', 'acme', BILLING_TAG),
    result('r5', 'globex', MANUAL),
    result('r6', 'acme', MODEL),
  ]);
  const verdict = (id: string, counts = true) => ({
    ...key(id),
    inWindow: counts,
    countsTowardMetric: counts,
    milestonePhase: null,
  });
  await store.saveCustomerResults(
    ['acme', 'globex'],
    [
      {
        status: status('acme'),
        tickets: [verdict('r1'), verdict('r3'), verdict('r4', false), verdict('r6')],
      },
      { status: status('globex'), tickets: [verdict('r2'), verdict('r5')] },
    ],
    T0,
  );
}

export const SEEDED_AT = {
  r1: T0 + HOUR,
  r2: T0 + 2 * HOUR,
  r3: T0 + 3 * HOUR,
  r5: T0 + 5 * HOUR,
  r6: T0 + 6 * HOUR,
};
