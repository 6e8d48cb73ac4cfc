import { and, count, countDistinct, eq, isNotNull, sql } from 'drizzle-orm';
import type { ReasonCustomersRow, ReasonPhaseRow } from '../store.js';
import type { SqliteDb } from './connection.js';
import { ticketLinks, ticketReasons } from './schema.js';

// Counting tickets are linked by definition, so `ticket_links` alone holds them; the reason is
// joined the same way `reports.ts` does (no row means `unclassified`).
const reasonOf = and(
  eq(ticketReasons.source, ticketLinks.source),
  eq(ticketReasons.ticketId, ticketLinks.ticketId),
);
const reasonOrUnclassified = sql<string>`coalesce(${ticketReasons.reasonId}, 'unclassified')`;

export function reasonPhases(db: SqliteDb): ReasonPhaseRow[] {
  return db
    .select({ reasonId: reasonOrUnclassified, milestonePhase: ticketLinks.milestonePhase, tickets: count() })
    .from(ticketLinks)
    .leftJoin(ticketReasons, reasonOf)
    .where(eq(ticketLinks.countsTowardMetric, true))
    .groupBy(reasonOrUnclassified, ticketLinks.milestonePhase)
    .orderBy(reasonOrUnclassified, sql`${ticketLinks.milestonePhase} asc nulls first`)
    .all();
}

export function reasonCustomers(db: SqliteDb): ReasonCustomersRow[] {
  return db
    .select({ reasonId: reasonOrUnclassified, customers: countDistinct(ticketLinks.customerId) })
    .from(ticketLinks)
    .leftJoin(ticketReasons, reasonOf)
    .where(and(eq(ticketLinks.countsTowardMetric, true), isNotNull(ticketLinks.customerId)))
    .groupBy(reasonOrUnclassified)
    .orderBy(reasonOrUnclassified)
    .all();
}
