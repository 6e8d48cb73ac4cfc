import type { Customer } from '../domain/customer.js';
import { lastPerKey } from './batch.js';
import type { UpsertCounts } from './store.js';

export interface IdentityRow {
  customerId: string;
  kind: 'email' | 'domain';
  value: string;
}

/**
 * The form customers are stored and compared in: identities trimmed, lower-cased (lookups are
 * by lower-cased key), deduplicated and sorted, so re-importing the same file in another order
 * changes nothing.
 */
export function normalizeCustomers(customers: readonly Customer[]): Customer[] {
  return lastPerKey(customers, (c) => c.id).map((c) => ({
    id: c.id,
    name: c.name,
    emails: normalizeIdentities(c.emails),
    domains: normalizeIdentities(c.domains),
  }));
}

function normalizeIdentities(values: readonly string[]): string[] {
  const set = new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ''));
  return [...set].sort();
}

/** Stored customers rebuilt from their rows, identities sorted like {@link normalizeCustomers}. */
export function customersFromRows(
  customers: ReadonlyArray<{ id: string; name: string }>,
  identities: readonly IdentityRow[],
): Map<string, Customer> {
  const byId = new Map<string, Customer>();
  for (const c of customers) byId.set(c.id, { id: c.id, name: c.name, emails: [], domains: [] });
  for (const identity of identities) {
    const customer = byId.get(identity.customerId);
    if (!customer) continue;
    (identity.kind === 'email' ? customer.emails : customer.domains).push(identity.value);
  }
  for (const customer of byId.values()) {
    customer.emails.sort();
    customer.domains.sort();
  }
  return byId;
}

export interface CustomerPlan {
  counts: UpsertCounts;
  /** New and changed customers: the only ones written, marked dirty and relinked. */
  changed: Customer[];
}

export function planCustomers(
  incoming: readonly Customer[],
  stored: ReadonlyMap<string, Customer>,
): CustomerPlan {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const changed: Customer[] = [];
  for (const customer of incoming) {
    const before = stored.get(customer.id);
    if (!before) counts.inserted += 1;
    else if (sameCustomer(before, customer)) {
      counts.unchanged += 1;
      continue;
    } else counts.updated += 1;
    changed.push(customer);
  }
  return { counts, changed };
}

function sameCustomer(a: Customer, b: Customer): boolean {
  return a.name === b.name && sameList(a.emails, b.emails) && sameList(a.domains, b.domains);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function identityRows(customer: Customer): IdentityRow[] {
  return [
    ...customer.emails.map((value) => ({ customerId: customer.id, kind: 'email' as const, value })),
    ...customer.domains.map((value) => ({ customerId: customer.id, kind: 'domain' as const, value })),
  ];
}
