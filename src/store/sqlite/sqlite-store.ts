import type { Customer, Milestone } from '../../domain/customer.js';
import type { ClassifiedBy } from '../../domain/reason.js';
import type { HelpdeskOrganization, HelpdeskUser } from '../../domain/ticket.js';
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
  PipelineTable,
  ReasonCustomersRow,
  ReasonDailyRow,
  ReasonPhaseRow,
  ReasonTicketRow,
  RecentTicketFilter,
  RecentTicketRow,
  StatusSlim,
  Store,
  SyncPage,
  TicketKey,
  TicketResult,
  UpsertCounts,
  WarehouseStatusRow,
  WarehouseTicketRow,
} from '../store.js';
import {
  openSqliteConnection,
  type SqliteConnection,
  type SqliteDb,
  type SqliteOptions,
} from './connection.js';
import * as customerResults from './customer-results.js';
import * as customers from './customers.js';
import * as dashboardQueries from './dashboard-queries.js';
import * as outputQueries from './output-queries.js';
import * as reasonQueries from './reason-queries.js';
import * as recentTickets from './recent-tickets.js';
import * as reports from './reports.js';
import * as smallState from './small-state.js';
import * as syncPages from './sync-pages.js';
import * as ticketResults from './ticket-results.js';

/**
 * The embedded store: one SQLite file, one connection. better-sqlite3 is synchronous, so every
 * method runs to completion before another starts and its transactions never interleave; the
 * methods are async only to share the port with Postgres.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  /** The resolved file (or `:memory:`), so a warehouse on the same file can share the connection. */
  readonly file: string;
  readonly db: SqliteDb;
  private readonly connection: SqliteConnection;

  constructor(connection: SqliteConnection) {
    this.connection = connection;
    this.file = connection.file;
    this.db = connection.db;
  }

  async close(): Promise<void> {
    if (this.connection.client.open) this.connection.client.close();
  }

  async saveConnection(connection: NewConnection, now: number): Promise<void> {
    syncPages.saveConnection(this.db, connection, now);
  }
  async getConnection(id: string): Promise<ConnectionRecord | null> {
    return syncPages.getConnection(this.db, id);
  }
  async listConnections(): Promise<ConnectionRecord[]> {
    return syncPages.listConnections(this.db);
  }
  async markSynced(connectionId: string, at: number): Promise<void> {
    syncPages.markSynced(this.db, connectionId, at);
  }
  async getCursor(connectionId: string, stream: string): Promise<string | null> {
    return syncPages.getCursor(this.db, connectionId, stream);
  }
  async commitSyncPage(page: SyncPage): Promise<{ tickets: number; quarantined: number }> {
    return syncPages.commitSyncPage(this.db, page, Date.now());
  }
  async getHelpdeskUsers(connectionId: string, userIds: string[]): Promise<HelpdeskUser[]> {
    return syncPages.getHelpdeskUsers(this.db, connectionId, userIds);
  }
  async getHelpdeskOrganizations(
    connectionId: string,
    organizationIds: string[],
  ): Promise<HelpdeskOrganization[]> {
    return syncPages.getHelpdeskOrganizations(this.db, connectionId, organizationIds);
  }
  async countQuarantined(): Promise<number> {
    return syncPages.countQuarantined(this.db);
  }

  async upsertCustomers(input: Customer[]): Promise<UpsertCounts> {
    return customers.upsertCustomers(this.db, input);
  }
  async upsertMilestones(input: Milestone[]): Promise<UpsertCounts> {
    return customers.upsertMilestones(this.db, input);
  }
  async countCustomers(): Promise<number> {
    return customers.countCustomers(this.db);
  }
  async earliestMilestoneAt(): Promise<number | null> {
    return customers.earliestMilestoneAt(this.db);
  }
  async findCustomerIdentities(lookup: IdentityLookup): Promise<CustomerIdentityIndex> {
    return customers.findCustomerIdentities(this.db, lookup);
  }

  async listPendingTickets(limit: number, after?: TicketKey): Promise<PendingTicket[]> {
    return ticketResults.listPendingTickets(this.db, limit, after);
  }
  async saveTicketResults(results: TicketResult[]): Promise<void> {
    ticketResults.saveTicketResults(this.db, results, Date.now());
  }
  async markAllTicketsPending(): Promise<number> {
    return ticketResults.markAllTicketsPending(this.db);
  }
  async setManualReason(
    key: TicketKey,
    reasonId: string | null,
    author: string,
    at: number,
  ): Promise<boolean> {
    return ticketResults.setManualReason(this.db, key, reasonId, author, at);
  }

  async listManualReasons(): Promise<ManualReasonRecord[]> {
    return reasonQueries.listManualReasons(this.db);
  }
  async renameManualReasons(from: string, to: string): Promise<number> {
    return reasonQueries.renameManualReasons(this.db, from, to);
  }
  async listLabelledTickets(limit: number): Promise<LabelledTicket[]> {
    return reasonQueries.listLabelledTickets(this.db, limit);
  }
  async countLabels(): Promise<Record<string, number>> {
    return reasonQueries.countLabels(this.db);
  }
  async markTicketsPendingClassifiedBy(by: ClassifiedBy[]): Promise<number> {
    return reasonQueries.markTicketsPendingClassifiedBy(this.db, by);
  }
  async listClassifiedTickets(filter: ClassifiedTicketFilter): Promise<ClassifiedTicketRow[]> {
    return reasonQueries.listClassifiedTickets(this.db, filter);
  }
  async countTicketsByReason(
    from: number,
    to: number,
  ): Promise<Array<{ reasonId: string; tickets: number }>> {
    return reasonQueries.countTicketsByReason(this.db, from, to);
  }
  async countLostZeroByReason(): Promise<Array<{ reasonId: string; customers: number }>> {
    return reasonQueries.countLostZeroByReason(this.db);
  }

  async markTimeDueCustomersDirty(now: number, stalledBefore: number): Promise<number> {
    return customerResults.markTimeDueCustomersDirty(this.db, now, stalledBefore);
  }
  async listDirtyCustomers(limit: number): Promise<string[]> {
    return customerResults.listDirtyCustomers(this.db, limit);
  }
  async loadCustomerFacts(customerIds: string[]): Promise<CustomerFacts[]> {
    return customerResults.loadCustomerFacts(this.db, customerIds);
  }
  async saveCustomerResults(
    customerIds: string[],
    results: CustomerResult[],
    computedAt: number,
  ): Promise<void> {
    customerResults.saveCustomerResults(this.db, customerIds, results, computedAt);
  }
  async listStatuses(): Promise<StatusSlim[]> {
    return customerResults.listStatuses(this.db);
  }
  async saveMetricPeriods(rows: MetricPeriodRow[], only?: PeriodKey[]): Promise<void> {
    customerResults.saveMetricPeriods(this.db, rows, only);
  }
  async listStatusesOf(customerIds: string[]): Promise<StatusSlim[]> {
    return customerResults.listStatusesOf(this.db, customerIds);
  }
  async listStatusesEndingBetween(from: number, to: number): Promise<StatusSlim[]> {
    return customerResults.listStatusesEndingBetween(this.db, from, to);
  }
  async listMetricPeriods(): Promise<MetricPeriodRow[]> {
    return customerResults.listMetricPeriods(this.db);
  }

  async countReasons(from: number, to: number): Promise<Array<{ reasonId: string; tickets: number }>> {
    return reports.countReasons(this.db, from, to);
  }
  async reasonDaily(days?: readonly string[]): Promise<ReasonDailyRow[]> {
    return reports.reasonDaily(this.db, days);
  }
  async reasonPhases(): Promise<ReasonPhaseRow[]> {
    return dashboardQueries.reasonPhases(this.db);
  }
  async reasonCustomers(): Promise<ReasonCustomersRow[]> {
    return dashboardQueries.reasonCustomers(this.db);
  }
  async listRecentTickets(filter: RecentTicketFilter): Promise<RecentTicketRow[]> {
    return recentTickets.listRecentTickets(this.db, filter);
  }
  async dataQuality(): Promise<{
    unlinkedTickets: number;
    unclassifiedTickets: number;
    quarantined: number;
  }> {
    return reports.dataQuality(this.db);
  }
  async listUnexportedTickets(limit: number): Promise<WarehouseTicketRow[]> {
    return reports.listUnexportedTickets(this.db, limit);
  }
  async markTicketsExported(keys: TicketKey[]): Promise<void> {
    reports.markTicketsExported(this.db, keys);
  }
  async listUnexportedStatuses(limit: number): Promise<WarehouseStatusRow[]> {
    return reports.listUnexportedStatuses(this.db, limit);
  }
  async markStatusesExported(customerIds: string[]): Promise<void> {
    reports.markStatusesExported(this.db, customerIds);
  }
  async markAllUnexported(tables: { tickets: boolean; statuses: boolean }): Promise<void> {
    outputQueries.markAllUnexported(this.db, tables);
  }
  async listReasonTickets(from: number, to: number): Promise<ReasonTicketRow[]> {
    return outputQueries.listReasonTickets(this.db, from, to);
  }

  async refreshStatistics(_tables: readonly PipelineTable[]): Promise<void> {
    // Every pipeline read goes by key or by an index SQLite picks without statistics, and a
    // full ANALYZE of a big file costs seconds: nothing to do.
  }

  async getState(key: string): Promise<string | null> {
    return smallState.getState(this.db, key);
  }
  async setState(key: string, value: string): Promise<void> {
    smallState.setState(this.db, key, value);
  }
  async claimDigest(channel: string, day: string, at: number): Promise<boolean> {
    return smallState.claimDigest(this.db, channel, day, at);
  }
  async releaseDigest(channel: string, day: string): Promise<void> {
    smallState.releaseDigest(this.db, channel, day);
  }
}

/** Opens (creating and migrating when needed) the SQLite store at `options.file`. */
export async function openSqliteStore(options: SqliteOptions): Promise<SqliteStore> {
  return new SqliteStore(openSqliteConnection(options));
}
