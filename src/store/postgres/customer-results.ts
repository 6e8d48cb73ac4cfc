import { and, asc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Milestone } from '../../domain/customer.js';
import { chunk, IDS_PER_STATEMENT, lastPerKey, rowsPerStatement } from '../batch.js';
import { customersFromRows } from '../customer-changes.js';
import { keyOf, periodKeyOf } from '../rows.js';
import type {
  CustomerFacts,
  CustomerResult,
  LinkedTicketFacts,
  MetricPeriodRow,
  PeriodKey,
  StatusSlim,
} from '../store.js';
import type { PgDb } from './connection.js';
import { markDirty } from './customers.js';
import { arrayParam, epochMs, rawRows } from './raw-rows.js';
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
  unexportedTickets,
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

/**
 * Four statements for the whole batch, each binding the ids as one array, read as `pg` parses
 * them (see raw-rows.ts): every customer's facts are loaded again on a full recompute.
 */
export async function loadCustomerFacts(db: PgDb, customerIds: string[]): Promise<CustomerFacts[]> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return [];
  const wanted = arrayParam(ids, 'text');
  const known = customersFromRows(
    await rawRows<{ id: string; name: string }>(
      db,
      sql`SELECT id, name FROM ${customers} WHERE id = ANY(${wanted})`,
    ),
    await rawRows<{ customerId: string; kind: 'email' | 'domain'; value: string }>(
      db,
      sql`SELECT customer_id AS "customerId", kind, value FROM ${customerIdentities}
        WHERE customer_id = ANY(${wanted})`,
    ),
  );
  const byCustomer = new Map<string, CustomerFacts>();
  for (const id of ids) {
    const customer = known.get(id);
    if (customer) byCustomer.set(id, { customer, milestones: [], tickets: [] });
  }
  const milestoneRows = await rawRows<Milestone>(
    db,
    sql`SELECT customer_id AS "customerId", milestone, ${epochMs(sql`occurred_at`)} AS "occurredAt"
      FROM ${milestones} WHERE customer_id = ANY(${wanted}) ORDER BY occurred_at, milestone`,
  );
  for (const row of milestoneRows) byCustomer.get(row.customerId)?.milestones.push(row);
  const ticketRows = await rawRows<LinkedTicketFacts & { customerId: string }>(
    db,
    sql`SELECT l.customer_id AS "customerId", t.source, t.ticket_id AS "ticketId",
        ${epochMs(sql`t.created_at`)} AS "createdAt", t.deleted, t.merged, t.outbound,
        coalesce(r.reason_id, 'unclassified') AS "reasonId"
      FROM ${ticketLinks} AS l
      JOIN ${tickets} AS t ON t.source = l.source AND t.ticket_id = l.ticket_id
      LEFT JOIN ${ticketReasons} AS r ON r.source = l.source AND r.ticket_id = l.ticket_id
      WHERE l.customer_id = ANY(${wanted})
      ORDER BY t.created_at, t.source, t.ticket_id`,
  );
  for (const { customerId, ...ticket } of ticketRows) byCustomer.get(customerId)?.tickets.push(ticket);
  return [...byCustomer.values()];
}

/** Rows per statement: arrays bind as one parameter each, so this only bounds memory. */
const ROWS_PER_STATEMENT = 5_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const param = (values: unknown[]) => sql.param(values);

/**
 * One statement per few thousand rows, each column bound as one array and unnested: a status
 * row is rewritten (and re-exported) only when a status column differs, as SQLite's does.
 */
export async function saveCustomerResults(
  db: PgDb,
  customerIds: string[],
  input: CustomerResult[],
  computedAt: number,
): Promise<void> {
  const results = lastPerKey(input, (r) => r.status.customerId);
  await db.transaction(async (tx) => {
    for (const part of chunk(results, ROWS_PER_STATEMENT)) {
      const s = part.map((r) => r.status);
      await tx.execute(sql`INSERT INTO ${customerStatus} (customer_id, window_start, completed_at, window_end,
          status, counting_tickets, first_ticket_id, first_ticket_reason, computed_at, exported)
        SELECT u.*, ${iso(computedAt)}::timestamptz, false FROM unnest(
          ${param(s.map((x) => x.customerId))}::text[], ${param(s.map((x) => iso(x.windowStart)))}::timestamptz[],
          ${param(s.map((x) => iso(x.completedAt)))}::timestamptz[], ${param(s.map((x) => iso(x.windowEnd)))}::timestamptz[],
          ${param(s.map((x) => x.status))}::text[], ${param(s.map((x) => x.countingTickets))}::int[],
          ${param(s.map((x) => x.firstTicketId))}::text[], ${param(s.map((x) => x.firstTicketReason))}::text[]) AS u
        ON CONFLICT (customer_id) DO UPDATE SET window_start = excluded.window_start,
          completed_at = excluded.completed_at, window_end = excluded.window_end, status = excluded.status,
          counting_tickets = excluded.counting_tickets, first_ticket_id = excluded.first_ticket_id,
          first_ticket_reason = excluded.first_ticket_reason, computed_at = excluded.computed_at, exported = false
        WHERE (${customerStatus}.window_start, ${customerStatus}.completed_at, ${customerStatus}.window_end,
            ${customerStatus}.status, ${customerStatus}.counting_tickets, ${customerStatus}.first_ticket_id,
            ${customerStatus}.first_ticket_reason)
          IS DISTINCT FROM (excluded.window_start, excluded.completed_at, excluded.window_end, excluded.status,
            excluded.counting_tickets, excluded.first_ticket_id, excluded.first_ticket_reason)`);
    }
    await saveVerdicts(tx, results);
    const ids = [...new Set(customerIds)];
    if (ids.length > 0) {
      await tx.execute(sql`DELETE FROM ${dirtyCustomers} WHERE customer_id = ANY(${param(ids)}::text[])`);
    }
  });
}

