import type { Customer, Milestone } from '../domain/customer.js';
import type { Classification, ClassifiedBy } from '../domain/reason.js';
import type { CustomerStatus, CustomerStatusKind, LinkMethod } from '../domain/status-types.js';
import type {
  HelpdeskOrganization,
  HelpdeskUser,
  QuarantinedPayload,
  Source,
  Ticket,
} from '../domain/ticket.js';

/** The records that cross the `Store` and `Warehouse` ports (see store.ts). Times are epoch ms, UTC. */

export interface TicketKey {
  source: Source;
  ticketId: string;
}

export interface NewConnection {
  id: string;
  kind: Source;
  /** Non-secret settings (subdomain, base URL, e-mail, region, since …). */
  settings: Record<string, unknown>;
  /** Encrypted credentials (see `src/secrets.ts`). */
  secret: string;
}

export interface ConnectionRecord extends NewConnection {
  createdAt: number;
  updatedAt: number;
  lastSyncAt: number | null;
}

export interface SyncPage {
  connectionId: string;
  stream: string;
  /** The cursor that resumes *after* this page. */
  cursor: string;
  tickets: Ticket[];
  users: HelpdeskUser[];
  organizations: HelpdeskOrganization[];
  quarantined: QuarantinedPayload[];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface PendingTicket {
  ticket: Ticket;
  /** The customer it is linked to now (before relinking), if any. */
  currentCustomerId: string | null;
  manualReasonId: string | null;
  /** Who recorded the manual reason (null without one). */
  manualAuthor?: string | null;
  /** The reason it has now, before reclassifying (null when never classified). */
  currentReasonId?: string | null;
}

export interface IdentityLookup {
  externalIds: string[];
  emails: string[];
  domains: string[];
}

/** Lower-cased identity → customer id. When two customers claim one, the smaller id wins. */
export interface CustomerIdentityIndex {
  byId: ReadonlySet<string>;
  byEmail: ReadonlyMap<string, string>;
  byDomain: ReadonlyMap<string, string>;
}

export interface TicketResult extends TicketKey {
  customerId: string | null;
  linkMethod: LinkMethod;
  classification: Classification;
}

export interface LinkedTicketFacts extends TicketKey {
  createdAt: number;
  deleted: boolean;
  merged: boolean;
  outbound: boolean;
  reasonId: string;
}

export interface CustomerFacts {
  customer: Customer;
  milestones: Milestone[];
  tickets: LinkedTicketFacts[];
}

export interface TicketVerdict extends TicketKey {
  inWindow: boolean;
  countsTowardMetric: boolean;
  milestonePhase: string | null;
}

export interface CustomerResult {
  status: CustomerStatus;
  tickets: TicketVerdict[];
}

export interface StatusSlim {
  customerId: string;
  windowStart: number | null;
  windowEnd: number | null;
  status: CustomerStatusKind;
}

export interface WarehouseTicketRow extends TicketKey {
  customerId: string | null;
  linkMethod: LinkMethod;
  createdAt: number;
  updatedAt: number;
  status: string;
  reasonId: string;
  reasonConfidence: number;
  classifiedBy: Classification['classifiedBy'];
  /** Why it got its reason: `Classification.detail` (an addition to the Contract's columns). */
  reasonDetail: string;
  milestonePhase: string | null;
  inWindow: boolean;
  countsTowardMetric: boolean;
}

export interface WarehouseStatusRow extends CustomerStatus {
  name: string;
  computedAt: number;
}

/** Names one metric period row. */
export type PeriodKey = Pick<MetricPeriodRow, 'periodKind' | 'periodStart'>;

export interface MetricPeriodRow {
  periodKind: 'week' | 'month';
  /** ISO date (UTC); weeks start on Monday. */
  periodStart: string;
  closedWindows: number;
  zeroTickets: number;
  hadTickets: number;
  /** 0–100; null when no window closed (never stored as a row then). */
  zeroTicketPct: number | null;
}

export interface ReasonDailyRow {
  /** ISO date (UTC). */
  day: string;
  reasonId: string;
  tickets: number;
}

export interface ReasonPhaseRow {
  reasonId: string;
  /** Null when the ticket came before the customer's first milestone. */
  milestonePhase: string | null;
  tickets: number;
}

export interface ReasonCustomersRow {
  reasonId: string;
  customers: number;
}

/** A ticket as an owner note shows it (see `Store.listReasonTickets`). */
export interface ReasonTicketRow extends TicketKey {
  connectionId: string;
  reasonId: string;
  /** The subject; for chats without one (most Intercom conversations), the start of the text. */
  subject: string;
  createdAt: number;
  customerId: string | null;
  /** Null when the ticket is unlinked or the customer is unknown. */
  customerName: string | null;
  countsTowardMetric: boolean;
}

export interface ManualReasonRecord extends TicketKey {
  reasonId: string;
  author: string;
  createdAt: number;
}

export interface LabelledTicket extends TicketKey {
  text: string;
  reasonId: string;
  classifiedBy: ClassifiedBy;
}

export interface ClassifiedTicketFilter {
  /** One reason (`unclassified` included); all when absent. */
  reasonId?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** A ticket with its reason and why (`detail`: `rule:keyword:refund`, `manual:ana`, `model:0.91` …). */
export interface ClassifiedTicketRow extends TicketKey {
  subject: string;
  text: string;
  createdAt: number;
  customerId: string | null;
  milestonePhase: string | null;
  countsTowardMetric: boolean;
  reasonId: string;
  confidence: number;
  classifiedBy: ClassifiedBy;
  detail: string;
}

export interface RecentTicketFilter {
  /** One reason (`unclassified` included); every reason when absent. */
  reasonId?: string;
  limit: number;
}

/** A counting ticket as the dashboard lists it (see `Store.listRecentTickets`). */
export interface RecentTicketRow extends TicketKey {
  connectionId: string;
  /** The subject; for chats without one, the start of the text. */
  subject: string;
  createdAt: number;
  customerId: string | null;
  /** Null when the customer is unknown. */
  customerName: string | null;
  reasonId: string;
  confidence: number;
  classifiedBy: ClassifiedBy;
  /** Why it got its reason: `Classification.detail` (`''` when never classified). */
  detail: string;
}
