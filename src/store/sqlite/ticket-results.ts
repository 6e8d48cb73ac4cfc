import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { lastPerKey } from '../batch.js';
import { keyOf, ticketFromRow } from '../rows.js';
import type { PendingTicket, TicketKey, TicketResult } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { markDirty } from './customers.js';
import { clientOf, prepared, upsertEach } from './prepared.js';
import { manualReasons, ticketLinks, ticketReasons, tickets } from './schema.js';

export function listPendingTickets(db: SqliteDb, limit: number, after?: TicketKey): PendingTicket[] {
  const conditions: SQL[] = [eq(tickets.pending, true)];
  if (after)
    conditions.push(sql`(${tickets.source}, ${tickets.ticketId}) > (${after.source}, ${after.ticketId})`);
  const rows = db
    .select({
      ticket: getTableColumns(tickets),
      currentCustomerId: ticketLinks.customerId,
      manualReasonId: manualReasons.reasonId,
      manualAuthor: manualReasons.author,
      currentReasonId: ticketReasons.reasonId,
    })
    .from(tickets)
    .leftJoin(
      ticketLinks,
      and(eq(ticketLinks.source, tickets.source), eq(ticketLinks.ticketId, tickets.ticketId)),
    )
    .leftJoin(
      manualReasons,
      and(eq(manualReasons.source, tickets.source), eq(manualReasons.ticketId, tickets.ticketId)),
    )
    .leftJoin(
      ticketReasons,
      and(eq(ticketReasons.source, tickets.source), eq(ticketReasons.ticketId, tickets.ticketId)),
    )
    .where(and(...conditions))
    .orderBy(asc(tickets.source), asc(tickets.ticketId))
    .limit(limit)
    .all();
  return rows.map((row) => ({
    ticket: ticketFromRow(row.ticket),
    currentCustomerId: row.currentCustomerId,
    manualReasonId: row.manualReasonId,
    manualAuthor: row.manualAuthor,
    currentReasonId: row.currentReasonId,
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
    const settle = prepared(
      client,
      'UPDATE tickets SET pending = 0, exported = 0 WHERE source = ? AND ticket_id = ?',
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
    for (const result of results) settle.run(result.source, result.ticketId);
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
  return db.update(tickets).set({ pending: true }).run().changes;
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
    if (tx.update(tickets).set({ pending: true }).where(match).run().changes === 0) return false;
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
