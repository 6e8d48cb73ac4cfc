import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ClassifiedBy } from '../../domain/reason.js';
import type { CustomerStatusKind, LinkMethod } from '../../domain/status-types.js';
import type { FieldValue, HelpdeskRole, Source } from '../../domain/ticket.js';
import { bool, isoTime, json } from './columns.js';

// ── state ────────────────────────────────────────────────────────────────────

export const connections = sqliteTable('connections', {
  id: text('id').primaryKey(),
  kind: text('kind').$type<Source>().notNull(),
  settings: json<Record<string, unknown>>('settings').notNull(),
  secret: text('secret').notNull(),
  createdAt: isoTime('created_at').notNull(),
  updatedAt: isoTime('updated_at').notNull(),
  lastSyncAt: isoTime('last_sync_at'),
});

export const syncState = sqliteTable(
  'sync_state',
  {
    connectionId: text('connection_id').notNull(),
    stream: text('stream').notNull(),
    cursor: text('cursor').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.stream] })],
);

export const tickets = sqliteTable(
  'tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    connectionId: text('connection_id').notNull(),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
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
    outbound: bool('outbound').notNull(),
    deleted: bool('deleted').notNull(),
    merged: bool('merged').notNull(),
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
export const pendingTickets = sqliteTable(
  'pending_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const unexportedTickets = sqliteTable(
  'unexported_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const helpdeskUsers = sqliteTable(
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

export const helpdeskOrganizations = sqliteTable(
  'helpdesk_organizations',
  {
    connectionId: text('connection_id').notNull(),
    organizationId: text('organization_id').notNull(),
    externalId: text('external_id'),
    name: text('name'),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.organizationId] })],
);

export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
});

export const customerIdentities = sqliteTable(
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

export const milestones = sqliteTable(
  'milestones',
  {
    customerId: text('customer_id').notNull(),
    milestone: text('milestone').notNull(),
    occurredAt: isoTime('occurred_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.milestone, t.occurredAt] })],
);

export const dirtyCustomers = sqliteTable('dirty_customers', {
  customerId: text('customer_id').primaryKey(),
});

export const ticketLinks = sqliteTable(
  'ticket_links',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    customerId: text('customer_id'),
    linkMethod: text('link_method').$type<LinkMethod>().notNull(),
    milestonePhase: text('milestone_phase'),
    inWindow: bool('in_window').notNull(),
    countsTowardMetric: bool('counts_toward_metric').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.ticketId] }),
    index('ticket_links_customer_id_idx').on(t.customerId),
  ],
);

