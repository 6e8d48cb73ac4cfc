import { count, type SQL, sql } from 'drizzle-orm';
import type { TicketKey } from '../store.js';
import type { SqliteDb } from './connection.js';
import { clientOf, prepared } from './prepared.js';
import { pendingTickets, tickets, unexportedTickets } from './schema.js';

/**
 * The two work queues over `tickets` (see schema.ts): a ticket is pending (to link and
 * classify) or unexported (to the warehouse) while a row for it is in the queue's table.
 * Marking never rewrites the ticket itself.
 */

const MARK_PENDING = 'INSERT INTO pending_tickets (source, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING';
const MARK_UNEXPORTED =
  'INSERT INTO unexported_tickets (source, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING';

/** A ticket changed on the helpdesk: it is to be linked, classified and exported again. */
export function markChanged(tx: SqliteDb, keys: readonly TicketKey[]): void {
  const client = clientOf(tx);
  const pending = prepared(client, MARK_PENDING);
  const unexported = prepared(client, MARK_UNEXPORTED);
  for (const key of keys) {
    pending.run(key.source, key.ticketId);
    unexported.run(key.source, key.ticketId);
  }
}

/** Linked and classified: off the pending queue, and (its link or reason may differ) to export. */
export function markSettled(tx: SqliteDb, keys: readonly TicketKey[]): void {
  const client = clientOf(tx);
  const settle = prepared(client, 'DELETE FROM pending_tickets WHERE source = ? AND ticket_id = ?');
  const unexported = prepared(client, MARK_UNEXPORTED);
  for (const key of keys) {
    settle.run(key.source, key.ticketId);
    unexported.run(key.source, key.ticketId);
  }
}

export function markUnexported(tx: SqliteDb, keys: readonly TicketKey[]): void {
  const unexported = prepared(clientOf(tx), MARK_UNEXPORTED);
  for (const key of keys) unexported.run(key.source, key.ticketId);
}

export function markExported(tx: SqliteDb, keys: readonly TicketKey[]): void {
  const clear = prepared(clientOf(tx), 'DELETE FROM unexported_tickets WHERE source = ? AND ticket_id = ?');
  for (const key of keys) clear.run(key.source, key.ticketId);
}

/**
 * Marks pending the stored tickets matching `condition` (a condition on `tickets`; every
 * ticket when absent).
 */
export function markPendingWhere(tx: SqliteDb, condition?: SQL): void {
  // `WHERE` is required before an upsert clause on INSERT … SELECT (SQLite's parsing rule).
  const where = condition ?? sql`true`;
  tx.run(
    sql`INSERT INTO ${pendingTickets} (source, ticket_id)
      SELECT ${tickets.source}, ${tickets.ticketId} FROM ${tickets} WHERE ${where}
      ON CONFLICT DO NOTHING`,
  );
}

/** `markPendingWhere`, returning how many tickets match (pending already or not). */
export function markPendingCounting(tx: SqliteDb, condition?: SQL): number {
  markPendingWhere(tx, condition);
  return (
    tx
      .select({ n: count() })
      .from(tickets)
      .where(condition ?? sql`true`)
      .get()?.n ?? 0
  );
}

/** Every stored ticket to the warehouse again. */
export function markAllTicketsUnexported(tx: SqliteDb): void {
  tx.run(
    sql`INSERT INTO ${unexportedTickets} (source, ticket_id)
      SELECT ${tickets.source}, ${tickets.ticketId} FROM ${tickets} WHERE true
      ON CONFLICT DO NOTHING`,
  );
}
