import { and, asc, count, inArray, type SQL, sql } from 'drizzle-orm';
import type { Customer, Milestone } from '../../domain/customer.js';
import { chunk, IDS_PER_STATEMENT, rowsPerStatement, unique } from '../batch.js';
import { customersFromRows, identityRows, normalizeCustomers, planCustomers } from '../customer-changes.js';
import type { CustomerIdentityIndex, IdentityLookup, UpsertCounts } from '../store.js';
import type { PgDb } from './connection.js';
import { arrayParam, rawRows } from './raw-rows.js';
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
import { type UnnestUpsert, unnestUpsert, unnestUpsertStatements } from './unnest-upsert.js';

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

const dirtyInsert: UnnestUpsert<typeof dirtyCustomers> = {
  table: dirtyCustomers,
  keys: ['customerId'],
  update: 'always',
};
const milestoneInsert: UnnestUpsert<typeof milestones> = {
  table: milestones,
  keys: ['customerId', 'milestone', 'occurredAt'],
  update: 'always',
};

export async function markDirty(tx: PgDb, customerIds: Iterable<string | null>): Promise<void> {
  const ids = unique([...customerIds].filter((id): id is string => id !== null));
  await unnestUpsert(
    tx,
    dirtyInsert,
    ids.map((customerId) => ({ customerId })),
  );
}

/** A milestone is its whole row: one already stored is left as is (and not counted). */
export async function upsertMilestones(db: PgDb, input: Milestone[]): Promise<UpsertCounts> {
  return db.transaction(async (tx) => {
    let inserted = 0;
    const touched = new Set<string>();
    for (const statement of unnestUpsertStatements(milestoneInsert, input)) {
      const { rows } = await tx.execute<{ customer_id: string }>(sql`${statement} RETURNING customer_id`);
      inserted += rows.length;
      for (const row of rows) touched.add(row.customer_id);
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

/** One statement for the whole lookup, each list bound as one array (see raw-rows.ts). */
export async function findCustomerIdentities(
  db: PgDb,
  lookup: IdentityLookup,
): Promise<CustomerIdentityIndex> {
  const lower = (values: string[]) => unique(values.map((v) => v.toLowerCase()));
  const rows = await rawRows<{ kind: 'id' | 'email' | 'domain'; value: string; customerId: string }>(
    db,
    sql`SELECT 'id' AS kind, c.id AS value, c.id AS "customerId" FROM ${customers} AS c
        WHERE c.id = ANY(${arrayParam(unique(lookup.externalIds), 'text')})
      UNION ALL
      -- Byte order, as SQLite compares: "the smaller id wins" must not depend on the collation.
      SELECT i.kind, i.value, min(i.customer_id COLLATE "C") FROM ${customerIdentities} AS i
        WHERE (i.kind = 'email' AND i.value = ANY(${arrayParam(lower(lookup.emails), 'text')}))
          OR (i.kind = 'domain' AND i.value = ANY(${arrayParam(lower(lookup.domains), 'text')}))
        GROUP BY i.kind, i.value`,
  );
  const byId = new Set<string>();
  const byEmail = new Map<string, string>();
  const byDomain = new Map<string, string>();
  for (const row of rows) {
    if (row.kind === 'id') byId.add(row.value);
    else (row.kind === 'email' ? byEmail : byDomain).set(row.value, row.customerId);
  }
  return { byId, byEmail, byDomain };
}