export const ticketReasons = sqliteTable(
  'ticket_reasons',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    reasonId: text('reason_id').notNull(),
    confidence: real('confidence').notNull(),
    classifiedBy: text('classified_by').$type<ClassifiedBy>().notNull(),
    detail: text('detail').notNull(),
    classifiedAt: isoTime('classified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const manualReasons = sqliteTable(
  'manual_reasons',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    reasonId: text('reason_id').notNull(),
    author: text('author').notNull(),
    createdAt: isoTime('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const customerStatus = sqliteTable(
  'customer_status',
  {
    customerId: text('customer_id').primaryKey(),
    windowStart: isoTime('window_start'),
    completedAt: isoTime('completed_at'),
    windowEnd: isoTime('window_end'),
    status: text('status').$type<CustomerStatusKind>().notNull(),
    countingTickets: integer('counting_tickets').notNull(),
    firstTicketId: text('first_ticket_id'),
    firstTicketReason: text('first_ticket_reason'),
    computedAt: isoTime('computed_at').notNull(),
    exported: bool('exported').notNull(),
  },
  (t) => [
    index('customer_status_status_idx').on(t.status),
    index('customer_status_exported_idx').on(t.exported, t.customerId),
    // The metric periods are refreshed a period at a time: a range over window_end.
    index('customer_status_window_end_idx').on(t.windowEnd),
  ],
);

export const metricPeriods = sqliteTable(
  'metric_periods',
  {
    periodKind: text('period_kind').$type<'week' | 'month'>().notNull(),
    periodStart: text('period_start').notNull(),
    closedWindows: integer('closed_windows').notNull(),
    zeroTickets: integer('zero_tickets').notNull(),
    hadTickets: integer('had_tickets').notNull(),
    zeroTicketPct: real('zero_ticket_pct'),
  },
  (t) => [primaryKey({ columns: [t.periodKind, t.periodStart] })],
);

/**
 * Payloads are kept as JSON text, byte for byte: whatever failed validation is what an operator
 * needs to see. The fingerprint makes re-committing a page (or re-reading the same broken
 * payload) store it once.
 */
export const quarantine = sqliteTable(
  'quarantine',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    connectionId: text('connection_id').notNull(),
    source: text('source').$type<Source>().notNull(),
    kind: text('kind').notNull(),
    externalId: text('external_id'),
    payload: text('payload').notNull(),
    error: text('error').notNull(),
    fingerprint: text('fingerprint').notNull(),
    createdAt: isoTime('created_at').notNull(),
  },
  (t) => [uniqueIndex('quarantine_fingerprint_idx').on(t.fingerprint)],
);

export const state = sqliteTable('state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const digestPosts = sqliteTable(
  'digest_posts',
  {
    channel: text('channel').notNull(),
    day: text('day').notNull(),
    claimedAt: isoTime('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.day] })],
);

// ── warehouse (the Contract's `zt_*` tables; `exported_at` is when a row last changed) ───────

export const ztCustomerStatus = sqliteTable('zt_customer_status', {
  customerId: text('customer_id').primaryKey(),
  name: text('name').notNull(),
  windowStart: isoTime('window_start'),
  completedAt: isoTime('completed_at'),
  windowEnd: isoTime('window_end'),
  status: text('status').$type<CustomerStatusKind>().notNull(),
  countingTickets: integer('counting_tickets').notNull(),
  firstTicketId: text('first_ticket_id'),
  firstTicketReason: text('first_ticket_reason'),
  computedAt: isoTime('computed_at').notNull(),
  exportedAt: isoTime('exported_at').notNull(),
});

export const ztTickets = sqliteTable(
  'zt_tickets',
  {
    source: text('source').$type<Source>().notNull(),
    ticketId: text('ticket_id').notNull(),
    customerId: text('customer_id'),
    linkMethod: text('link_method').$type<LinkMethod>().notNull(),
    createdAt: isoTime('created_at').notNull(),
    updatedAt: isoTime('updated_at').notNull(),
    status: text('status').notNull(),
    reasonId: text('reason_id').notNull(),
    reasonConfidence: real('reason_confidence').notNull(),
    classifiedBy: text('classified_by').$type<ClassifiedBy>().notNull(),
    /** Why it got its reason (`rule:keyword:refund`, `tag:billing`, `manual:ana`, `model:0.91`). */
    reasonDetail: text('reason_detail').notNull().default(''),
    milestonePhase: text('milestone_phase'),
    inWindow: bool('in_window').notNull(),
    countsTowardMetric: bool('counts_toward_metric').notNull(),
    exportedAt: isoTime('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ticketId] })],
);

export const ztMetricPeriods = sqliteTable(
  'zt_metric_periods',
  {
    periodKind: text('period_kind').$type<'week' | 'month'>().notNull(),
    periodStart: text('period_start').notNull(),
    closedWindows: integer('closed_windows').notNull(),
    zeroTickets: integer('zero_tickets').notNull(),
    hadTickets: integer('had_tickets').notNull(),
    zeroTicketPct: real('zero_ticket_pct'),
    exportedAt: isoTime('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodKind, t.periodStart] })],
);

export const ztReasonDaily = sqliteTable(
  'zt_reason_daily',
  {
    day: text('day').notNull(),
    reasonId: text('reason_id').notNull(),
    tickets: integer('tickets').notNull(),
    exportedAt: isoTime('exported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.reasonId] })],
);
