import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { chunk, lastPerKey, rowsPerStatement } from '../batch.js';
import { keyOf, keyPair, ticketFromRow } from '../rows.js';
import { columnsExcept, pairConditions, setExcluded } from '../sql-helpers.js';
import type { PendingTicket, TicketKey, TicketResult } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { markDirty } from './customers.js';
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
    .where(and(...conditions))
    .orderBy(asc(tickets.source), asc(tickets.ticketId))
    .limit(limit)
    .all();
  return rows.map((row) => ({
    ticket: ticketFromRow(row.ticket),
    currentCustomerId: row.currentCustomerId,
    manualReasonId: row.manualReasonId,
  }));
}

const linkValues = columnsExcept(ticketLinks, 'source', 'ticketId');
const reasonValues = columnsExcept(ticketReasons, 'source', 'ticketId');

export function saveTicketResults(db: SqliteDb, input: TicketResult[], now: number): void {
  const results = lastPerKey(input, keyOf);
  writeTransaction(db, (tx) => {
    for (const part of chunk(results, rowsPerStatement(7))) {
      const before = new Map<string, typeof ticketLinks.$inferSelect>();
      for (const condition of pairConditions(ticketLinks.source, ticketLinks.ticketId, part.map(keyPair))) {
        for (const link of tx.select().from(ticketLinks).where(condition).all())
          before.set(keyOf(link), link);
      }
      const links = part.map((result) => {
        const previous = before.get(keyOf(result));
        // Window verdicts belong to the customer they were computed for; a new customer starts over.
        const kept = previous !== undefined && previous.customerId === result.customerId;
        return {
          source: result.source,
          ticketId: result.ticketId,
          customerId: result.customerId,
          linkMethod: result.linkMethod,
          milestonePhase: kept ? previous.milestonePhase : null,
          inWindow: kept ? previous.inWindow : false,
          countsTowardMetric: kept ? previous.countsTowardMetric : false,
        };
      });
      tx.insert(ticketLinks)
        .values(links)
        .onConflictDoUpdate({
          target: [ticketLinks.source, ticketLinks.ticketId],
          set: setExcluded(linkValues),
        })
        .run();
      tx.insert(ticketReasons)
        .values(
          part.map((result) => ({
            source: result.source,
            ticketId: result.ticketId,
            ...result.classification,
            classifiedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [ticketReasons.source, ticketReasons.ticketId],
          set: setExcluded(reasonValues),
        })
        .run();
      for (const condition of pairConditions(tickets.source, tickets.ticketId, part.map(keyPair))) {
        tx.update(tickets).set({ pending: false, exported: false }).where(condition).run();
      }
      markDirty(
        tx,
        [...before.values()].map((link) => link.customerId),
      );
      markDirty(
        tx,
        part.map((result) => result.customerId),
      );
    }
  });
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
