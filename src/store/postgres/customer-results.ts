import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { chunk, IDS_PER_STATEMENT, lastPerKey, rowsPerStatement } from '../batch.js';
import { customersFromRows } from '../customer-changes.js';
import { keyOf, keyPair, sameStatus, sameVerdict } from '../rows.js';
import { columnsExcept, pairConditions, setExcluded } from '../sql-helpers.js';
import type { CustomerFacts, CustomerResult, MetricPeriodRow, StatusSlim } from '../store.js';
import type { PgDb } from './connection.js';
import { markDirty } from './customers.js';
import {
  customerIdentities,
  customerStatus,
  customers,
  dirtyCustomers,
  metricPeriods,
  milestones,
  ticketLinks,
  ticketReasons,
  tickets,
} from './schema.js';

export async function markTimeDueCustomersDirty(
  db: PgDb,
  now: number,
  stalledBefore: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ customerId: customerStatus.customerId })
      .from(customerStatus)
      .where(
        or(
          and(eq(customerStatus.status, 'in_buffer'), lte(customerStatus.windowEnd, now)),
          // `<=`: the domain calls a customer stalled at exactly stallAfterDays (see customer-status.ts).
          and(eq(customerStatus.status, 'in_progress'), lte(customerStatus.windowStart, stalledBefore)),
        ),
      );
    await markDirty(
      tx,
      due.map((row) => row.customerId),
    );
    return due.length;
  });
}

export async function listDirtyCustomers(db: PgDb, limit: number): Promise<string[]> {
  const rows = await db.select().from(dirtyCustomers).orderBy(asc(dirtyCustomers.customerId)).limit(limit);
  return rows.map((row) => row.customerId);
}

export async function loadCustomerFacts(db: PgDb, customerIds: string[]): Promise<CustomerFacts[]> {
  const facts: CustomerFacts[] = [];
  for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
    const known = customersFromRows(
      await db.select().from(customers).where(inArray(customers.id, ids)),
      await db.select().from(customerIdentities).where(inArray(customerIdentities.customerId, ids)),
    );
    const byCustomer = new Map<string, CustomerFacts>();
    for (const id of ids) {
      const customer = known.get(id);
      if (customer) byCustomer.set(id, { customer, milestones: [], tickets: [] });
    }
    const milestoneRows = await db
      .select()
      .from(milestones)
      .where(inArray(milestones.customerId, ids))
      .orderBy(asc(milestones.occurredAt), asc(milestones.milestone));
    for (const row of milestoneRows) byCustomer.get(row.customerId)?.milestones.push(row);
    const ticketRows = await db
      .select({
        customerId: ticketLinks.customerId,
        source: tickets.source,
        ticketId: tickets.ticketId,
        createdAt: tickets.createdAt,
        deleted: tickets.deleted,
        merged: tickets.merged,
        outbound: tickets.outbound,
        reasonId: sql<string>`coalesce(${ticketReasons.reasonId}, 'unclassified')`,
      })
      .from(ticketLinks)
      .innerJoin(
        tickets,
        and(eq(tickets.source, ticketLinks.source), eq(tickets.ticketId, ticketLinks.ticketId)),
      )
      .leftJoin(
        ticketReasons,
        and(eq(ticketReasons.source, ticketLinks.source), eq(ticketReasons.ticketId, ticketLinks.ticketId)),
      )
      .where(inArray(ticketLinks.customerId, ids))
      .orderBy(asc(tickets.createdAt), asc(tickets.source), asc(tickets.ticketId));
    for (const { customerId, ...ticket } of ticketRows) {
      if (customerId !== null) byCustomer.get(customerId)?.tickets.push(ticket);
    }
    facts.push(...byCustomer.values());
  }
  return facts;
}

const statusValues = columnsExcept(customerStatus, 'customerId');
const verdictValues = {
  milestonePhase: ticketLinks.milestonePhase,
  inWindow: ticketLinks.inWindow,
  countsTowardMetric: ticketLinks.countsTowardMetric,
};

