import { type SQL, sql } from 'drizzle-orm';
import type { TicketKey } from '../store.js';
import type { PgDb } from './connection.js';
import { rawRows } from './raw-rows.js';
import { pendingTickets, tickets, unexportedTickets } from './schema.js';

/**
 * The two work queues over `tickets` (see schema.ts): a ticket is pending (to link and
 * classify) or unexported (to the warehouse) while a row for it is in the queue's table.
 * Marking never rewrites the ticket itself (in Postgres, a new version of its whole row).
 */

const param = (values: unknown[]) => sql.param(values);
const keysOf = (keys: readonly TicketKey[]) =>
  sql`unnest(${param(keys.map((k) => k.source))}::text[], ${param(keys.map((k) => k.ticketId))}::text[])`;

/**
 * A ticket changed on the helpdesk: it is to be linked, classified and exported again. Runs
 * `upsert` (an insert into `tickets` ending in its `ON CONFLICT` clause) and marks every ticket it
 * wrote, in one statement: the keys are not sent twice.
 */
export async function upsertMarkingChanged(tx: PgDb, upsert: SQL): Promise<void> {
  await tx.execute(sql`WITH k AS (${upsert} RETURNING source, ticket_id),
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

/**
 * The first `limit` tickets in a queue, in key order (after `after`): `select` reads columns of
 * `t` (the ticket, which must give `"ticketId"`) and of whatever `joins` adds. The queue's keys
 * are taken first and the tickets looked up by key: joined whole, Postgres merge-joins `tickets`
 * from its first key, reading every ticket before the queue's head again on each page.
 * A queued key whose ticket is gone (the store never leaves one) falls back to the plain join,
 * which skips it and still fills the page.
 */
export async function readQueue<T extends { ticketId: string | null }>(
  db: PgDb,
  queue: typeof pendingTickets | typeof unexportedTickets,
  page: { limit: number; after?: TicketKey | undefined },
  select: SQL,
  joins: SQL,
): Promise<T[]> {
  const after = page.after
    ? sql`WHERE (q.source, q.ticket_id) > (${page.after.source}, ${page.after.ticketId})`
    : sql``;
  const byKey = await rawRows<T>(
    db,
    sql`SELECT ${select}
      FROM (SELECT q.source, q.ticket_id FROM ${queue} AS q ${after} ORDER BY q.source, q.ticket_id
        LIMIT ${page.limit}) AS q
      LEFT JOIN ${tickets} AS t ON t.source = q.source AND t.ticket_id = q.ticket_id
      ${joins}
      ORDER BY q.source, q.ticket_id`,
  );
  if (byKey.every((row) => row.ticketId !== null)) return byKey;
  return rawRows<T>(
    db,
    sql`SELECT ${select}
      FROM ${queue} AS q JOIN ${tickets} AS t ON t.source = q.source AND t.ticket_id = q.ticket_id
      ${joins}
      ${after}
      ORDER BY q.source, q.ticket_id
      LIMIT ${page.limit}`,
  );
}
