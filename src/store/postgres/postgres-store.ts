import { sql } from 'drizzle-orm';
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
  openPostgresConnection,
  type PgDb,
  type PostgresConnection,
  type PostgresOptions,
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
 * The production store: a pg pool whose connections all work in one schema. Multi-statement
 * writes are transactions, so a crashed or concurrent worker never sees half a page or half a
 * recompute.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres';
  /** Where it lives, so a warehouse in the same schema can share the pool. */
  readonly url: string;
  readonly schema: string;
  readonly db: PgDb;
  private readonly connection: PostgresConnection;
  private closed = false;

  constructor(connection: PostgresConnection) {
    this.connection = connection;
    this.url = connection.url;
    this.schema = connection.schema;
    this.db = connection.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.pool.end();
  }

  async saveConnection(connection: NewConnection, now: number): Promise<void> {
    await syncPages.saveConnection(this.db, connection, now);
  }
  async getConnection(id: string): Promise<ConnectionRecord | null> {
    return syncPages.getConnection(this.db, id);
  }
  async listConnections(): Promise<ConnectionRecord[]> {
    return syncPages.listConnections(this.db);
  }
  async markSynced(connectionId: string, at: number): Promise<void> {
    await syncPages.markSynced(this.db, connectionId, at);
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
    await ticketResults.saveTicketResults(this.db, results, Date.now());
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
    await customerResults.saveCustomerResults(this.db, customerIds, results, computedAt);
  }
  async listStatuses(): Promise<StatusSlim[]> {
    return customerResults.listStatuses(this.db);
  }
  async saveMetricPeriods(rows: MetricPeriodRow[], only?: PeriodKey[]): Promise<void> {
    await customerResults.saveMetricPeriods(this.db, rows, only);
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
    await reports.markTicketsExported(this.db, keys);
  }
  async listUnexportedStatuses(limit: number): Promise<WarehouseStatusRow[]> {
    return reports.listUnexportedStatuses(this.db, limit);
  }
  async markStatusesExported(customerIds: string[]): Promise<void> {
    await reports.markStatusesExported(this.db, customerIds);
  }
  async markAllUnexported(tables: { tickets: boolean; statuses: boolean }): Promise<void> {
    await outputQueries.markAllUnexported(this.db, tables);
  }
  async listReasonTickets(from: number, to: number): Promise<ReasonTicketRow[]> {
    return outputQueries.listReasonTickets(this.db, from, to);
  }

  async refreshStatistics(tables: readonly PipelineTable[]): Promise<void> {
    if (tables.length === 0) return;
    // Unqualified: the store's schema (search_path), not every schema in the database.
    await this.db.execute(sql.raw(`ANALYZE ${[...new Set(tables)].join(', ')}`));
  }

  async getState(key: string): Promise<string | null> {
    return smallState.getState(this.db, key);
  }
  async setState(key: string, value: string): Promise<void> {
    await smallState.setState(this.db, key, value);
  }
  async claimDigest(channel: string, day: string, at: number): Promise<boolean> {
    return smallState.claimDigest(this.db, channel, day, at);
  }
  async releaseDigest(channel: string, day: string): Promise<void> {
    await smallState.releaseDigest(this.db, channel, day);
  }
}

/** Opens the store in `options.schema` (default `public`), creating and migrating it when needed. */
export async function openPostgresStore(options: PostgresOptions): Promise<PostgresStore> {
  return new PostgresStore(await openPostgresConnection(options));
}
