import { type SQL, sql } from 'drizzle-orm';
import type { TicketKey } from '../store.js';
import type { PgDb } from './connection.js';
import { pendingTickets, tickets, unexportedTickets } from './schema.js';

/**
 * The two work queues over `tickets` (see schema.ts): a ticket is pending (to link and
 * classify) or unexported (to the warehouse) while a row for it is in the queue's table.
 * Marking never rewrites the ticket itself (in Postgres, a new version of its whole row).
 */

const param = (values: unknown[]) => sql.param(values);
const keysOf = (keys: readonly TicketKey[]) =>
  sql`unnest(${param(keys.map((k) => k.source))}::text[], ${param(keys.map((k) => k.ticketId))}::text[])`;

/** A ticket changed on the helpdesk: it is to be linked, classified and exported again. */
export async function markChanged(tx: PgDb, keys: readonly TicketKey[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute(sql`WITH k AS (SELECT * FROM ${keysOf(keys)} AS k(source, ticket_id)),
      pending AS (INSERT INTO ${pendingTickets} (source, ticket_id) SELECT source, ticket_id FROM k
        ON CONFLICT DO NOTHING)
    INSERT INTO ${unexportedTickets} (source, ticket_id) SELECT source, ticket_id FROM k
    ON CONFLICT DO NOTHING`);
}

export async function markExported(tx: PgDb, keys: readonly TicketKey[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute(sql`DELETE FROM ${unexportedTickets} AS u USING ${keysOf(keys)} AS k(source, ticket_id)
    WHERE u.source = k.source AND u.ticket_id = k.ticket_id`);
}

/** Marks pending the stored tickets matching `condition` (on `tickets`; every one when absent). */
export async function markPendingWhere(tx: PgDb, condition?: SQL): Promise<void> {
  await tx.execute(sql`INSERT INTO ${pendingTickets} (source, ticket_id)
    SELECT ${tickets.source}, ${tickets.ticketId} FROM ${tickets} WHERE ${condition ?? sql`true`}
    ON CONFLICT DO NOTHING`);
}

/** `markPendingWhere`, returning how many tickets match (pending already or not). */
export async function markPendingCounting(tx: PgDb, condition?: SQL): Promise<number> {
  await markPendingWhere(tx, condition);
  const result = await tx.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${tickets} WHERE ${condition ?? sql`true`}`,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** Every stored ticket to the warehouse again. */
export async function markAllTicketsUnexported(tx: PgDb): Promise<void> {
  await tx.execute(sql`INSERT INTO ${unexportedTickets} (source, ticket_id)
    SELECT ${tickets.source}, ${tickets.ticketId} FROM ${tickets} ON CONFLICT DO NOTHING`);
}
