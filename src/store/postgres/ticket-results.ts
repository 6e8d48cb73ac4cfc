import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { chunk, lastPerKey, rowsPerStatement } from '../batch.js';
import { keyOf, keyPair, ticketFromRow } from '../rows.js';
import { columnsExcept, pairConditions, setExcluded } from '../sql-helpers.js';
import type { PendingTicket, TicketKey, TicketResult } from '../store.js';
import type { PgDb } from './connection.js';
import { markDirty } from './customers.js';
import { manualReasons, ticketLinks, ticketReasons, tickets } from './schema.js';
import { withoutNul } from './text.js';

export async function listPendingTickets(
  db: PgDb,
  limit: number,
  after?: TicketKey,
): Promise<PendingTicket[]> {
  const conditions: SQL[] = [eq(tickets.pending, true)];
  if (after)
    conditions.push(sql`(${tickets.source}, ${tickets.ticketId}) > (${after.source}, ${after.ticketId})`);
  const rows = await db
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
    .limit(limit);
  return rows.map((row) => ({
    ticket: ticketFromRow(row.ticket),
    currentCustomerId: row.currentCustomerId,
    manualReasonId: row.manualReasonId,
    manualAuthor: row.manualAuthor,
    currentReasonId: row.currentReasonId,
  }));
}

const linkValues = columnsExcept(ticketLinks, 'source', 'ticketId');
const reasonValues = columnsExcept(ticketReasons, 'source', 'ticketId');

export async function saveTicketResults(db: PgDb, input: TicketResult[], now: number): Promise<void> {
  const results = lastPerKey(input, keyOf);
  await db.transaction(async (tx) => {
    for (const part of chunk(results, rowsPerStatement(7))) {
      const before = new Map<string, typeof ticketLinks.$inferSelect>();
      for (const condition of pairConditions(ticketLinks.source, ticketLinks.ticketId, part.map(keyPair))) {
        for (const link of await tx.select().from(ticketLinks).where(condition))
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
      await tx
        .insert(ticketLinks)
        .values(links)
        .onConflictDoUpdate({
          target: [ticketLinks.source, ticketLinks.ticketId],
          set: setExcluded(linkValues),
        });
      await tx
        .insert(ticketReasons)
        .values(
          part.map((result) =>
            withoutNul({
              source: result.source,
              ticketId: result.ticketId,
              ...result.classification,
              classifiedAt: now,
            }),
          ),
        )
        .onConflictDoUpdate({
          target: [ticketReasons.source, ticketReasons.ticketId],
          set: setExcluded(reasonValues),
        });
      for (const condition of pairConditions(tickets.source, tickets.ticketId, part.map(keyPair))) {
        await tx.update(tickets).set({ pending: false, exported: false }).where(condition);
      }
      await markDirty(
        tx,
        [...before.values()].map((link) => link.customerId),
      );
      await markDirty(
        tx,
        part.map((result) => result.customerId),
      );
    }
  });
}

export async function markAllTicketsPending(db: PgDb): Promise<number> {
  const result = await db.update(tickets).set({ pending: true });
  return result.rowCount ?? 0;
}

export async function setManualReason(
  db: PgDb,
  key: TicketKey,
  reasonId: string | null,
  author: string,
  at: number,
): Promise<boolean> {
  const match = and(eq(tickets.source, key.source), eq(tickets.ticketId, key.ticketId));
  return db.transaction(async (tx) => {
    // Pending again, so the next link+classify pass applies (or drops) the correction.
    const marked = await tx.update(tickets).set({ pending: true }).where(match);
    if ((marked.rowCount ?? 0) === 0) return false;
    if (reasonId === null) {
      await tx
        .delete(manualReasons)
        .where(and(eq(manualReasons.source, key.source), eq(manualReasons.ticketId, key.ticketId)));
    } else {
      await tx
        .insert(manualReasons)
        .values({ ...key, reasonId, author, createdAt: at })
        .onConflictDoUpdate({
          target: [manualReasons.source, manualReasons.ticketId],
          set: { reasonId, author, createdAt: at },
        });
    }
    return true;
  });
}
