import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { HelpdeskOrganization, HelpdeskUser } from '../../domain/ticket.js';
import { chunk, IDS_PER_STATEMENT, lastPerKey, rowsPerStatement } from '../batch.js';
import { keyOf, quarantineRow, ticketRow } from '../rows.js';
import type { ConnectionRecord, NewConnection, SyncPage } from '../store.js';
import type { PgDb } from './connection.js';
import {
  connections,
  helpdeskOrganizations,
  helpdeskUsers,
  quarantine,
  syncState,
  tickets,
} from './schema.js';
import { withoutNul } from './text.js';
import { upsertMarkingChanged } from './ticket-queues.js';
import { asOneStatement, type UnnestUpsert, unnestUpsertStatements } from './unnest-upsert.js';

export async function saveConnection(db: PgDb, connection: NewConnection, now: number): Promise<void> {
  await db
    .insert(connections)
    .values({ ...connection, createdAt: now, updatedAt: now, lastSyncAt: null })
    .onConflictDoUpdate({
      target: connections.id,
      set: {
        kind: connection.kind,
        settings: connection.settings,
        secret: connection.secret,
        updatedAt: now,
      },
    });
}

export async function getConnection(db: PgDb, id: string): Promise<ConnectionRecord | null> {
  const [row] = await db.select().from(connections).where(eq(connections.id, id));
  return row ?? null;
}

export async function listConnections(db: PgDb): Promise<ConnectionRecord[]> {
  return db.select().from(connections).orderBy(asc(connections.id));
}

export async function markSynced(db: PgDb, connectionId: string, at: number): Promise<void> {
  await db.update(connections).set({ lastSyncAt: at }).where(eq(connections.id, connectionId));
}

export async function getCursor(db: PgDb, connectionId: string, stream: string): Promise<string | null> {
  const [row] = await db
    .select({ cursor: syncState.cursor })
    .from(syncState)
    .where(and(eq(syncState.connectionId, connectionId), eq(syncState.stream, stream)));
  return row?.cursor ?? null;
}

const ticketUpsert: UnnestUpsert<typeof tickets> = {
  table: tickets,
  keys: ['source', 'ticketId'],
  update: 'always',
};
const userUpsert: UnnestUpsert<typeof helpdeskUsers> = {
  table: helpdeskUsers,
  keys: ['connectionId', 'userId'],
  update: 'always',
};
const organizationUpsert: UnnestUpsert<typeof helpdeskOrganizations> = {
  table: helpdeskOrganizations,
  keys: ['connectionId', 'organizationId'],
  update: 'always',
};
const cursorUpsert: UnnestUpsert<typeof syncState> = {
  table: syncState,
  keys: ['connectionId', 'stream'],
  update: 'always',
};

export async function commitSyncPage(
  db: PgDb,
  page: SyncPage,
  now: number,
): Promise<{ tickets: number; quarantined: number }> {
  const rows = lastPerKey(page.tickets, keyOf).map((ticket) => withoutNul(ticketRow(ticket)));
  const users = lastPerKey(page.users, (u) => `${u.connectionId}/${u.userId}`).map(withoutNul);
  const organizations = lastPerKey(page.organizations, (o) => `${o.connectionId}/${o.organizationId}`).map(
    withoutNul,
  );
  const quarantined = page.quarantined.map((item) => withoutNul(quarantineRow(item, now)));
  await db.transaction(async (tx) => {
    for (const upsert of unnestUpsertStatements(ticketUpsert, rows)) await upsertMarkingChanged(tx, upsert);
    for (const part of chunk(quarantined, rowsPerStatement(8))) {
      await tx.insert(quarantine).values(part).onConflictDoNothing();
    }
    // Three tables in one round trip (the transaction commits them with the tickets).
    await tx.execute(
      asOneStatement([
        ...unnestUpsertStatements(userUpsert, users),
        ...unnestUpsertStatements(organizationUpsert, organizations),
        ...unnestUpsertStatements(cursorUpsert, [
          { connectionId: page.connectionId, stream: page.stream, cursor: page.cursor, updatedAt: now },
        ]),
      ]),
    );
  });
  return { tickets: rows.length, quarantined: page.quarantined.length };
}

export async function getHelpdeskUsers(
  db: PgDb,
  connectionId: string,
  userIds: string[],
): Promise<HelpdeskUser[]> {
  const users: HelpdeskUser[] = [];
  for (const part of chunk([...new Set(userIds)], IDS_PER_STATEMENT)) {
    users.push(
      ...(await db
        .select()
        .from(helpdeskUsers)
        .where(and(eq(helpdeskUsers.connectionId, connectionId), inArray(helpdeskUsers.userId, part)))),
    );
  }
  return users;
}

export async function getHelpdeskOrganizations(
  db: PgDb,
  connectionId: string,
  organizationIds: string[],
): Promise<HelpdeskOrganization[]> {
  const organizations: HelpdeskOrganization[] = [];
  for (const part of chunk([...new Set(organizationIds)], IDS_PER_STATEMENT)) {
    organizations.push(
      ...(await db
        .select()
        .from(helpdeskOrganizations)
        .where(
          and(
            eq(helpdeskOrganizations.connectionId, connectionId),
            inArray(helpdeskOrganizations.organizationId, part),
          ),
        )),
    );
  }
  return organizations;
}

export async function countQuarantined(db: PgDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(quarantine);
  return row?.n ?? 0;
}