/**
 * Writes only the verdicts that changed, and only on links still pointing at that customer;
 * the tickets whose verdict changed are marked unexported in the same statement.
 */
async function saveVerdicts(tx: PgDb, results: CustomerResult[]): Promise<void> {
  const verdicts = lastPerKey(
    results.flatMap((r) => r.tickets.map((verdict) => ({ customerId: r.status.customerId, verdict }))),
    (v) => keyOf(v.verdict),
  );
  for (const part of chunk(verdicts, ROWS_PER_STATEMENT)) {
    const v = part.map((p) => p.verdict);
    await tx.execute(sql`WITH v AS (
        SELECT * FROM unnest(${param(v.map((x) => x.source))}::text[], ${param(v.map((x) => x.ticketId))}::text[],
          ${param(part.map((p) => p.customerId))}::text[], ${param(v.map((x) => x.milestonePhase))}::text[],
          ${param(v.map((x) => x.inWindow))}::boolean[], ${param(v.map((x) => x.countsTowardMetric))}::boolean[])
          AS v(source, ticket_id, customer_id, phase, in_window, counts)
      ), changed AS (
        UPDATE ${ticketLinks} AS l SET milestone_phase = v.phase, in_window = v.in_window,
          counts_toward_metric = v.counts
        FROM v WHERE l.source = v.source AND l.ticket_id = v.ticket_id AND l.customer_id = v.customer_id
          AND (l.milestone_phase, l.in_window, l.counts_toward_metric) IS DISTINCT FROM (v.phase, v.in_window, v.counts)
        RETURNING l.source, l.ticket_id
      )
      INSERT INTO ${unexportedTickets} (source, ticket_id) SELECT source, ticket_id FROM changed
      ON CONFLICT DO NOTHING`);
  }
}

const slim = {
  customerId: customerStatus.customerId,
  windowStart: customerStatus.windowStart,
  windowEnd: customerStatus.windowEnd,
  status: customerStatus.status,
};

export async function listStatuses(db: PgDb): Promise<StatusSlim[]> {
  return db.select(slim).from(customerStatus).orderBy(asc(customerStatus.customerId));
}

export async function listStatusesOf(db: PgDb, customerIds: string[]): Promise<StatusSlim[]> {
  const found: StatusSlim[] = [];
  for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
    found.push(
      ...(await db.select(slim).from(customerStatus).where(inArray(customerStatus.customerId, ids))),
    );
  }
  return found;
}

export async function listStatusesEndingBetween(db: PgDb, from: number, to: number): Promise<StatusSlim[]> {
  return db
    .select(slim)
    .from(customerStatus)
    .where(and(gte(customerStatus.windowEnd, from), lt(customerStatus.windowEnd, to)));
}

export async function saveMetricPeriods(
  db: PgDb,
  rows: MetricPeriodRow[],
  only?: PeriodKey[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const keep = only === undefined ? null : new Set(only.map(periodKeyOf));
    if (only === undefined) await tx.delete(metricPeriods);
    else if (only.length > 0) {
      // One statement for every period named: two parallel arrays, unnested.
      await tx.execute(sql`DELETE FROM ${metricPeriods} USING
        unnest(${sql.param(only.map((k) => k.periodKind))}::text[],
          ${sql.param(only.map((k) => k.periodStart))}::date[]) AS k(kind, start)
        WHERE ${metricPeriods.periodKind} = k.kind AND ${metricPeriods.periodStart} = k.start`);
    }
    const unique = lastPerKey(rows, periodKeyOf).filter((r) => keep === null || keep.has(periodKeyOf(r)));
    for (const part of chunk(unique, rowsPerStatement(6))) await tx.insert(metricPeriods).values(part);
  });
}

export async function listMetricPeriods(db: PgDb): Promise<MetricPeriodRow[]> {
  return db
    .select()
    .from(metricPeriods)
    .orderBy(asc(metricPeriods.periodKind), asc(metricPeriods.periodStart));
}
