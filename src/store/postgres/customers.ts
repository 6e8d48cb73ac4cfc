import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Customer, Milestone } from '../../domain/customer.js';
import { chunk, IDS_PER_STATEMENT, rowsPerStatement, unique } from '../batch.js';
import { customersFromRows, identityRows, normalizeCustomers, planCustomers } from '../customer-changes.js';
import type { CustomerIdentityIndex, IdentityLookup, UpsertCounts } from '../store.js';
import type { PgDb } from './connection.js';
import {
  customerIdentities,
  customerStatus,
  customers,
  dirtyCustomers,
  milestones,
  ticketLinks,
  tickets,
} from './schema.js';
import { markPendingWhere } from './ticket-queues.js';

export async function upsertCustomers(db: PgDb, input: Customer[]): Promise<UpsertCounts> {
  const incoming = normalizeCustomers(input);
  return db.transaction(async (tx) => {
    const stored = new Map<string, Customer>();
    for (const ids of chunk(
      incoming.map((c) => c.id),
      IDS_PER_STATEMENT,
    )) {
      const rows = await tx.select().from(customers).where(inArray(customers.id, ids));
      const identities = await tx
        .select()
        .from(customerIdentities)
        .where(inArray(customerIdentities.customerId, ids));
      for (const [id, customer] of customersFromRows(rows, identities)) stored.set(id, customer);
    }
    const plan = planCustomers(incoming, stored);
    const changedIds = plan.changed.map((c) => c.id);
    for (const part of chunk(plan.changed, rowsPerStatement(2))) {
      await tx
        .insert(customers)
        .values(part.map((c) => ({ id: c.id, name: c.name })))
        .onConflictDoUpdate({ target: customers.id, set: { name: sql`excluded.name` } });
    }
    for (const ids of chunk(changedIds, IDS_PER_STATEMENT)) {
      await tx.delete(customerIdentities).where(inArray(customerIdentities.customerId, ids));
      // The warehouse row carries the name: send it again even when the status stays the same.
      await tx.update(customerStatus).set({ exported: false }).where(inArray(customerStatus.customerId, ids));
    }
    for (const part of chunk(plan.changed.flatMap(identityRows), rowsPerStatement(3))) {
      await tx.insert(customerIdentities).values(part);
    }
    await markDirty(tx, changedIds);
    await markRelinks(tx, plan.changed);
    return plan.counts;
  });
}

/** Marks pending every ticket whose link could change because of these customers. */
async function markRelinks(tx: PgDb, changed: Customer[]): Promise<void> {
  if (changed.length === 0) return;
  const markWhere = (condition: SQL | undefined) => markPendingWhere(tx, condition);
  await markWhere(
    sql`NOT EXISTS (SELECT 1 FROM ${ticketLinks} WHERE ${ticketLinks.source} = ${tickets.source}
      AND ${ticketLinks.ticketId} = ${tickets.ticketId} AND ${ticketLinks.customerId} IS NOT NULL)`,
  );
  for (const part of chunk(
    changed.map((c) => c.id),
    IDS_PER_STATEMENT,
  )) {
    await markWhere(
      sql`(${tickets.source}, ${tickets.ticketId}) IN (SELECT ${ticketLinks.source}, ${ticketLinks.ticketId}
        FROM ${ticketLinks} WHERE ${inArray(ticketLinks.customerId, part)})`,
    );
    await markWhere(inArray(tickets.requesterExternalId, part));
    // A ticket linked by organization moves when an earlier organization in its list is now a customer.
    await markWhere(
      and(
        sql`(${tickets.source}, ${tickets.ticketId}) IN (SELECT ${ticketLinks.source}, ${ticketLinks.ticketId}
          FROM ${ticketLinks} WHERE ${ticketLinks.linkMethod} = 'organization')`,
        sql`jsonb_exists_any(${tickets.requesterOrgIds}, ARRAY[${sql.join(
          part.map((id) => sql`${id}`),
          sql`, `,
        )}]::text[])`,
      ),
    );
  }
  for (const part of chunk(unique(changed.flatMap((c) => c.emails)), IDS_PER_STATEMENT)) {
    await markWhere(inArray(tickets.requesterEmail, part));
  }
  for (const part of chunk(unique(changed.flatMap((c) => c.domains)), IDS_PER_STATEMENT)) {
    await markWhere(inArray(tickets.requesterDomain, part));
  }
}

export async function markDirty(tx: PgDb, customerIds: Iterable<string | null>): Promise<void> {
  const ids = unique([...customerIds].filter((id): id is string => id !== null));
  for (const part of chunk(ids, IDS_PER_STATEMENT)) {
    await tx
      .insert(dirtyCustomers)
      .values(part.map((customerId) => ({ customerId })))
      .onConflictDoNothing();
  }
}

export async function upsertMilestones(db: PgDb, input: Milestone[]): Promise<UpsertCounts> {
  return db.transaction(async (tx) => {
    let inserted = 0;
    const touched = new Set<string>();
    for (const part of chunk(input, rowsPerStatement(3))) {
      const rows = await tx
        .insert(milestones)
        .values(part)
        .onConflictDoNothing()
        .returning({ customerId: milestones.customerId });
      inserted += rows.length;
      for (const row of rows) touched.add(row.customerId);
    }
    await markDirty(tx, touched);
    return { inserted, updated: 0, unchanged: input.length - inserted };
  });
}

export async function countCustomers(db: PgDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(customers);
  return row?.n ?? 0;
}

export async function earliestMilestoneAt(db: PgDb): Promise<number | null> {
  const [row] = await db
    .select({ at: milestones.occurredAt })
    .from(milestones)
    .orderBy(asc(milestones.occurredAt))
    .limit(1);
  return row?.at ?? null;
}

export async function findCustomerIdentities(
  db: PgDb,
  lookup: IdentityLookup,
): Promise<CustomerIdentityIndex> {
  const byId = new Set<string>();
  for (const part of chunk(unique(lookup.externalIds), IDS_PER_STATEMENT)) {
    for (const row of await db
      .select({ id: customers.id })
      .from(customers)
      .where(inArray(customers.id, part))) {
      byId.add(row.id);
    }
  }
  const lookupKind = async (kind: 'email' | 'domain', values: string[]): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    for (const part of chunk(unique(values.map((v) => v.toLowerCase())), IDS_PER_STATEMENT)) {
      const rows = await db
        // Byte order, as SQLite compares: "the smaller id wins" must not depend on the collation.
        .select({
          value: customerIdentities.value,
          customerId: sql<string | null>`min(${customerIdentities.customerId} COLLATE "C")`,
        })
        .from(customerIdentities)
        .where(and(eq(customerIdentities.kind, kind), inArray(customerIdentities.value, part)))
        .groupBy(customerIdentities.value);
      for (const row of rows) if (row.customerId !== null) found.set(row.value, row.customerId);
    }
    return found;
  };
  return {
    byId,
    byEmail: await lookupKind('email', lookup.emails),
    byDomain: await lookupKind('domain', lookup.domains),
  };
}
