import type { Connector, ConnectorPage } from '../../../connectors/connector.js';
import { DAY_MS } from '../../domain/metric.js';
import type { Ticket } from '../../domain/ticket.js';
import { PermanentError, UnreadablePagesError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { afterBulkChange } from '../../store/statistics.js';
import type { ConnectionRecord, Store } from '../../store/store.js';

export interface SyncDeps {
  store: Store;
  logger: Logger;
  now: () => number;
  openConnector: (connection: ConnectionRecord) => Connector;
  progress: (line: string) => void;
}

export interface SyncResult {
  connectionId: string;
  pages: number;
  tickets: number;
  quarantined: number;
}

/**
 * A first sync reaches back to the connection's `since`, else to the earliest milestone in the
 * store (no ticket before any customer's onboarding can count), else this far.
 */
export const DEFAULT_BACKFILL_DAYS = 365;

/**
 * Pulls a connection's changes page by page. Each page is committed with its cursor in one
 * transaction, so a crash re-reads at most one page and re-reading is harmless.
 */
export async function syncConnection(deps: SyncDeps, input: { connectionId: string }): Promise<SyncResult> {
  const connection = await deps.store.getConnection(input.connectionId);
  if (!connection)
    throw new PermanentError(`no connection "${input.connectionId}" (see: zerotickets connect)`);
  const connector = deps.openConnector(connection);
  const cursor = await deps.store.getCursor(connection.id, 'tickets');
  // Only a first sync reads `since` (PullOptions): with a cursor, the milestone scan behind it
  // (every milestone, on each run) is skipped.
  const since = cursor === null ? await sinceOf(deps.store, connection, deps.now()) : deps.now();
  const result: SyncResult = { connectionId: connection.id, pages: 0, tickets: 0, quarantined: 0 };
  try {
    await pullAll(deps, connector, connection, { cursor, since }, result);
  } catch (error) {
    if (error instanceof UnreadablePagesError) await keepUnreadable(deps, connection.id, error);
    throw error;
  }
  await afterBulkChange(deps.store, result.tickets, [
    'tickets',
    'pending_tickets',
    'unexported_tickets',
    'helpdesk_users',
    'helpdesk_organizations',
  ]);
  await deps.store.markSynced(connection.id, deps.now());
  deps.logger.info(result, 'sync finished');
  return result;
}

async function pullAll(
  deps: SyncDeps,
  connector: Connector,
  connection: ConnectionRecord,
  from: { cursor: string | null; since: number },
  result: SyncResult,
): Promise<void> {
  for await (const page of connector.pullChanges(from.cursor, { since: from.since })) {
    const tickets = await withStoredRequesters(deps.store, page);
    const committed = await deps.store.commitSyncPage({ ...page, tickets, connectionId: connection.id });
    result.pages += 1;
    result.tickets += committed.tickets;
    result.quarantined += committed.quarantined;
    deps.progress(`sync ${connection.id}: page ${result.pages}, ${result.tickets} tickets`);
    if (committed.quarantined > 0) {
      deps.logger.warn(
        { connectionId: connection.id, quarantined: committed.quarantined },
        'invalid payloads quarantined; the sync goes on',
      );
    }
  }
}

/** Pages outside any cursor (quarantine records of a failed sync) are committed under this stream. */
export const UNREADABLE_STREAM = 'unreadable';

/**
 * Stores the pages a connector gave up on before the sync fails, without moving the tickets
 * cursor: the next sync asks for the same pages again, and the payloads are kept with their
 * error instead of living only in a log line.
 */
async function keepUnreadable(deps: SyncDeps, connectionId: string, error: UnreadablePagesError) {
  await deps.store.commitSyncPage({
    connectionId,
    stream: UNREADABLE_STREAM,
    cursor: '',
    tickets: [],
    users: [],
    organizations: [],
    quarantined: error.quarantined,
  });
  deps.logger.error(
    { connectionId, quarantined: error.quarantined.length, error: error.message },
    'unreadable pages quarantined; the sync stops with its cursor kept',
  );
}

async function sinceOf(store: Store, connection: ConnectionRecord, now: number): Promise<number> {
  const configured = connection.settings.since;
  if (typeof configured === 'string' && !Number.isNaN(Date.parse(configured))) return Date.parse(configured);
  return (await store.earliestMilestoneAt()) ?? now - DEFAULT_BACKFILL_DAYS * DAY_MS;
}

/**
 * A requester missing from a page's sideloads is looked up among the helpdesk users stored by
 * earlier pages, so linking still has their e-mail, external id and organizations, and a
 * ticket a staff member requested is still known to be outbound.
 */
async function withStoredRequesters(store: Store, page: ConnectorPage): Promise<Ticket[]> {
  const unknown = page.tickets.filter(
    (t) => t.requester.id !== null && t.requester.email === null && t.requester.externalId === null,
  );
  if (unknown.length === 0) return page.tickets;
  const connectionId = unknown[0]!.connectionId;
  const users = await store.getHelpdeskUsers(
    connectionId,
    unknown.map((t) => t.requester.id!),
  );
  const orgIds = [...new Set(users.flatMap((u) => u.organizationIds))];
  const orgs = await store.getHelpdeskOrganizations(connectionId, orgIds);
  const userById = new Map(users.map((u) => [u.userId, u]));
  const orgExternal = new Map(orgs.map((o) => [o.organizationId, o.externalId]));
  return page.tickets.map((ticket) => {
    const user = ticket.requester.id === null ? undefined : userById.get(ticket.requester.id);
    if (!user || ticket.requester.email !== null || ticket.requester.externalId !== null) return ticket;
    const organizationExternalIds = user.organizationIds
      .map((id) => orgExternal.get(id))
      .filter((id): id is string => typeof id === 'string');
    return {
      ...ticket,
      outbound: ticket.outbound || user.role === 'staff',
      requester: {
        ...ticket.requester,
        email: user.email,
        externalId: user.externalId,
        organizationExternalIds,
      },
    };
  });
}
