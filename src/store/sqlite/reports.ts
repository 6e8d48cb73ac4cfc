import { and, asc, count, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { UNCLASSIFIED } from '../../domain/reason.js';
import { chunk, IDS_PER_STATEMENT } from '../batch.js';
import { warehouseTicket } from '../rows.js';
import { onDays } from '../sql-helpers.js';
import type { ReasonDailyRow, TicketKey, WarehouseStatusRow, WarehouseTicketRow } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
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
// A literal, not a parameter: the same expression must match in SELECT and GROUP BY.
const reasonOrUnclassified = sql<string>`coalesce(${ticketReasons.reasonId}, 'unclassified')`;
/** ISO-8601 UTC text starts with the UTC date. */
const utcDay = sql<string>`substr(${tickets.createdAt}, 1, 10)`;

export function countReasons(
  db: SqliteDb,
  from: number,
  to: number,
): Array<{ reasonId: string; tickets: number }> {
  return db
    .select({ reasonId: reasonOrUnclassified, tickets: count() })
    .from(ticketLinks)
    .innerJoin(tickets, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .where(
      and(eq(ticketLinks.countsTowardMetric, true), gte(tickets.createdAt, from), lt(tickets.createdAt, to)),
    )
    .groupBy(reasonOrUnclassified)
    .orderBy(reasonOrUnclassified)
    .all();
}

export function reasonDaily(db: SqliteDb, days?: readonly string[]): ReasonDailyRow[] {
  return db
    .select({ day: utcDay, reasonId: reasonOrUnclassified, tickets: count() })
    .from(ticketLinks)
    .innerJoin(tickets, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .where(and(eq(ticketLinks.countsTowardMetric, true), onDays(tickets.createdAt, days)))
    .groupBy(utcDay, reasonOrUnclassified)
    .orderBy(utcDay, reasonOrUnclassified)
    .all();
}

export function dataQuality(db: SqliteDb): {
  unlinkedTickets: number;
  unclassifiedTickets: number;
  quarantined: number;
} {
  const unlinked = db
    .select({ n: count() })
    .from(tickets)
    .leftJoin(ticketLinks, linkOf)
    .where(and(eq(tickets.deleted, false), isNull(ticketLinks.customerId)))
    .get();
  const unclassified = db
    .select({ n: count() })
    .from(tickets)
    .leftJoin(ticketReasons, reasonOf)
    .where(
      and(
        eq(tickets.deleted, false),
        or(isNull(ticketReasons.reasonId), eq(ticketReasons.reasonId, UNCLASSIFIED)),
      ),
    )
    .get();
  const quarantined = db.select({ n: count() }).from(quarantine).get();
  return {
    unlinkedTickets: unlinked?.n ?? 0,
    unclassifiedTickets: unclassified?.n ?? 0,
    quarantined: quarantined?.n ?? 0,
  };
}

export function listUnexportedTickets(db: SqliteDb, limit: number): WarehouseTicketRow[] {
  return db
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
    .limit(limit)
    .all()
    .map(warehouseTicket);
}

export function markTicketsExported(db: SqliteDb, keys: TicketKey[]): void {
  writeTransaction(db, (tx) => markExported(tx, keys));
}

export function listUnexportedStatuses(db: SqliteDb, limit: number): WarehouseStatusRow[] {
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
    .limit(limit)
    .all();
}

export function markStatusesExported(db: SqliteDb, customerIds: string[]): void {
  writeTransaction(db, (tx) => {
    for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
      tx.update(customerStatus).set({ exported: true }).where(inArray(customerStatus.customerId, ids)).run();
    }
  });
}
