import {
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { ClassifiedBy } from '../../domain/reason.js';
import type { CustomerStatusKind, LinkMethod } from '../../domain/status-types.js';
import type { FieldValue, HelpdeskRole, Source } from '../../domain/ticket.js';
import { isoDate, json, timestamptz } from './columns.js';

// ── state ────────────────────────────────────────────────────────────────────

export const connections = pgTable('connections', {
  id: text('id').primaryKey(),
  kind: text('kind').$type<Source>().notNull(),
  settings: json<Record<string, unknown>>('settings').notNull(),
  secret: text('secret').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
  lastSyncAt: timestamptz('last_sync_at'),
});

export const syncState = pgTable(
  'sync_state',
  {
    connectionId: text('connection_id').notNull(),
    stream: text('stream').notNull(),
    cursor: text('cursor').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.stream] })],
);

export const tickets = pgTable(
  'tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    connectionId: text('connection_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    status: text('status').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    tags: json<string[]>('tags').notNull(),
    fields: json<Record<string, FieldValue>>('fields').notNull(),
    requesterId: text('requester_id'),
    requesterExternalId: text('requester_external_id'),
    requesterEmail: text('requester_email'),
    requesterDomain: text('requester_domain'),
    requesterOrgIds: json<string[]>('requester_org_ids').notNull(),
    outbound: boolean('outbound').notNull(),
    deleted: boolean('deleted').notNull(),
    merged: boolean('merged').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.ticketId] }),
    index('tickets_requester_external_id_idx').on(t.requesterExternalId),
    index('tickets_requester_email_idx').on(t.requesterEmail),
    index('tickets_requester_domain_idx').on(t.requesterDomain),
    index('tickets_created_at_idx').on(t.createdAt),
  ],
);

/**
 * Work queues over `tickets`, a row per ticket waiting: linking and classification
 * (`pending_tickets`), the warehouse export (`unexported_tickets`). Kept apart from the ticket
 * so that marking and clearing one never rewrites the ticket's row (body, tags and all) nor
 * touches its indexes: a ticket is written once per change on the helpdesk.
 */
export const pendingTickets = pgTable(
  'pending_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const unexportedTickets = pgTable(
  'unexported_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const helpdeskUsers = pgTable(
  'helpdesk_users',
  {
    connectionId: text('connection_id').notNull(),
    userId: text('user_id').notNull(),
    externalId: text('external_id'),
    email: text('email'),
    role: text('role').$type<HelpdeskRole>(),
    organizationIds: json<string[]>('organization_ids').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.userId] })],
);

export const helpdeskOrganizations = pgTable(
  'helpdesk_organizations',
  {
    connectionId: text('connection_id').notNull(),
    organizationId: text('organization_id').notNull(),
    externalId: text('external_id'),
    name: text('name'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.organizationId] })],
);

export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
});

export const customerIdentities = pgTable(
  'customer_identities',
  {
    customerId: text('customer_id').notNull(),
    kind: text('kind').$type<'email' | 'domain'>().notNull(),
    value: text('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.kind, t.value] }),
    index('customer_identities_kind_value_idx').on(t.kind, t.value),
  ],
);

export const milestones = pgTable(
  'milestones',
  {
    customerId: text('customer_id').notNull(),
    milestone: text('milestone').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.milestone, t.occurredAt] })],
);

export const dirtyCustomers = pgTable('dirty_customers', {
  customerId: text('customer_id').primaryKey(),
});

export const ticketLinks = pgTable(
  'ticket_links',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    customerId: text('customer_id'),
    linkMethod: text('link_method').$type<LinkMethod>().notNull(),
    milestonePhase: text('milestone_phase'),
    inWindow: boolean('in_window').notNull(),
    countsTowardMetric: boolean('counts_toward_metric').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.ticketId] }),
    index('ticket_links_customer_id_idx').on(t.customerId),
  ],
);