export async function saveCustomerResults(
  db: PgDb,
  customerIds: string[],
  input: CustomerResult[],
  computedAt: number,
): Promise<void> {
  const results = lastPerKey(input, (r) => r.status.customerId);
  await db.transaction(async (tx) => {
    for (const part of chunk(results, rowsPerStatement(10))) {
      const stored = await tx
        .select()
        .from(customerStatus)
        .where(
          inArray(
            customerStatus.customerId,
            part.map((r) => r.status.customerId),
          ),
        );
      const before = new Map(stored.map((row) => [row.customerId, row]));
      const changed = part.filter((r) => {
        const previous = before.get(r.status.customerId);
        return previous === undefined || !sameStatus(previous, r.status);
      });
      if (changed.length > 0) {
        await tx
          .insert(customerStatus)
          .values(changed.map((r) => ({ ...r.status, computedAt, exported: false })))
          .onConflictDoUpdate({ target: customerStatus.customerId, set: setExcluded(statusValues) });
      }
    }
    await saveVerdicts(tx, results);
    for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
      await tx.delete(dirtyCustomers).where(inArray(dirtyCustomers.customerId, ids));
    }
  });
}

/** Writes only the verdicts that changed, and only on links still pointing at that customer. */
async function saveVerdicts(tx: PgDb, results: CustomerResult[]): Promise<void> {
  const verdicts = lastPerKey(
    results.flatMap((r) => r.tickets.map((verdict) => ({ customerId: r.status.customerId, verdict }))),
    (v) => keyOf(v.verdict),
  );
  for (const part of chunk(verdicts, rowsPerStatement(7))) {
    const links = new Map<string, typeof ticketLinks.$inferSelect>();
    for (const condition of pairConditions(
      ticketLinks.source,
      ticketLinks.ticketId,
      part.map((v) => keyPair(v.verdict)),
    )) {
      for (const link of await tx.select().from(ticketLinks).where(condition)) links.set(keyOf(link), link);
    }
    const changed: Array<typeof ticketLinks.$inferSelect> = [];
    for (const { customerId, verdict } of part) {
      const link = links.get(keyOf(verdict));
      if (!link || link.customerId !== customerId || sameVerdict(link, verdict)) continue;
      const { milestonePhase, inWindow, countsTowardMetric } = verdict;
      changed.push({ ...link, milestonePhase, inWindow, countsTowardMetric });
    }
    if (changed.length === 0) continue;
    await tx
      .insert(ticketLinks)
      .values(changed)
      .onConflictDoUpdate({
        target: [ticketLinks.source, ticketLinks.ticketId],
        set: setExcluded(verdictValues),
      });
    for (const condition of pairConditions(tickets.source, tickets.ticketId, changed.map(keyPair))) {
      await tx.update(tickets).set({ exported: false }).where(condition);
    }
  }
}

export async function listStatuses(db: PgDb): Promise<StatusSlim[]> {
  return db
    .select({
      customerId: customerStatus.customerId,
      windowStart: customerStatus.windowStart,
      windowEnd: customerStatus.windowEnd,
      status: customerStatus.status,
    })
    .from(customerStatus)
    .orderBy(asc(customerStatus.customerId));
}

export async function saveMetricPeriods(db: PgDb, rows: MetricPeriodRow[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(metricPeriods);
    const unique = lastPerKey(rows, (r) => `${r.periodKind}/${r.periodStart}`);
    for (const part of chunk(unique, rowsPerStatement(6))) await tx.insert(metricPeriods).values(part);
  });
}

export async function listMetricPeriods(db: PgDb): Promise<MetricPeriodRow[]> {
  return db
    .select()
    .from(metricPeriods)
    .orderBy(asc(metricPeriods.periodKind), asc(metricPeriods.periodStart));
}
