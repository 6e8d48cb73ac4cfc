import { and, eq, sql } from 'drizzle-orm';
import type { FieldValue, Source } from '../../domain/ticket.js';
import { lastPerKey } from '../batch.js';
import { keyOf } from '../rows.js';
import type { PendingTicket, TicketKey, TicketResult } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { markDirty } from './customers.js';
import { clientOf, prepared, upsertEach } from './prepared.js';
import { manualReasons, ticketLinks, ticketReasons, tickets } from './schema.js';
import { markPendingCounting, markPendingWhere, markSettled } from './ticket-queues.js';

/**
 * Prepared once, rows mapped by hand: every synced ticket is read here once, and the query
 * builder's per-row mapping cost more than SQLite's read.
 */
const PENDING = `SELECT t.source, t.ticket_id, t.connection_id, t.created_at, t.updated_at, t.status, t.subject,
    t.body, t.tags, t.fields, t.requester_id, t.requester_external_id, t.requester_email, t.requester_org_ids,
    t.outbound, t.deleted, t.merged,
    l.customer_id AS current_customer_id, m.reason_id AS manual_reason_id, m.author AS manual_author,
    r.reason_id AS current_reason_id
  FROM pending_tickets AS p
  JOIN tickets AS t ON t.source = p.source AND t.ticket_id = p.ticket_id
  LEFT JOIN ticket_links AS l ON l.source = p.source AND l.ticket_id = p.ticket_id
  LEFT JOIN manual_reasons AS m ON m.source = p.source AND m.ticket_id = p.ticket_id
  LEFT JOIN ticket_reasons AS r ON r.source = p.source AND r.ticket_id = p.ticket_id`;
const PENDING_FIRST = `${PENDING} ORDER BY p.source, p.ticket_id LIMIT ?`;
const PENDING_AFTER = `${PENDING} WHERE (p.source, p.ticket_id) > (?, ?) ORDER BY p.source, p.ticket_id LIMIT ?`;

interface PendingRow {
  source: Source;
  ticket_id: string;
  connection_id: string;
  created_at: string;
  updated_at: string;
  status: string;
  subject: string;
  body: string;
  tags: string;
  fields: string;
  requester_id: string | null;
  requester_external_id: string | null;
  requester_email: string | null;
  requester_org_ids: string;
  outbound: number;
  deleted: number;
  merged: number;
  current_customer_id: string | null;
  manual_reason_id: string | null;
  manual_author: string | null;
  current_reason_id: string | null;
}

export function listPendingTickets(db: SqliteDb, limit: number, after?: TicketKey): PendingTicket[] {
  const client = clientOf(db);
  const rows = (
    after
      ? prepared(client, PENDING_AFTER).all(after.source, after.ticketId, limit)
      : prepared(client, PENDING_FIRST).all(limit)
  ) as PendingRow[];
  return rows.map((row) => ({
    ticket: {
      source: row.source,
      connectionId: row.connection_id,
      ticketId: row.ticket_id,
      createdAt: Date.parse(row.created_at),
      updatedAt: Date.parse(row.updated_at),
      status: row.status,
      subject: row.subject,
      text: row.body,
      tags: JSON.parse(row.tags) as string[],
      fields: JSON.parse(row.fields) as Record<string, FieldValue>,
      requester: {
        id: row.requester_id,
        externalId: row.requester_external_id,
        email: row.requester_email,
        organizationExternalIds: JSON.parse(row.requester_org_ids) as string[],
      },
      outbound: row.outbound === 1,
      deleted: row.deleted === 1,
      merged: row.merged === 1,
    },
    currentCustomerId: row.current_customer_id,
    manualReasonId: row.manual_reason_id,
    manualAuthor: row.manual_author,
    currentReasonId: row.current_reason_id,
  }));
}

export function saveTicketResults(db: SqliteDb, input: TicketResult[], now: number): void {
  const results = lastPerKey(input, keyOf);
  writeTransaction(db, (tx) => {
    // Prepared statements run per row (see prepared.ts): this runs for every synced ticket.
    const client = clientOf(tx);
    const linkOf = prepared(
      client,
      'SELECT customer_id AS customerId, milestone_phase AS milestonePhase, in_window AS inWindow, counts_toward_metric AS countsTowardMetric FROM ticket_links WHERE source = ? AND ticket_id = ?',
    );
    const dirty: Array<string | null> = [];
    const links = results.map((result) => {
      const previous = linkOf.get(result.source, result.ticketId) as StoredLink | undefined;
      if (previous) dirty.push(previous.customerId);
      dirty.push(result.customerId);
      // Window verdicts belong to the customer they were computed for; a new customer starts over.
      const kept = previous !== undefined && previous.customerId === result.customerId;
      return {
        source: result.source,
        ticketId: result.ticketId,
        customerId: result.customerId,
        linkMethod: result.linkMethod,
        milestonePhase: kept ? previous.milestonePhase : null,
        inWindow: kept ? previous.inWindow === 1 : false,
        countsTowardMetric: kept ? previous.countsTowardMetric === 1 : false,
      };
    });
    upsertEach(tx, ticketLinks, ['source', 'ticketId'], links);
    upsertEach(
      tx,
      ticketReasons,
      ['source', 'ticketId'],
      results.map((result) => ({
        source: result.source,
        ticketId: result.ticketId,
        ...result.classification,
        classifiedAt: now,
      })),
    );
    markSettled(tx, results);
    markDirty(tx, dirty);
  });
}

interface StoredLink {
  customerId: string | null;
  milestonePhase: string | null;
  inWindow: number;
  countsTowardMetric: number;
}

export function markAllTicketsPending(db: SqliteDb): number {
  return writeTransaction(db, (tx) => markPendingCounting(tx));
}

export function setManualReason(
  db: SqliteDb,
  key: TicketKey,
  reasonId: string | null,
  author: string,
  at: number,
): boolean {
  const match = and(eq(tickets.source, key.source), eq(tickets.ticketId, key.ticketId));
  return writeTransaction(db, (tx) => {
    // Pending again, so the next link+classify pass applies (or drops) the correction.
    if (!tx.select({ x: sql`1` }).from(tickets).where(match).get()) return false;
    markPendingWhere(tx, match);
    if (reasonId === null) {
      tx.delete(manualReasons)
        .where(and(eq(manualReasons.source, key.source), eq(manualReasons.ticketId, key.ticketId)))
        .run();
    } else {
      tx.insert(manualReasons)
        .values({ ...key, reasonId, author, createdAt: at })
        .onConflictDoUpdate({
          target: [manualReasons.source, manualReasons.ticketId],
          set: { reasonId, author, createdAt: at },
        })
        .run();
    }
    return true;
  });
}
