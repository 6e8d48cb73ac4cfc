import { and, asc, count, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { ClassifiedBy } from '../../domain/reason.js';
import type {
  ClassifiedTicketFilter,
  ClassifiedTicketRow,
  LabelledTicket,
  ManualReasonRecord,
} from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { customerStatus, manualReasons, ticketLinks, ticketReasons, tickets } from './schema.js';
import { markPendingCounting } from './ticket-queues.js';

const linkOf = and(eq(ticketLinks.source, tickets.source), eq(ticketLinks.ticketId, tickets.ticketId));
const reasonOf = and(eq(ticketReasons.source, tickets.source), eq(ticketReasons.ticketId, tickets.ticketId));
const LABEL_SOURCES: ClassifiedBy[] = ['manual', 'tag', 'field'];
/** Customer tickets: what an owner reads and the model learns from. */
const customerTicket = and(
  eq(tickets.deleted, false),
  eq(tickets.merged, false),
  eq(tickets.outbound, false),
);

export function listManualReasons(db: SqliteDb): ManualReasonRecord[] {
  return db
    .select()
    .from(manualReasons)
    .orderBy(asc(manualReasons.source), asc(manualReasons.ticketId))
    .all();
}

export function renameManualReasons(db: SqliteDb, from: string, to: string): number {
  return writeTransaction(
    db,
    (tx) =>
      tx.update(manualReasons).set({ reasonId: to }).where(eq(manualReasons.reasonId, from)).run().changes,
  );
}

export function listLabelledTickets(db: SqliteDb, limit: number): LabelledTicket[] {
  return db
    .select({
      source: tickets.source,
      ticketId: tickets.ticketId,
      text: tickets.body,
      reasonId: ticketReasons.reasonId,
      classifiedBy: ticketReasons.classifiedBy,
    })
    .from(tickets)
    .innerJoin(ticketReasons, reasonOf)
    .where(and(customerTicket, inArray(ticketReasons.classifiedBy, LABEL_SOURCES)))
    .orderBy(desc(tickets.createdAt), asc(tickets.source), asc(tickets.ticketId))
    .limit(limit)
    .all();
}

export function countLabels(db: SqliteDb): Record<string, number> {
  const rows = db
    .select({ reasonId: ticketReasons.reasonId, n: count() })
    .from(tickets)
    .innerJoin(ticketReasons, reasonOf)
    .where(and(customerTicket, inArray(ticketReasons.classifiedBy, LABEL_SOURCES)))
    .groupBy(ticketReasons.reasonId)
    .all();
  return Object.fromEntries(rows.map((r) => [r.reasonId, r.n]));
}

export function markTicketsPendingClassifiedBy(db: SqliteDb, by: ClassifiedBy[]): number {
  if (by.length === 0) return 0;
  const classified = db
    .select({ x: sql`1` })
    .from(ticketReasons)
    .where(and(reasonOf, inArray(ticketReasons.classifiedBy, by)));
  return writeTransaction(db, (tx) => markPendingCounting(tx, sql`exists ${classified}`));
}

export function listClassifiedTickets(db: SqliteDb, filter: ClassifiedTicketFilter): ClassifiedTicketRow[] {
  const conditions: SQL[] = [customerTicket as SQL];
  if (filter.reasonId !== undefined) conditions.push(eq(ticketReasons.reasonId, filter.reasonId));
  if (filter.from !== undefined) conditions.push(gte(tickets.createdAt, filter.from));
  if (filter.to !== undefined) conditions.push(lt(tickets.createdAt, filter.to));
  return db
    .select({
      source: tickets.source,
      ticketId: tickets.ticketId,
      subject: tickets.subject,
      text: tickets.body,
      createdAt: tickets.createdAt,
      customerId: ticketLinks.customerId,
      milestonePhase: ticketLinks.milestonePhase,
      countsTowardMetric: ticketLinks.countsTowardMetric,
      reasonId: ticketReasons.reasonId,
      confidence: ticketReasons.confidence,
      classifiedBy: ticketReasons.classifiedBy,
      detail: ticketReasons.detail,
    })
    .from(tickets)
    .innerJoin(ticketReasons, reasonOf)
    .leftJoin(ticketLinks, linkOf)
    .where(and(...conditions))
    .orderBy(desc(tickets.createdAt), asc(tickets.source), asc(tickets.ticketId))
    .limit(filter.limit)
    .all()
    .map((row) => ({
      ...row,
      customerId: row.customerId ?? null,
      milestonePhase: row.milestonePhase ?? null,
      countsTowardMetric: row.countsTowardMetric ?? false,
    }));
}

export function countTicketsByReason(
  db: SqliteDb,
  from: number,
  to: number,
): Array<{ reasonId: string; tickets: number }> {
  return db
    .select({ reasonId: ticketReasons.reasonId, tickets: count() })
    .from(tickets)
    .innerJoin(ticketReasons, reasonOf)
    .where(and(customerTicket, gte(tickets.createdAt, from), lt(tickets.createdAt, to)))
    .groupBy(ticketReasons.reasonId)
    .orderBy(ticketReasons.reasonId)
    .all();
}

export function countLostZeroByReason(db: SqliteDb): Array<{ reasonId: string; customers: number }> {
  return db
    .select({ reasonId: sql<string>`${customerStatus.firstTicketReason}`, customers: count() })
    .from(customerStatus)
    .where(
      and(eq(customerStatus.status, 'had_tickets'), sql`${customerStatus.firstTicketReason} is not null`),
    )
    .groupBy(customerStatus.firstTicketReason)
    .orderBy(customerStatus.firstTicketReason)
    .all();
}
