import { describe, expect, it } from 'vitest';
import {
  COMPLETION_MILESTONE,
  generateSampleCompany,
  SAMPLE_SEED,
  START_MILESTONE,
} from '../../../connectors/simulator/sample-company.js';
import { FREE_MAIL } from '../../../connectors/simulator/sample-names.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const company = generateSampleCompany({ seed: SAMPLE_SEED, now: NOW });
const { tickets, users, organizations } = company.zendesk;
const staff = new Set(users.filter((u) => u.role !== 'end-user').map((u) => u.id));
const userById = new Map(users.map((u) => [u.id, u]));

describe('generateSampleCompany', () => {
  it('is deterministic for a seed and now', () => {
    expect(generateSampleCompany({ seed: SAMPLE_SEED, now: NOW })).toEqual(company);
  });

  it('differs for another seed', () => {
    const other = generateSampleCompany({ seed: SAMPLE_SEED + 1, now: NOW });
    expect(other.customers).not.toEqual(company.customers);
    expect(other.zendesk.tickets).not.toEqual(tickets);
  });

  it('has 300 customers by default, with unique ids, names and domains', () => {
    expect(company.customers).toHaveLength(300);
    expect(company.customers[0]?.id).toBe('cus_0001');
    for (const key of ['id', 'name'] as const) {
      expect(new Set(company.customers.map((c) => c[key])).size).toBe(300);
    }
    const domains = company.customers.flatMap((c) => c.domains);
    expect(new Set(domains).size).toBe(domains.length);
    expect(generateSampleCompany({ seed: 1, now: NOW, customers: 12 }).customers).toHaveLength(12);
  });

  it('has free-mail customers that can link only by e-mail', () => {
    const freeMail = company.customers.filter((c) => c.domains.length === 0);
    expect(freeMail.length).toBeGreaterThan(0);
    for (const c of freeMail) expect(FREE_MAIL.some((d) => c.emails[0]?.endsWith(`@${d}`))).toBe(true);
    for (const d of company.customers.flatMap((c) => c.domains)) expect(FREE_MAIL).not.toContain(d);
  });

  it("uses the example config's milestones, all in the ~8 months before now", () => {
    const names = new Set(company.milestones.map((m) => m.milestone));
    expect(names).toEqual(new Set([START_MILESTONE, 'connected_data', 'invited_team', COMPLETION_MILESTONE]));
    for (const m of company.milestones) {
      expect(m.occurredAt).toBeLessThan(NOW);
      expect(m.occurredAt).toBeGreaterThan(NOW - 360 * DAY);
    }
  });

  it('has customers in every onboarding state', () => {
    const of = (id: string, name: string) =>
      company.milestones.filter((m) => m.customerId === id && m.milestone === name).map((m) => m.occurredAt);
    const states = company.customers.map((c) => {
      const [start] = of(c.id, START_MILESTONE);
      const [done] = of(c.id, COMPLETION_MILESTONE);
      if (start === undefined) return 'not_started';
      if (done === undefined) return NOW - start >= 60 * DAY ? 'stalled' : 'in_progress';
      return NOW < done + 14 * DAY ? 'in_buffer' : 'closed';
    });
    for (const state of ['not_started', 'stalled', 'in_progress', 'in_buffer', 'closed']) {
      expect(states, state).toContain(state);
    }
  });

  it('has the promised mix of tickets', () => {
    const emails = new Set(company.customers.flatMap((c) => c.emails));
    const domains = new Set(company.customers.flatMap((c) => c.domains));
    const orgIds = new Set(organizations.filter((o) => o.external_id).map((o) => o.id));
    const unlinked = tickets.filter((t) => {
      const u = userById.get(t.requester_id)!;
      const domain = u.email?.split('@')[1] ?? '';
      return (
        !u.external_id &&
        !emails.has(u.email ?? '') &&
        !domains.has(domain) &&
        !orgIds.has(u.organization_id ?? -1)
      );
    });
    const counts = {
      deleted: tickets.filter((t) => t.status === 'deleted').length,
      merged: tickets.filter((t) => t.tags.includes('closed_by_merge')).length,
      outbound: tickets.filter((t) => staff.has(t.requester_id)).length,
      loggedByAgent: tickets.filter((t) => staff.has(t.submitter_id) && !staff.has(t.requester_id)).length,
      unlinked: unlinked.filter((t) => !staff.has(t.requester_id)).length,
    };
    for (const [kind, n] of Object.entries(counts)) expect(n, kind).toBeGreaterThan(0);
    expect(users.filter((u) => u.role === 'agent')).toHaveLength(3);
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('leaves about 40% of customers without a ticket', () => {
    const customerOf = new Map(company.customers.flatMap((c) => c.emails.map((e) => [e, c.id] as const)));
    const filed = new Set(
      tickets.map((t) => customerOf.get(userById.get(t.requester_id)?.email ?? '')).filter(Boolean),
    );
    const share = 1 - filed.size / company.customers.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.6);
  });

  it('gives tickets unique ids, Zendesk timestamps and ids in creation order', () => {
    expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
    const firstSignup = Math.min(...company.milestones.map((m) => m.occurredAt));
    let previous = 0;
    for (const t of tickets) {
      const created = Date.parse(t.created_at);
      expect(t.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(created).toBeGreaterThanOrEqual(previous);
      expect(created).toBeGreaterThanOrEqual(firstSignup);
      expect(Date.parse(t.updated_at)).toBeGreaterThanOrEqual(created);
      expect(t.generated_timestamp * 1000).toBeGreaterThanOrEqual(Date.parse(t.updated_at));
      // Nothing in the export's invisible last minute.
      expect(t.generated_timestamp * 1000).toBeLessThanOrEqual(NOW - 60_000);
      expect(userById.has(t.requester_id) && userById.has(t.submitter_id)).toBe(true);
      previous = created;
    }
  });
});
