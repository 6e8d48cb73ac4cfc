import { and, asc, eq, gte, lt, ne, sql } from 'drizzle-orm';
import { UNCLASSIFIED } from '../../domain/reason.js';
import type { ReasonTicketRow } from '../store.js';
import type { PgDb } from './connection.js';
import { customerStatus, customers, ticketLinks, ticketReasons, tickets } from './schema.js';
import { markAllTicketsUnexported } from './ticket-queues.js';

const linkOf = and(eq(ticketLinks.source, tickets.source), eq(ticketLinks.ticketId, tickets.ticketId));
const reasonOf = and(eq(ticketReasons.source, tickets.source), eq(ticketReasons.ticketId, tickets.ticketId));

/** See `Store.listReasonTickets`. */
export async function listReasonTickets(db: PgDb, from: number, to: number): Promise<ReasonTicketRow[]> {
  const rows = await db
    .select({
      source: tickets.source,
      ticketId: tickets.ticketId,
      connectionId: tickets.connectionId,
      reasonId: ticketReasons.reasonId,
      // A chat has no subject: its first words say what it is about.
      subject: sql<string>`coalesce(nullif(${tickets.subject}, ''), substr(${tickets.body}, 1, 120))`,
      createdAt: tickets.createdAt,
      customerId: ticketLinks.customerId,
      customerName: customers.name,
      countsTowardMetric: ticketLinks.countsTowardMetric,
    })
    .from(tickets)
    .innerJoin(ticketReasons, reasonOf)
    .leftJoin(ticketLinks, linkOf)
    .leftJoin(customers, eq(customers.id, ticketLinks.customerId))
    .where(
      and(
        gte(tickets.createdAt, from),
        lt(tickets.createdAt, to),
        ne(ticketReasons.reasonId, UNCLASSIFIED),
        eq(tickets.deleted, false),
        eq(tickets.merged, false),
        eq(tickets.outbound, false),
      ),
    )
    .orderBy(asc(tickets.createdAt), asc(tickets.source), asc(tickets.ticketId));
  return rows.map((row) => ({ ...row, countsTowardMetric: row.countsTowardMetric ?? false }));
}

/** See `Store.markAllUnexported`. */
export async function markAllUnexported(
  db: PgDb,
  tables: { tickets: boolean; statuses: boolean },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (tables.tickets) await markAllTicketsUnexported(tx);
    if (tables.statuses) await tx.update(customerStatus).set({ exported: false });
  });
}
