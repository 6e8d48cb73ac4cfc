import type { Classification } from '../../src/domain/reason.js';
import type { CustomerStatus } from '../../src/domain/status-types.js';
import type { HelpdeskUser, Ticket } from '../../src/domain/ticket.js';
import type { SyncPage, TicketKey, TicketResult, WarehouseTicketRow } from '../../src/store/store.js';

export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const DAY = 86_400_000;

export function ticket(
  ticketId: string,
  overrides: Partial<Omit<Ticket, 'requester'>> & {
    requester?: Partial<Ticket['requester']>;
  } = {},
): Ticket {
  const { requester, ...rest } = overrides;
  return {
    source: 'zendesk',
    connectionId: 'zd',
    ticketId,
    createdAt: T0,
    updatedAt: T0 + 1_000,
    status: 'open',
    subject: `Subject ${ticketId}`,
    text: `Subject ${ticketId}\nI cannot log in.`,
    tags: ['login', 'urgent'],
    fields: { '360001': 'billing', '360002': 3, '360003': true, '360004': null, '360005': ['a', 'b'] },
    requester: {
      id: `u-${ticketId}`,
      externalId: null,
      email: null,
      organizationExternalIds: [],
      ...requester,
    },
    outbound: false,
    deleted: false,
    merged: false,
    ...rest,
  };
}

export function user(userId: string, overrides: Partial<HelpdeskUser> = {}): HelpdeskUser {
  return {
    connectionId: 'zd',
    userId,
    externalId: null,
    email: `${userId}@example.com`,
    role: 'customer',
    organizationIds: [],
    ...overrides,
  };
}

export function page(overrides: Partial<SyncPage> = {}): SyncPage {
  return {
    connectionId: 'zd',
    stream: 'tickets',
    cursor: 'cursor-1',
    tickets: [],
    users: [],
    organizations: [],
    quarantined: [],
    ...overrides,
  };
}

export const RULE: Classification = {
  reasonId: 'login',
  confidence: 0.8,
  classifiedBy: 'rule',
  detail: 'keyword:log in',
};
export const NONE: Classification = {
  reasonId: 'unclassified',
  confidence: 0,
  classifiedBy: 'none',
  detail: '',
};

export function result(
  key: TicketKey | string,
  customerId: string | null,
  classification: Classification = RULE,
): TicketResult {
  const k = typeof key === 'string' ? { source: 'zendesk' as const, ticketId: key } : key;
  return {
    ...k,
    customerId,
    linkMethod: customerId === null ? 'none' : 'email',
    classification,
  };
}

export function status(customerId: string, overrides: Partial<CustomerStatus> = {}): CustomerStatus {
  return {
    customerId,
    windowStart: T0 - 10 * DAY,
    completedAt: null,
    windowEnd: null,
    status: 'in_progress',
    countingTickets: 0,
    firstTicketId: null,
    firstTicketReason: null,
    ...overrides,
  };
}

export function warehouseTicket(
  ticketId: string,
  overrides: Partial<WarehouseTicketRow> = {},
): WarehouseTicketRow {
  return {
    source: 'zendesk',
    ticketId,
    customerId: 'acme',
    linkMethod: 'email',
    createdAt: T0,
    updatedAt: T0 + 1_000,
    status: 'open',
    reasonId: 'login',
    reasonConfidence: 0.8,
    classifiedBy: 'rule',
    reasonDetail: 'rule:keyword:log in',
    milestonePhase: 'signed_up',
    inWindow: true,
    countsTowardMetric: true,
    ...overrides,
  };
}

export function key(ticketId: string): TicketKey {
  return { source: 'zendesk', ticketId };
}
