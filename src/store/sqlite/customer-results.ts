import { and, asc, eq, gte, inArray, lt, lte, or } from 'drizzle-orm';
import type { Source } from '../../domain/ticket.js';
import { chunk, IDS_PER_STATEMENT, lastPerKey, rowsPerStatement } from '../batch.js';
import { customersFromRows } from '../customer-changes.js';
import { keyOf, periodKeyOf } from '../rows.js';
import type { CustomerFacts, CustomerResult, MetricPeriodRow, PeriodKey, StatusSlim } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { markDirty } from './customers.js';
import { clientOf, prepared } from './prepared.js';
import { customerIdentities, customerStatus, customers, dirtyCustomers, metricPeriods } from './schema.js';

export function markTimeDueCustomersDirty(db: SqliteDb, now: number, stalledBefore: number): number {
  return writeTransaction(db, (tx) => {
    const due = tx
      .select({ customerId: customerStatus.customerId })
      .from(customerStatus)
      .where(
        or(
          and(eq(customerStatus.status, 'in_buffer'), lte(customerStatus.windowEnd, now)),
          // `<=`: the domain calls a customer stalled at exactly stallAfterDays (see customer-status.ts).
          and(eq(customerStatus.status, 'in_progress'), lte(customerStatus.windowStart, stalledBefore)),
        ),
      )
      .all();
    markDirty(
      tx,
      due.map((row) => row.customerId),
    );
    return due.length;
  });
}

export function listDirtyCustomers(db: SqliteDb, limit: number): string[] {
  return db
    .select()
    .from(dirtyCustomers)
    .orderBy(asc(dirtyCustomers.customerId))
    .limit(limit)
    .all()
    .map((row) => row.customerId);
}

/** Prepared once, ids as one JSON parameter (see findCustomerIdentities): run per recompute batch. */
const MILESTONES_OF = `SELECT customer_id AS customerId, milestone, occurred_at AS occurredAt FROM milestones
  WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY occurred_at, milestone`;
const TICKETS_OF = `SELECT l.customer_id AS customerId, t.source, t.ticket_id AS ticketId, t.created_at AS createdAt,
    t.deleted, t.merged, t.outbound, coalesce(r.reason_id, 'unclassified') AS reasonId
  FROM ticket_links AS l
  JOIN tickets AS t ON t.source = l.source AND t.ticket_id = l.ticket_id
  LEFT JOIN ticket_reasons AS r ON r.source = l.source AND r.ticket_id = l.ticket_id
  WHERE l.customer_id IN (SELECT value FROM json_each(?))
  ORDER BY t.created_at, t.source, t.ticket_id`;

interface TicketFactsRow {
  customerId: string;
  source: Source;
  ticketId: string;
  createdAt: string;
  deleted: number;
  merged: number;
  outbound: number;
  reasonId: string;
}

export function loadCustomerFacts(db: SqliteDb, customerIds: string[]): CustomerFacts[] {
  const facts: CustomerFacts[] = [];
  const client = clientOf(db);
  for (const ids of chunk([...new Set(customerIds)], IDS_PER_STATEMENT)) {
    const known = customersFromRows(
      db.select().from(customers).where(inArray(customers.id, ids)).all(),
      db.select().from(customerIdentities).where(inArray(customerIdentities.customerId, ids)).all(),
    );
    const byCustomer = new Map<string, CustomerFacts>();
    for (const id of ids) {
      const customer = known.get(id);
      if (customer) byCustomer.set(id, { customer, milestones: [], tickets: [] });
    }
    const wanted = JSON.stringify(ids);
    const milestoneRows = prepared(client, MILESTONES_OF).all(wanted) as Array<{
      customerId: string;
      milestone: string;
      occurredAt: string;
    }>;
    for (const row of milestoneRows) {
      byCustomer.get(row.customerId)?.milestones.push({ ...row, occurredAt: Date.parse(row.occurredAt) });
    }
    for (const row of prepared(client, TICKETS_OF).all(wanted) as TicketFactsRow[]) {
      byCustomer.get(row.customerId)?.tickets.push({
        source: row.source,
        ticketId: row.ticketId,
        createdAt: Date.parse(row.createdAt),
        deleted: row.deleted === 1,
        merged: row.merged === 1,
        outbound: row.outbound === 1,
        reasonId: row.reasonId,
      });
    }
    facts.push(...byCustomer.values());
  }
  return facts;
}

