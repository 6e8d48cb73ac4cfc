import { and, asc, count, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import { UNCLASSIFIED } from '../../domain/reason.js';
import { type TicketExportRow, warehouseTicket } from '../rows.js';
import { onDays } from '../sql-helpers.js';
import type { ReasonDailyRow, TicketKey, WarehouseStatusRow, WarehouseTicketRow } from '../store.js';
import type { PgDb } from './connection.js';
import { arrayParam, epochMs } from './raw-rows.js';
import {
  customerStatus,
  customers,
  quarantine,
  ticketLinks,
  ticketReasons,
  tickets,
  unexportedTickets,
} from './schema.js';
import { markExported, readQueue } from './ticket-queues.js';

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

export async function reasonDaily(db: PgDb, days?: readonly string[]): Promise<ReasonDailyRow[]> {
  return db
    .select({ day: utcDay, reasonId: reasonOrUnclassified, tickets: count() })
    .from(ticketLinks)
    .innerJoin(tickets, linkOf)
    .leftJoin(ticketReasons, reasonOf)
    .where(and(eq(ticketLinks.countsTowardMetric, true), onDays(tickets.createdAt, days)))
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

/** Hand-written SQL, read as `pg` parses it: this runs for every ticket synced (see raw-rows.ts). */
export async function listUnexportedTickets(db: PgDb, limit: number): Promise<WarehouseTicketRow[]> {
  const rows = await readQueue<TicketExportRow>(
    db,
    unexportedTickets,
    { limit },
    sql`t.source, t.ticket_id AS "ticketId", ${epochMs(sql`t.created_at`)} AS "createdAt",
      ${epochMs(sql`t.updated_at`)} AS "updatedAt", t.status, l.customer_id AS "customerId",
      l.link_method AS "linkMethod", l.milestone_phase AS "milestonePhase", l.in_window AS "inWindow",
      l.counts_toward_metric AS "countsTowardMetric", r.reason_id AS "reasonId",
      r.confidence AS "reasonConfidence", r.classified_by AS "classifiedBy", r.detail AS "reasonDetail"`,
    sql`LEFT JOIN ${ticketLinks} AS l ON l.source = t.source AND l.ticket_id = t.ticket_id
      LEFT JOIN ${ticketReasons} AS r ON r.source = t.source AND r.ticket_id = t.ticket_id`,
  );
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

/** One statement, the ids bound as one array. */
export async function markStatusesExported(db: PgDb, customerIds: string[]): Promise<void> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return;
  await db.execute(
    sql`UPDATE ${customerStatus} SET exported = true WHERE customer_id = ANY(${arrayParam(ids, 'text')})`,
  );
}
