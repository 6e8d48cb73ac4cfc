import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { ClassifiedBy } from '../../domain/reason.js';
import type { RecentTicketFilter, RecentTicketRow } from '../store.js';
import type { SqliteDb } from './connection.js';
import { customers, ticketLinks, ticketReasons, tickets } from './schema.js';

// Counting tickets are linked by definition, so the walk starts at `ticket_links`; a ticket with
// no reason row yet is `unclassified`, as in `dashboard-queries.ts`.
const ticketOf = and(eq(tickets.source, ticketLinks.source), eq(tickets.ticketId, ticketLinks.ticketId));
const reasonOf = and(
  eq(ticketReasons.source, ticketLinks.source),
  eq(ticketReasons.ticketId, ticketLinks.ticketId),
);
const reasonOrUnclassified = sql<string>`coalesce(${ticketReasons.reasonId}, 'unclassified')`;

/** See `Store.listRecentTickets`. */
export function listRecentTickets(db: SqliteDb, filter: RecentTicketFilter): RecentTicketRow[] {
  const conditions: SQL[] = [eq(ticketLinks.countsTowardMetric, true)];
  if (filter.reasonId !== undefined) conditions.push(sql`${reasonOrUnclassified} = ${filter.reasonId}`);
  return db
    .select({
      source: tickets.source,
      ticketId: tickets.ticketId,
      connectionId: tickets.connectionId,
      // A chat has no subject: its first words say what it is about.
      subject: sql<string>`coalesce(nullif(${tickets.subject}, ''), substr(${tickets.body}, 1, 120))`,
      createdAt: tickets.createdAt,
      customerId: ticketLinks.customerId,
      customerName: customers.name,
      reasonId: reasonOrUnclassified,
      confidence: ticketReasons.confidence,
      classifiedBy: ticketReasons.classifiedBy,
      detail: ticketReasons.detail,
    })
    .from(ticketLinks)
    .innerJoin(tickets, ticketOf)
    .leftJoin(ticketReasons, reasonOf)
    .leftJoin(customers, eq(customers.id, ticketLinks.customerId))
    .where(and(...conditions))
    .orderBy(desc(tickets.createdAt), desc(tickets.source), desc(tickets.ticketId))
    .limit(filter.limit)
    .all()
    .map(withoutReasonRow);
}

/** Fills the reason columns of a ticket that was never classified. */
function withoutReasonRow<
  T extends { confidence: number | null; classifiedBy: ClassifiedBy | null; detail: string | null },
>(row: T): T & { confidence: number; classifiedBy: ClassifiedBy; detail: string } {
  return {
    ...row,
    confidence: row.confidence ?? 0,
    classifiedBy: row.classifiedBy ?? 'none',
    detail: row.detail ?? '',
  };
}
