import type { Customer, Milestone } from '../domain/customer.js';
import type { ClassifiedBy } from '../domain/reason.js';
import type { HelpdeskOrganization, HelpdeskUser } from '../domain/ticket.js';
import type {
  ClassifiedTicketFilter,
  ClassifiedTicketRow,
  ConnectionRecord,
  CustomerFacts,
  CustomerIdentityIndex,
  CustomerResult,
  IdentityLookup,
  LabelledTicket,
  ManualReasonRecord,
  MetricPeriodRow,
  NewConnection,
  PendingTicket,
  PeriodKey,
  ReasonCustomersRow,
  ReasonDailyRow,
  ReasonPhaseRow,
  ReasonTicketRow,
  RecentTicketFilter,
  RecentTicketRow,
  StatusSlim,
  SyncPage,
  TicketKey,
  TicketResult,
  UpsertCounts,
  WarehouseStatusRow,
  WarehouseTicketRow,
} from './records.js';

// The records live beside the port; importers keep reading them from here.
export type * from './records.js';

/** The tables the pipeline reads per batch, whose planner statistics a bulk change can outdate. */
export type PipelineTable =
  | 'tickets'
  | 'pending_tickets'
  | 'unexported_tickets'
  | 'ticket_links'
  | 'ticket_reasons'
  | 'helpdesk_users'
  | 'helpdesk_organizations'
  | 'customers'
  | 'customer_identities'
  | 'milestones'
  | 'dirty_customers'
  | 'customer_status';
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
  /** The earliest `occurredAt` of any milestone (epoch ms), null when there is none: where a first sync starts. */
  earliestMilestoneAt(): Promise<number | null>;

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

  // ── the reason loop (corrections, taxonomy versions, the learned model) ────
  /** Every manual correction, in ticket key order. */
  listManualReasons(): Promise<ManualReasonRecord[]>;
  /** Points the manual corrections naming reason `from` at `to` (a rename); returns how many. */
  renameManualReasons(from: string, to: string): Promise<number>;
  /**
   * The model's training data: tickets whose current reason came from a manual correction, a
   * tag or a field, newest first, at most `limit`.
   */
  listLabelledTickets(limit: number): Promise<LabelledTicket[]>;
  /** How many tickets `listLabelledTickets` would return, per reason. */
  countLabels(): Promise<Record<string, number>>;
  /** Marks pending the tickets whose reason came from one of `by`; returns how many. */
  markTicketsPendingClassifiedBy(by: ClassifiedBy[]): Promise<number>;
  /**
   * Tickets that are neither deleted, merged nor outbound, with their reason and why they got
   * it, newest first: every reason, or one (`unclassified` included), created in [from, to).
   */
  listClassifiedTickets(filter: ClassifiedTicketFilter): Promise<ClassifiedTicketRow[]>;
  /** Tickets (not deleted, merged or outbound) per reason created in [from, to). */
  countTicketsByReason(from: number, to: number): Promise<Array<{ reasonId: string; tickets: number }>>;
  /** Customers now `had_tickets` whose first counting ticket had the reason, per reason. */
  countLostZeroByReason(): Promise<Array<{ reasonId: string; customers: number }>>;

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
  /** Counting tickets per UTC day and reason: all history, or only the given UTC days (`YYYY-MM-DD`). */
  reasonDaily(days?: readonly string[]): Promise<ReasonDailyRow[]>;
  /** Tickets with no customer, and tickets with reason `unclassified` (deleted ones excluded). */
  dataQuality(): Promise<{ unlinkedTickets: number; unclassifiedTickets: number; quarantined: number }>;
  /**
   * Replaces the metric periods with `rows`; with `only`, replaces just those periods (their
   * old rows go, the `rows` among them come in) and leaves every other period as it is.
   */
  saveMetricPeriods(rows: MetricPeriodRow[], only?: PeriodKey[]): Promise<void>;
  /** The slim statuses of these customers (unknown ids and customers without one are absent). */
  listStatusesOf(customerIds: string[]): Promise<StatusSlim[]>;
  /** The slim statuses whose window ends in [from, to) (an indexed range: one period's worth). */
  listStatusesEndingBetween(from: number, to: number): Promise<StatusSlim[]>;
  listMetricPeriods(): Promise<MetricPeriodRow[]>;
  /** Counting tickets per reason and milestone phase, all history (the dashboard's reasons table). */
  reasonPhases(): Promise<ReasonPhaseRow[]>;
  /** Distinct customers with at least one counting ticket, per reason, all history. */
  reasonCustomers(): Promise<ReasonCustomersRow[]>;
  /**
   * The latest counting tickets, newest first, at most `limit`, of every reason or of one
   * (`unclassified` included), with their reason, why they got it, customer and connection.
   */
  listRecentTickets(filter: RecentTicketFilter): Promise<RecentTicketRow[]>;

  // ── export to the warehouse ────────────────────────────────────────────────
  listUnexportedTickets(limit: number): Promise<WarehouseTicketRow[]>;
  markTicketsExported(keys: TicketKey[]): Promise<void>;
  listUnexportedStatuses(limit: number): Promise<WarehouseStatusRow[]>;
  markStatusesExported(customerIds: string[]): Promise<void>;
  /** Marks every ticket and/or status unexported (the warehouse is new or was emptied). */
  markAllUnexported(tables: { tickets: boolean; statuses: boolean }): Promise<void>;

  // ── owner notes ────────────────────────────────────────────────────────────
  /**
   * Tickets created in [from, to) with a reason other than `unclassified`, that are neither
   * deleted, merged nor outbound, oldest first, with what a note about them needs.
   */
  listReasonTickets(from: number, to: number): Promise<ReasonTicketRow[]>;

  // ── upkeep ─────────────────────────────────────────────────────────────────
  /**
   * Brings the query planner's statistics of `tables` up to date after a bulk change to them
   * (a backfill, a big import). Postgres plans the per-batch reads by them: on a freshly filled
   * table it took a lookup of a thousand customers' tickets for a scan of every ticket. Only
   * the tables a step filled: one analyzed while still empty is then planned as empty while
   * the next step fills it.
   */
  refreshStatistics(tables: readonly PipelineTable[]): Promise<void>;

  // ── small state ────────────────────────────────────────────────────────────
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
  /** Records that `channel`'s digest for `day` is being posted; false when already recorded. */
  claimDigest(channel: string, day: string, at: number): Promise<boolean>;
  /** Forgets a claim whose post failed, so a retry may post. */
  releaseDigest(channel: string, day: string): Promise<void>;
}

/**
 * The warehouse: the `zt_*` tables of the Contract. Every write is an idempotent upsert by key
 * that leaves an unchanged row (and its `exported_at`) alone; periods and reason days are
 * replaced whole (they are small and derived). Each write returns how many rows it inserted,
 * updated or deleted, so "nothing changed" is observable as 0.
 */
export interface Warehouse {
  upsertTickets(rows: WarehouseTicketRow[], exportedAt: number): Promise<number>;
  upsertCustomerStatus(rows: WarehouseStatusRow[], exportedAt: number): Promise<number>;
  replaceMetricPeriods(rows: MetricPeriodRow[], exportedAt: number): Promise<number>;
  /**
   * Makes `zt_reason_daily` hold exactly `rows`: of every day, or (with `days`) of those days
   * only, the other days' rows left as they are.
   */
  replaceReasonDaily(rows: ReasonDailyRow[], exportedAt: number, days?: readonly string[]): Promise<number>;
  /** Whether `zt_tickets` / `zt_customer_status` hold no row (a new or emptied warehouse). */
  emptyTables(): Promise<{ tickets: boolean; statuses: boolean }>;
  close(): Promise<void>;
}
