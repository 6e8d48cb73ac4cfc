import { and, asc, count, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { UNCLASSIFIED } from '../../domain/reason.js';
import { chunk, IDS_PER_STATEMENT } from '../batch.js';
import { warehouseTicket } from '../rows.js';
import type { ReasonDailyRow, TicketKey, WarehouseStatusRow, WarehouseTicketRow } from '../store.js';
import type { PgDb } from './connection.js';
import {
  customerStatus,
  customers,
  quarantine,
  ticketLinks,
  ticketReasons,
  tickets,
  unexportedTickets,
} from './schema.js';
import { markExported } from './ticket-queues.js';

const linkOf = and(eq(ticketLinks.source, tickets.source), eq(ticketLinks.ticketId, tickets.ticketId));
const reasonOf = and(eq(ticketReasons.source, tickets.source), eq(ticketReasons.ticketId, tickets.ticketId));
// Literals, not parameters: Postgres matches GROUP BY expressions to the SELECT list by text,
// and `$1` and `$3` are different texts.
const reasonOrUnclassified = sql<string>`coalesce(${ticketReasons.reasonId}, 'unclassified')`;
const utcDay = sql<string>`to_char(${tickets.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

export async function countReasons(
  db: PgDb,
  from: number,
  to: number,
): Promise<Array<{ reasonId: string; tickets: number }>> {
  return db
    .select({ reasonId: reasonOrUnclassified, tickets: count() })
    .from(ticketLinks)
    .innerJoin(tickets, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .where(
      and(eq(ticketLinks.countsTowardMetric, true), gte(tickets.createdAt, from), lt(tickets.createdAt, to)),
    )
    .groupBy(reasonOrUnclassified)
    .orderBy(reasonOrUnclassified);
}

export async function reasonDaily(db: PgDb): Promise<ReasonDailyRow[]> {
  return db
    .select({ day: utcDay, reasonId: reasonOrUnclassified, tickets: count() })
    .from(ticketLinks)
    .innerJoin(tickets, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .where(eq(ticketLinks.countsTowardMetric, true))
    .groupBy(utcDay, reasonOrUnclassified)
    .orderBy(utcDay, reasonOrUnclassified);
}

export async function dataQuality(
  db: PgDb,
): Promise<{ unlinkedTickets: number; unclassifiedTickets: number; quarantined: number }> {
  const [unlinked] = await db
    .select({ n: count() })
    .from(tickets)
    .leftJoin(ticketLinks, linkOf)
    .where(and(eq(tickets.deleted, false), isNull(ticketLinks.customerId)));
  const [unclassified] = await db
    .select({ n: count() })
    .from(tickets)
    .leftJoin(ticketReasons, reasonOf)
    .where(
      and(
        eq(tickets.deleted, false),
        or(isNull(ticketReasons.reasonId), eq(ticketReasons.reasonId, UNCLASSIFIED)),
      ),
    );
  const [quarantined] = await db.select({ n: count() }).from(quarantine);
  return {
    unlinkedTickets: unlinked?.n ?? 0,
    unclassifiedTickets: unclassified?.n ?? 0,
    quarantined: quarantined?.n ?? 0,
  };
}

export async function listUnexportedTickets(db: PgDb, limit: number): Promise<WarehouseTicketRow[]> {
  const rows = await db
    .select({
      source: tickets.source,
      ticketId: tickets.ticketId,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      status: tickets.status,
      customerId: ticketLinks.customerId,
      linkMethod: ticketLinks.linkMethod,
      milestonePhase: ticketLinks.milestonePhase,
      inWindow: ticketLinks.inWindow,
      countsTowardMetric: ticketLinks.countsTowardMetric,
      reasonId: ticketReasons.reasonId,
      reasonConfidence: ticketReasons.confidence,
      classifiedBy: ticketReasons.classifiedBy,
      reasonDetail: ticketReasons.detail,
    })
    .from(unexportedTickets)
    .innerJoin(
      tickets,
      and(eq(tickets.source, unexportedTickets.source), eq(tickets.ticketId, unexportedTickets.ticketId)),
    )
    .leftJoin(ticketLinks, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .orderBy(asc(unexportedTickets.source), asc(unexportedTickets.ticketId))
    .limit(limit);
  return rows.map(warehouseTicket);
}

export async function markTicketsExported(db: PgDb, keys: TicketKey[]): Promise<void> {
  await db.transaction((tx) => markExported(tx, keys));
}

export async function listUnexportedStatuses(db: PgDb, limit: number): Promise<WarehouseStatusRow[]> {
  return db
    .select({
      customerId: customerStatus.customerId,
      name: sql<string>`coalesce(${customers.name}, '')`,
      windowStart: customerStatus.windowStart,
      completedAt: customerStatus.completedAt,
      windowEnd: customerStatus.windowEnd,
      status: customerStatus.status,
      countingTickets: customerStatus.countingTickets,
      firstTicketId: customerStatus.firstTicketId,
      firstTicketReason: customerStatus.firstTicketReason,
      computedAt: customerStatus.computedAt,
    })
    .from(customerStatus)
    .leftJoin(customers, eq(customers.id, customerStatus.customerId))
    .where(eq(customerStatus.exported, false))
    .orderBy(asc(customerStatus.customerId))
    .limit(limit);
}

export async function markStatusesExported(db: PgDb, customerIds: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
      await tx.update(customerStatus).set({ exported: true }).where(inArray(customerStatus.customerId, ids));
    }
  });
}
