import { and, eq, sql } from 'drizzle-orm';
import type { FieldValue } from '../../domain/ticket.js';
import { lastPerKey } from '../batch.js';
import { keyOf, type TicketRow, ticketFromRow } from '../rows.js';
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
const PENDING = `SELECT t.source, t.ticket_id AS ticketId, t.connection_id AS connectionId,
    t.created_at AS createdAt, t.updated_at AS updatedAt, t.status, t.subject, t.body, t.tags, t.fields,
    t.requester_id AS requesterId, t.requester_external_id AS requesterExternalId,
    t.requester_email AS requesterEmail, t.requester_domain AS requesterDomain,
    t.requester_org_ids AS requesterOrgIds, t.outbound, t.deleted, t.merged,
    l.customer_id AS currentCustomerId, m.reason_id AS manualReasonId, m.author AS manualAuthor,
    r.reason_id AS currentReasonId
  FROM pending_tickets AS p
  JOIN tickets AS t ON t.source = p.source AND t.ticket_id = p.ticket_id
  LEFT JOIN ticket_links AS l ON l.source = p.source AND l.ticket_id = p.ticket_id
  LEFT JOIN manual_reasons AS m ON m.source = p.source AND m.ticket_id = p.ticket_id
  LEFT JOIN ticket_reasons AS r ON r.source = p.source AND r.ticket_id = p.ticket_id`;
const PENDING_FIRST = `${PENDING} ORDER BY p.source, p.ticket_id LIMIT ?`;
const PENDING_AFTER = `${PENDING} WHERE (p.source, p.ticket_id) > (?, ?) ORDER BY p.source, p.ticket_id LIMIT ?`;

/** A pending row as SQLite gives it: the ticket's columns still in their stored form. */
type PendingRow = Omit<
  TicketRow,
  'createdAt' | 'updatedAt' | 'tags' | 'fields' | 'requesterOrgIds' | 'outbound' | 'deleted' | 'merged'
> & {
  createdAt: string;
  updatedAt: string;
  tags: string;
  fields: string;
  requesterOrgIds: string;
  outbound: number;
  deleted: number;
  merged: number;
  currentCustomerId: string | null;
  manualReasonId: string | null;
  manualAuthor: string | null;
  currentReasonId: string | null;
};

export function listPendingTickets(db: SqliteDb, limit: number, after?: TicketKey): PendingTicket[] {
  const client = clientOf(db);
  const rows = (
    after
      ? prepared(client, PENDING_AFTER).all(after.source, after.ticketId, limit)
      : prepared(client, PENDING_FIRST).all(limit)
  ) as PendingRow[];
  return rows.map(({ currentCustomerId, manualReasonId, manualAuthor, currentReasonId, ...row }) => ({
    ticket: ticketFromRow({
      ...row,
      createdAt: Date.parse(row.createdAt),
      updatedAt: Date.parse(row.updatedAt),
      tags: JSON.parse(row.tags) as string[],
      fields: JSON.parse(row.fields) as Record<string, FieldValue>,
      requesterOrgIds: JSON.parse(row.requesterOrgIds) as string[],
      outbound: row.outbound === 1,
      deleted: row.deleted === 1,
      merged: row.merged === 1,
    }),
    currentCustomerId,
    manualReasonId,
    manualAuthor,
    currentReasonId,
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
