import { and, asc, count, inArray, sql } from 'drizzle-orm';
import type { Customer, Milestone } from '../../domain/customer.js';
import { chunk, IDS_PER_STATEMENT, rowsPerStatement, unique } from '../batch.js';
import { customersFromRows, identityRows, normalizeCustomers, planCustomers } from '../customer-changes.js';
import type { CustomerIdentityIndex, IdentityLookup, UpsertCounts } from '../store.js';
import { type SqliteDb, writeTransaction } from './connection.js';
import { clientOf, prepared } from './prepared.js';
import { customerIdentities, customerStatus, customers, milestones, ticketLinks, tickets } from './schema.js';
import { markPendingWhere } from './ticket-queues.js';

export function upsertCustomers(db: SqliteDb, input: Customer[]): UpsertCounts {
  const incoming = normalizeCustomers(input);
  return writeTransaction(db, (tx) => {
    const stored = new Map<string, Customer>();
    for (const ids of chunk(
      incoming.map((c) => c.id),
      IDS_PER_STATEMENT,
    )) {
      const rows = tx.select().from(customers).where(inArray(customers.id, ids)).all();
      const identities = tx
        .select()
        .from(customerIdentities)
        .where(inArray(customerIdentities.customerId, ids))
        .all();
      for (const [id, customer] of customersFromRows(rows, identities)) stored.set(id, customer);
    }
    const plan = planCustomers(incoming, stored);
    const changedIds = plan.changed.map((c) => c.id);
    for (const part of chunk(plan.changed, rowsPerStatement(2))) {
      tx.insert(customers)
        .values(part.map((c) => ({ id: c.id, name: c.name })))
        .onConflictDoUpdate({ target: customers.id, set: { name: sql`excluded.name` } })
        .run();
    }
    for (const ids of chunk(changedIds, IDS_PER_STATEMENT)) {
      tx.delete(customerIdentities).where(inArray(customerIdentities.customerId, ids)).run();
      // The warehouse row carries the name: send it again even when the status stays the same.
      tx.update(customerStatus).set({ exported: false }).where(inArray(customerStatus.customerId, ids)).run();
    }
    for (const part of chunk(plan.changed.flatMap(identityRows), rowsPerStatement(3))) {
      tx.insert(customerIdentities).values(part).run();
    }
    markDirty(tx, changedIds);
    markRelinks(tx, plan.changed);
    return plan.counts;
  });
}

/** Marks pending every ticket whose link could change because of these customers. */
function markRelinks(tx: SqliteDb, changed: Customer[]): void {
  if (changed.length === 0) return;
  markPendingWhere(
    tx,
    sql`NOT EXISTS (SELECT 1 FROM ${ticketLinks} WHERE ${ticketLinks.source} = ${tickets.source}
      AND ${ticketLinks.ticketId} = ${tickets.ticketId} AND ${ticketLinks.customerId} IS NOT NULL)`,
  );
  const ids = changed.map((c) => c.id);
  for (const part of chunk(ids, IDS_PER_STATEMENT)) {
    markPendingWhere(
      tx,
      sql`(${tickets.source}, ${tickets.ticketId}) IN (SELECT ${ticketLinks.source}, ${ticketLinks.ticketId}
        FROM ${ticketLinks} WHERE ${inArray(ticketLinks.customerId, part)})`,
    );
    markPendingWhere(tx, inArray(tickets.requesterExternalId, part));
    // A ticket linked by organization moves when an earlier organization in its list is now a customer.
    markPendingWhere(
      tx,
      and(
        sql`(${tickets.source}, ${tickets.ticketId}) IN (SELECT ${ticketLinks.source}, ${ticketLinks.ticketId}
          FROM ${ticketLinks} WHERE ${ticketLinks.linkMethod} = 'organization')`,
        sql`EXISTS (SELECT 1 FROM json_each(${tickets.requesterOrgIds}) WHERE value IN ${part})`,
      ),
    );
  }
  for (const part of chunk(unique(changed.flatMap((c) => c.emails)), IDS_PER_STATEMENT)) {
    markPendingWhere(tx, inArray(tickets.requesterEmail, part));
  }
  for (const part of chunk(unique(changed.flatMap((c) => c.domains)), IDS_PER_STATEMENT)) {
    markPendingWhere(tx, inArray(tickets.requesterDomain, part));
  }
}

export function markDirty(tx: SqliteDb, customerIds: Iterable<string | null>): void {
  const ids = unique([...customerIds].filter((id): id is string => id !== null));
  const mark = prepared(
    clientOf(tx),
    'INSERT INTO dirty_customers (customer_id) VALUES (?) ON CONFLICT DO NOTHING',
  );
  for (const id of ids) mark.run(id);
}

export function upsertMilestones(db: SqliteDb, input: Milestone[]): UpsertCounts {
  return writeTransaction(db, (tx) => {
    let inserted = 0;
    const touched = new Set<string>();
    for (const part of chunk(input, rowsPerStatement(3))) {
      const rows = tx
        .insert(milestones)
        .values(part)
        .onConflictDoNothing()
        .returning({ customerId: milestones.customerId })
        .all();
      inserted += rows.length;
      for (const row of rows) touched.add(row.customerId);
    }
    markDirty(tx, touched);
    return { inserted, updated: 0, unchanged: input.length - inserted };
  });
}

export function countCustomers(db: SqliteDb): number {
  return db.select({ n: count() }).from(customers).get()?.n ?? 0;
}

export function earliestMilestoneAt(db: SqliteDb): number | null {
  const row = db
    .select({ at: milestones.occurredAt })
    .from(milestones)
    .orderBy(asc(milestones.occurredAt))
    .limit(1)
    .get();
  return row?.at ?? null;
}

/**
 * Prepared once and given the whole list as one JSON parameter: this runs for every batch of
 * synced tickets, and building an `IN (…)` query per batch cost more than the lookup.
 */
const IDS_FOUND = 'SELECT id FROM customers WHERE id IN (SELECT value FROM json_each(?))';
const IDENTITIES_FOUND = `SELECT value, min(customer_id) AS customerId FROM customer_identities
  WHERE kind = ? AND value IN (SELECT value FROM json_each(?)) GROUP BY value`;

export function findCustomerIdentities(db: SqliteDb, lookup: IdentityLookup): CustomerIdentityIndex {
  const client = clientOf(db);
  const ids = prepared(client, IDS_FOUND).pluck();
  const byId = new Set<string>(ids.all(JSON.stringify(unique(lookup.externalIds))) as string[]);
  const identities = prepared(client, IDENTITIES_FOUND);
  const lookupKind = (kind: 'email' | 'domain', values: string[]): Map<string, string> => {
    const found = new Map<string, string>();
    const wanted = JSON.stringify(unique(values.map((v) => v.toLowerCase())));
    for (const row of identities.all(kind, wanted) as Array<{ value: string; customerId: string | null }>) {
      if (row.customerId !== null) found.set(row.value, row.customerId);
    }
    return found;
  };
  return {
    byId,
    byEmail: lookupKind('email', lookup.emails),
    byDomain: lookupKind('domain', lookup.domains),
  };
}