export const ticketReasons = pgTable(
  'ticket_reasons',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    reasonId: text('reason_id').notNull(),
    confidence: doublePrecision('confidence').notNull(),
    classifiedBy: text('classified_by').$type<ClassifiedBy>().notNull(),
    detail: text('detail').notNull(),
    classifiedAt: timestamptz('classified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const manualReasons = pgTable(
  'manual_reasons',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    reasonId: text('reason_id').notNull(),
    author: text('author').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const customerStatus = pgTable(
  'customer_status',
  {
    customerId: text('customer_id').primaryKey(),
    windowStart: timestamptz('window_start'),
    completedAt: timestamptz('completed_at'),
    windowEnd: timestamptz('window_end'),
    status: text('status').$type<CustomerStatusKind>().notNull(),
    countingTickets: integer('counting_tickets').notNull(),
    firstTicketId: text('first_ticket_id'),
    firstTicketReason: text('first_ticket_reason'),
    computedAt: timestamptz('computed_at').notNull(),
    exported: boolean('exported').notNull(),
  },
  (t) => [
    index('customer_status_status_idx').on(t.status),
    index('customer_status_exported_idx').on(t.exported, t.customerId),
    // The metric periods are refreshed a period at a time: a range over window_end.
    index('customer_status_window_end_idx').on(t.windowEnd),
  ],
);

export const metricPeriods = pgTable(
  'metric_periods',
  {
    periodKind: text('period_kind').$type<'week' | 'month'>().notNull(),
    periodStart: isoDate('period_start').notNull(),
    closedWindows: integer('closed_windows').notNull(),
    zeroTickets: integer('zero_tickets').notNull(),
    hadTickets: integer('had_tickets').notNull(),
    zeroTicketPct: doublePrecision('zero_ticket_pct'),
  },
  (t) => [primaryKey({ columns: [t.periodKind, t.periodStart] })],
);

/**
 * Payloads are kept as JSON text, not jsonb: whatever failed validation is what an operator
 * needs to see, and jsonb would reject some of it (a `\u0000` in a string) and stop the sync.
 * The fingerprint makes re-committing a page (or re-reading the same broken payload) store it
 * once.
 */
export const quarantine = pgTable(
  'quarantine',
  {
    id: serial('id').primaryKey(),
    connectionId: text('connection_id').notNull(),
    source: text('source').$type<Source>().notNull(),
    kind: text('kind').notNull(),
    externalId: text('external_id'),
    payload: text('payload').notNull(),
    error: text('error').notNull(),
    fingerprint: text('fingerprint').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [uniqueIndex('quarantine_fingerprint_idx').on(t.fingerprint)],
);

export const state = pgTable('state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const digestPosts = pgTable(
  'digest_posts',
  {
    channel: text('channel').notNull(),
    day: text('day').notNull(),
    claimedAt: timestamptz('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.day] })],
);

// ── warehouse (the Contract's `zt_*` tables; `exported_at` is when a row last changed) ───────

export const ztCustomerStatus = pgTable('zt_customer_status', {
  customerId: text('customer_id').primaryKey(),
  name: text('name').notNull(),
  windowStart: timestamptz('window_start'),
  completedAt: timestamptz('completed_at'),
  windowEnd: timestamptz('window_end'),
  status: text('status').$type<CustomerStatusKind>().notNull(),
  countingTickets: integer('counting_tickets').notNull(),
  firstTicketId: text('first_ticket_id'),
  firstTicketReason: text('first_ticket_reason'),
  computedAt: timestamptz('computed_at').notNull(),
  exportedAt: timestamptz('exported_at').notNull(),
});

export const ztTickets = pgTable(
  'zt_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    customerId: text('customer_id'),
    linkMethod: text('link_method').$type<LinkMethod>().notNull(),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    status: text('status').notNull(),
    reasonId: text('reason_id').notNull(),
    reasonConfidence: doublePrecision('reason_confidence').notNull(),
    classifiedBy: text('classified_by').$type<ClassifiedBy>().notNull(),
    /** Why it got its reason (`rule:keyword:refund`, `tag:billing`, `manual:ana`, `model:0.91`). */
    reasonDetail: text('reason_detail').notNull().default(''),
    milestonePhase: text('milestone_phase'),
    inWindow: boolean('in_window').notNull(),
    countsTowardMetric: boolean('counts_toward_metric').notNull(),
    exportedAt: timestamptz('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const ztMetricPeriods = pgTable(
  'zt_metric_periods',
  {
    periodKind: text('period_kind').$type<'week' | 'month'>().notNull(),
    periodStart: isoDate('period_start').notNull(),
    closedWindows: integer('closed_windows').notNull(),
    zeroTickets: integer('zero_tickets').notNull(),
    hadTickets: integer('had_tickets').notNull(),
    zeroTicketPct: doublePrecision('zero_ticket_pct'),
    exportedAt: timestamptz('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodKind, t.periodStart] })],
);

export const ztReasonDaily = pgTable(
  'zt_reason_daily',
  {
    day: isoDate('day').notNull(),
    reasonId: text('reason_id').notNull(),
    tickets: integer('tickets').notNull(),
    exportedAt: timestamptz('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.reasonId] })],
);