/** A status row is rewritten (and re-exported) only when one of these differs. */
const STATUS_COLUMNS = [
  'window_start',
  'completed_at',
  'window_end',
  'status',
  'counting_tickets',
  'first_ticket_id',
  'first_ticket_reason',
] as const;
const SAVE_STATUS = `INSERT INTO customer_status (customer_id, ${STATUS_COLUMNS.join(', ')}, computed_at, exported)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
  ON CONFLICT (customer_id) DO UPDATE SET ${STATUS_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
    computed_at = excluded.computed_at, exported = 0
  WHERE ${STATUS_COLUMNS.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`;
/** Only on links still pointing at that customer, and only when the verdict changed. */
const SAVE_VERDICT = `UPDATE ticket_links SET milestone_phase = ?, in_window = ?, counts_toward_metric = ?
  WHERE source = ? AND ticket_id = ? AND customer_id = ?
    AND (milestone_phase IS NOT ? OR in_window IS NOT ? OR counts_toward_metric IS NOT ?)`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Prepared statements run per row (see prepared.ts): the first recompute after a backfill
 * writes a status for every customer and a verdict for every linked ticket.
 */
export function saveCustomerResults(
  db: SqliteDb,
  customerIds: string[],
  input: CustomerResult[],
  computedAt: number,
): void {
  const results = lastPerKey(input, (r) => r.status.customerId);
  writeTransaction(db, (tx) => {
    const client = clientOf(tx);
    const saveStatus = prepared(client, SAVE_STATUS);
    const at = iso(computedAt);
    for (const { status: s } of results) {
      saveStatus.run(
        s.customerId,
        iso(s.windowStart),
        iso(s.completedAt),
        iso(s.windowEnd),
        s.status,
        s.countingTickets,
        s.firstTicketId,
        s.firstTicketReason,
        at,
      );
    }
    saveVerdicts(tx, results);
    const clean = prepared(client, 'DELETE FROM dirty_customers WHERE customer_id = ?');
    for (const id of new Set(customerIds)) clean.run(id);
  });
}

function saveVerdicts(tx: SqliteDb, results: CustomerResult[]): void {
  const verdicts = lastPerKey(
    results.flatMap((r) => r.tickets.map((verdict) => ({ customerId: r.status.customerId, verdict }))),
    (v) => keyOf(v.verdict),
  );
  const client = clientOf(tx);
  const save = prepared(client, SAVE_VERDICT);
  const unexport = prepared(
    client,
    'INSERT INTO unexported_tickets (source, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  for (const { customerId, verdict: v } of verdicts) {
    const inWindow = v.inWindow ? 1 : 0;
    const counts = v.countsTowardMetric ? 1 : 0;
    const phase = v.milestonePhase;
    const args = [phase, inWindow, counts, v.source, v.ticketId, customerId, phase, inWindow, counts];
    if (save.run(args).changes > 0) unexport.run(v.source, v.ticketId);
  }
}

const slim = {
  customerId: customerStatus.customerId,
  windowStart: customerStatus.windowStart,
  windowEnd: customerStatus.windowEnd,
  status: customerStatus.status,
};

export function listStatuses(db: SqliteDb): StatusSlim[] {
  return db.select(slim).from(customerStatus).orderBy(asc(customerStatus.customerId)).all();
}

export function listStatusesOf(db: SqliteDb, customerIds: string[]): StatusSlim[] {
  return chunk([...new Set(customerIds)], IDS_PER_STATEMENT).flatMap((ids) =>
    db.select(slim).from(customerStatus).where(inArray(customerStatus.customerId, ids)).all(),
  );
}

export function listStatusesEndingBetween(db: SqliteDb, from: number, to: number): StatusSlim[] {
  return db
    .select(slim)
    .from(customerStatus)
    .where(and(gte(customerStatus.windowEnd, from), lt(customerStatus.windowEnd, to)))
    .all();
}

export function saveMetricPeriods(db: SqliteDb, rows: MetricPeriodRow[], only?: PeriodKey[]): void {
  writeTransaction(db, (tx) => {
    const keep = only === undefined ? null : new Set(only.map(periodKeyOf));
    if (keep === null) tx.delete(metricPeriods).run();
    else {
      const drop = prepared(
        clientOf(tx),
        'DELETE FROM metric_periods WHERE period_kind = ? AND period_start = ?',
      );
      for (const key of only ?? []) drop.run(key.periodKind, key.periodStart);
    }
    const unique = lastPerKey(rows, periodKeyOf).filter((r) => keep === null || keep.has(periodKeyOf(r)));
    for (const part of chunk(unique, rowsPerStatement(6))) tx.insert(metricPeriods).values(part).run();
  });
}

export function listMetricPeriods(db: SqliteDb): MetricPeriodRow[] {
  return db
    .select()
    .from(metricPeriods)
    .orderBy(asc(metricPeriods.periodKind), asc(metricPeriods.periodStart))
    .all();
}
