import { and, eq, sql } from 'drizzle-orm';
import { chunk, lastPerKey } from '../batch.js';
import { keyOf, type TicketRow, ticketFromRow } from '../rows.js';
import type { PendingTicket, TicketKey, TicketResult } from '../store.js';
import type { PgDb } from './connection.js';
import { epochMs } from './raw-rows.js';
import {
  dirtyCustomers,
  manualReasons,
  pendingTickets,
  ticketLinks,
  ticketReasons,
  tickets,
  unexportedTickets,
} from './schema.js';
import { withoutNul } from './text.js';
import { markPendingCounting, markPendingWhere, readQueue } from './ticket-queues.js';

interface PendingRow extends TicketRow {
  currentCustomerId: string | null;
  manualReasonId: string | null;
  manualAuthor: string | null;
  currentReasonId: string | null;
}

const ticketColumns = sql`t.source, t.ticket_id AS "ticketId", t.connection_id AS "connectionId",
  ${epochMs(sql`t.created_at`)} AS "createdAt", ${epochMs(sql`t.updated_at`)} AS "updatedAt",
  t.status, t.subject, t.body, t.tags, t.fields, t.requester_id AS "requesterId",
  t.requester_external_id AS "requesterExternalId", t.requester_email AS "requesterEmail",
  t.requester_domain AS "requesterDomain", t.requester_org_ids AS "requesterOrgIds", t.outbound, t.deleted,
  t.merged`;

/** Hand-written SQL, read as `pg` parses it: this runs for every ticket synced (see raw-rows.ts). */
export async function listPendingTickets(
  db: PgDb,
  limit: number,
  after?: TicketKey,
): Promise<PendingTicket[]> {
  const rows = await readQueue<PendingRow>(
    db,
    pendingTickets,
    { limit, after },
    sql`${ticketColumns}, l.customer_id AS "currentCustomerId", m.reason_id AS "manualReasonId",
      m.author AS "manualAuthor", r.reason_id AS "currentReasonId"`,
    sql`LEFT JOIN ${ticketLinks} AS l ON l.source = t.source AND l.ticket_id = t.ticket_id
      LEFT JOIN ${manualReasons} AS m ON m.source = t.source AND m.ticket_id = t.ticket_id
      LEFT JOIN ${ticketReasons} AS r ON r.source = t.source AND r.ticket_id = t.ticket_id`,
  );
  return rows.map((row) => ({
    ticket: ticketFromRow(row),
    currentCustomerId: row.currentCustomerId,
    manualReasonId: row.manualReasonId,
    manualAuthor: row.manualAuthor,
    currentReasonId: row.currentReasonId,
  }));
}

/** Rows per statement: arrays bind as one parameter each, so this only bounds memory. */
const ROWS_PER_STATEMENT = 5_000;
const param = (values: unknown[]) => sql.param(values);

/**
 * One statement per few thousand results, each column bound as one array and unnested. All its
 * parts see the rows as they were before it, so `before` holds the previous customer of each
 * link: window verdicts belong to the customer they were computed for (a new one starts over),
 * and both the previous and the new customer are marked dirty.
 */
export async function saveTicketResults(db: PgDb, input: TicketResult[], now: number): Promise<void> {
  const results = lastPerKey(input, keyOf);
  await db.transaction(async (tx) => {
    for (const part of chunk(results, ROWS_PER_STATEMENT)) {
      const c = part.map((r) => withoutNul(r.classification));
      const kept = sql`ticket_links.customer_id IS NOT DISTINCT FROM excluded.customer_id`;
      await tx.execute(sql`WITH v AS (
          SELECT * FROM unnest(${param(part.map((r) => r.source))}::text[],
            ${param(part.map((r) => r.ticketId))}::text[], ${param(part.map((r) => r.customerId))}::text[],
            ${param(part.map((r) => r.linkMethod))}::text[], ${param(c.map((x) => x.reasonId))}::text[],
            ${param(c.map((x) => x.confidence))}::float8[], ${param(c.map((x) => x.classifiedBy))}::text[],
            ${param(c.map((x) => x.detail))}::text[])
            AS v(source, ticket_id, customer_id, link_method, reason_id, confidence, classified_by, detail)
        ), before AS (
          SELECT l.customer_id FROM ${ticketLinks} AS l JOIN v ON l.source = v.source AND l.ticket_id = v.ticket_id
        ), links AS (
          INSERT INTO ${ticketLinks} (source, ticket_id, customer_id, link_method, milestone_phase, in_window,
            counts_toward_metric)
          SELECT source, ticket_id, customer_id, link_method, NULL, false, false FROM v
          ON CONFLICT (source, ticket_id) DO UPDATE SET customer_id = excluded.customer_id,
            link_method = excluded.link_method,
            milestone_phase = CASE WHEN ${kept} THEN ticket_links.milestone_phase END,
            in_window = ticket_links.in_window AND ${kept},
            counts_toward_metric = ticket_links.counts_toward_metric AND ${kept}
        ), reasons AS (
          INSERT INTO ${ticketReasons} (source, ticket_id, reason_id, confidence, classified_by, detail, classified_at)
          SELECT source, ticket_id, reason_id, confidence, classified_by, detail,
            ${new Date(now).toISOString()}::timestamptz FROM v
          ON CONFLICT (source, ticket_id) DO UPDATE SET reason_id = excluded.reason_id,
            confidence = excluded.confidence, classified_by = excluded.classified_by, detail = excluded.detail,
            classified_at = excluded.classified_at
        ), done AS (
          DELETE FROM ${pendingTickets} AS p USING v WHERE p.source = v.source AND p.ticket_id = v.ticket_id
        ), queued AS (
          INSERT INTO ${unexportedTickets} (source, ticket_id) SELECT source, ticket_id FROM v
          ON CONFLICT DO NOTHING
        )
        INSERT INTO ${dirtyCustomers} (customer_id)
          SELECT customer_id FROM before WHERE customer_id IS NOT NULL
          UNION SELECT customer_id FROM v WHERE customer_id IS NOT NULL
        ON CONFLICT DO NOTHING`);
    }
  });
}

export async function markAllTicketsPending(db: PgDb): Promise<number> {
  return db.transaction((tx) => markPendingCounting(tx));
}

export async function setManualReason(
  db: PgDb,
  key: TicketKey,
  reasonId: string | null,
  author: string,
  at: number,
): Promise<boolean> {
  const match = and(eq(tickets.source, key.source), eq(tickets.ticketId, key.ticketId));
  return db.transaction(async (tx) => {
    // Pending again, so the next link+classify pass applies (or drops) the correction.
    const [found] = await tx.select({ x: sql`1` }).from(tickets).where(match);
    if (found === undefined) return false;
    await markPendingWhere(tx, match);
    if (reasonId === null) {
      await tx
        .delete(manualReasons)
        .where(and(eq(manualReasons.source, key.source), eq(manualReasons.ticketId, key.ticketId)));
    } else {
      await tx
        .insert(manualReasons)
        .values({ ...key, reasonId, author, createdAt: at })
        .onConflictDoUpdate({
          target: [manualReasons.source, manualReasons.ticketId],
          set: { reasonId, author, createdAt: at },
        });
    }
    return true;
  });
}
