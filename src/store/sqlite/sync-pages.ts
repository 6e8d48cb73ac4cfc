import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { HelpdeskOrganization, HelpdeskUser } from '../../domain/ticket.js';
import { chunk, IDS_PER_STATEMENT, lastPerKey, rowsPerStatement } from '../batch.js';
import { keyOf, quarantineRow, ticketRow } from '../rows.js';
import type { ConnectionRecord, NewConnection, SyncPage } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { upsertEach } from './prepared.js';
import {
  connections,
  helpdeskOrganizations,
  helpdeskUsers,
  quarantine,
  syncState,
  tickets,
} from './schema.js';
import { markChanged } from './ticket-queues.js';

export function saveConnection(db: SqliteDb, connection: NewConnection, now: number): void {
  db.insert(connections)
    .values({ ...connection, createdAt: now, updatedAt: now, lastSyncAt: null })
    .onConflictDoUpdate({
      target: connections.id,
      set: {
        kind: connection.kind,
        settings: connection.settings,
        secret: connection.secret,
        updatedAt: now,
      },
    })
    .run();
}

export function getConnection(db: SqliteDb, id: string): ConnectionRecord | null {
  return db.select().from(connections).where(eq(connections.id, id)).get() ?? null;
}

export function listConnections(db: SqliteDb): ConnectionRecord[] {
  return db.select().from(connections).orderBy(asc(connections.id)).all();
}

export function markSynced(db: SqliteDb, connectionId: string, at: number): void {
  db.update(connections).set({ lastSyncAt: at }).where(eq(connections.id, connectionId)).run();
}

export function getCursor(db: SqliteDb, connectionId: string, stream: string): string | null {
  const row = db
    .select({ cursor: syncState.cursor })
    .from(syncState)
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.stream, stream)))
    .get();
  return row?.cursor ?? null;
}

export function commitSyncPage(
  db: SqliteDb,
  page: SyncPage,
  now: number,
): { tickets: number; quarantined: number } {
  const rows = lastPerKey(page.tickets, keyOf).map(ticketRow);
  const users = lastPerKey(page.users, (u) => `${u.connectionId}/${u.userId}`);
  const organizations = lastPerKey(page.organizations, (o) => `${o.connectionId}/${o.organizationId}`);
  writeTransaction(db, (tx) => {
    // Prepared once, run per row: a page is ~1000 tickets and their users (see prepared.ts).
    upsertEach(tx, tickets, ['source', 'ticketId'], rows);
    markChanged(tx, rows);
    upsertEach(tx, helpdeskUsers, ['connectionId', 'userId'], users);
    upsertEach(tx, helpdeskOrganizations, ['connectionId', 'organizationId'], organizations);
    const quarantined = page.quarantined.map((item) => quarantineRow(item, now));
    for (const part of chunk(quarantined, rowsPerStatement(8))) {
      tx.insert(quarantine).values(part).onConflictDoNothing().run();
    }
    tx.insert(syncState)
      .values({ connectionId: page.connectionId, stream: page.stream, cursor: page.cursor, updatedAt: now })
      .onConflictDoUpdate({
        target: [syncState.connectionId, syncState.stream],
        set: { cursor: page.cursor, updatedAt: now },
      })
      .run();
  });
  return { tickets: rows.length, quarantined: page.quarantined.length };
}

export function getHelpdeskUsers(db: SqliteDb, connectionId: string, userIds: string[]): HelpdeskUser[] {
  return chunk([...new Set(userIds)], IDS_PER_STATEMENT).flatMap((part) =>
    db
      .select()
      .from(helpdeskUsers)
      .where(and(eq(helpdeskUsers.connectionId, connectionId), inArray(helpdeskUsers.userId, part)))
      .all(),
  );
}

export function getHelpdeskOrganizations(
  db: SqliteDb,
  connectionId: string,
  organizationIds: string[],
): HelpdeskOrganization[] {
  return chunk([...new Set(organizationIds)], IDS_PER_STATEMENT).flatMap((part) =>
    db
      .select()
      .from(helpdeskOrganizations)
      .where(
        and(
          eq(helpdeskOrganizations.connectionId, connectionId),
          inArray(helpdeskOrganizations.organizationId, part),
        ),
      )
      .all(),
  );
}

export function countQuarantined(db: SqliteDb): number {
  return db.select({ n: count() }).from(quarantine).get()?.n ?? 0;
}
