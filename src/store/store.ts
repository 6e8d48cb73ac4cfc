import type { Customer, Milestone } from '../domain/customer.js';
import type { Classification } from '../domain/reason.js';
import type { CustomerStatus, CustomerStatusKind, LinkMethod } from '../domain/status-types.js';
import type {
  HelpdeskOrganization,
  HelpdeskUser,
  QuarantinedPayload,
  Source,
  Ticket,
} from '../domain/ticket.js';

/**
 * The state store: everything the pipeline remembers between runs.
 *
 * Two adapters implement it (`sqlite/`, `postgres/`) and both pass the one contract suite in
 * `test/store/`. Times cross this port as epoch milliseconds (UTC); the adapters store them as
 * ISO-8601 text (SQLite) or `timestamptz` (Postgres).
 *
 * The pipeline is driven by durable "work" marks kept here, so a crash between two steps
 * loses nothing: a synced ticket is marked *pending* until it is linked and classified; a
 * customer whose inputs changed is marked *dirty* until its status is recomputed; a changed
 * ticket or status row is marked *unexported* until the warehouse has it.
 *
 * Deliberately excluded: any domain rule (linking, classification, window math). The store
 * answers questions and records results; `src/domain` decides.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;

  // ── connections ────────────────────────────────────────────────────────────
  /** Inserts or updates a connection (by id). `secret` is already encrypted. */
  saveConnection(connection: NewConnection, now: number): Promise<void>;
  getConnection(id: string): Promise<ConnectionRecord | null>;
  listConnections(): Promise<ConnectionRecord[]>;
  markSynced(connectionId: string, at: number): Promise<void>;

  // ── sync ───────────────────────────────────────────────────────────────────
  getCursor(connectionId: string, stream: string): Promise<string | null>;
  /**
   * One transaction: upsert the page's tickets (by source + ticket id; each marked pending and
   * unexported), users and organizations (by connection + id), store the quarantined payloads,
   * and move the stream's cursor. Re-committing the same page is harmless.
   */
  commitSyncPage(page: SyncPage): Promise<{ tickets: number; quarantined: number }>;
  getHelpdeskUsers(connectionId: string, userIds: string[]): Promise<HelpdeskUser[]>;
  getHelpdeskOrganizations(connectionId: string, organizationIds: string[]): Promise<HelpdeskOrganization[]>;
  countQuarantined(): Promise<number>;

  // ── customers and milestones ───────────────────────────────────────────────
  /**
   * Upserts customers by id, replacing their emails and domains. Changed and new customers are
   * marked dirty, and the tickets whose link could change are marked pending: unlinked tickets,
   * tickets linked to a changed customer, and tickets whose requester external id, e-mail,
   * e-mail domain or organization external id is one of the changed customers' identities.
   */
  upsertCustomers(customers: Customer[]): Promise<UpsertCounts>;
  /** Inserts milestones (a row is customer + milestone + occurredAt); marks their customers dirty. */
  upsertMilestones(milestones: Milestone[]): Promise<UpsertCounts>;
  countCustomers(): Promise<number>;

  // ── link and classify ──────────────────────────────────────────────────────
  /** Pending tickets in key order, at most `limit`, after `after` (exclusive) when given. */
  listPendingTickets(limit: number, after?: TicketKey): Promise<PendingTicket[]>;
  /** Customers matching any of the given identities, as lookup maps (keys lower-cased). */
  findCustomerIdentities(lookup: IdentityLookup): Promise<CustomerIdentityIndex>;
  /**
   * Records link and classification, clears the pending mark, marks the ticket unexported and
   * marks dirty both the customer it was linked to before and the one it is linked to now.
   */
  saveTicketResults(results: TicketResult[]): Promise<void>;
  /** Marks every ticket pending (e.g. the reason taxonomy changed). Returns how many. */
  markAllTicketsPending(): Promise<number>;
  /** A manual reason survives every sync and reclassification. Null removes it. */
  setManualReason(key: TicketKey, reasonId: string | null, author: string, at: number): Promise<boolean>;

  // ── recompute ──────────────────────────────────────────────────────────────
  /**
   * Marks dirty the customers whose status can change with time alone: `in_buffer` whose
   * window ended at or before `now`, and `in_progress` whose window started before
   * `stalledBefore`. Returns how many.
   */
  markTimeDueCustomersDirty(now: number, stalledBefore: number): Promise<number>;
  listDirtyCustomers(limit: number): Promise<string[]>;
  /** For each known customer id: the customer, its milestones (ascending) and linked tickets. */
  loadCustomerFacts(customerIds: string[]): Promise<CustomerFacts[]>;
  /**
   * Stores statuses and ticket verdicts (those that changed are marked unexported) and clears
   * the dirty mark of every id in `customerIds` (including ids that are not known customers).
   */
  saveCustomerResults(customerIds: string[], results: CustomerResult[], computedAt: number): Promise<void>;

  // ── reading the metric ─────────────────────────────────────────────────────
  /** Every customer status, slim (for periods, cohorts, trailing metric). */
  listStatuses(): Promise<StatusSlim[]>;
  /** Counting tickets per reason created in [from, to). */
  countReasons(from: number, to: number): Promise<Array<{ reasonId: string; tickets: number }>>;
  /** Counting tickets per UTC day and reason, all history. */
  reasonDaily(): Promise<ReasonDailyRow[]>;
  /** Tickets with no customer, and tickets with reason `unclassified` (deleted ones excluded). */
  dataQuality(): Promise<{ unlinkedTickets: number; unclassifiedTickets: number; quarantined: number }>;
  saveMetricPeriods(rows: MetricPeriodRow[]): Promise<void>;
  listMetricPeriods(): Promise<MetricPeriodRow[]>;

  // ── export to the warehouse ────────────────────────────────────────────────
  listUnexportedTickets(limit: number): Promise<WarehouseTicketRow[]>;
  markTicketsExported(keys: TicketKey[]): Promise<void>;
  listUnexportedStatuses(limit: number): Promise<WarehouseStatusRow[]>;
  markStatusesExported(customerIds: string[]): Promise<void>;

  // ── small state ────────────────────────────────────────────────────────────
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
  /** Records that `channel`'s digest for `day` is being posted; false when already recorded. */
  claimDigest(channel: string, day: string, at: number): Promise<boolean>;
  /** Forgets a claim whose post failed, so a retry may post. */
  releaseDigest(channel: string, day: string): Promise<void>;
}

/**
 * The warehouse: the `zt_*` tables of the Contract. Every write is an idempotent upsert by key;
 * periods and reason days are replaced whole (they are small and derived).
 */
export interface Warehouse {
  upsertTickets(rows: WarehouseTicketRow[], exportedAt: number): Promise<void>;
  upsertCustomerStatus(rows: WarehouseStatusRow[], exportedAt: number): Promise<void>;
  replaceMetricPeriods(rows: MetricPeriodRow[], exportedAt: number): Promise<void>;
  replaceReasonDaily(rows: ReasonDailyRow[], exportedAt: number): Promise<void>;
  close(): Promise<void>;
}

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
  milestonePhase: string | null;
  inWindow: boolean;
  countsTowardMetric: boolean;
}

export interface WarehouseStatusRow extends CustomerStatus {
  name: string;
  computedAt: number;
}

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
