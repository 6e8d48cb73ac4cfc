import { describe, expect, it } from 'vitest';
import { generateSampleCompany, SAMPLE_SEED } from '../../../connectors/simulator/sample-company.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const company = generateSampleCompany({ seed: SAMPLE_SEED, now: NOW });
const { conversations, contacts, companies, tickets } = company.intercom;

/** Which customers each helpdesk has something from, by the people's e-mails. */
function customersIn(emails: string[]): Set<string> {
  const customerOf = new Map(company.customers.flatMap((c) => c.emails.map((e) => [e, c.id] as const)));
  return new Set(emails.map((e) => customerOf.get(e)).filter((id): id is string => id !== undefined));
}

describe('the sample Intercom workspace', () => {
  it('is deterministic, and leaves the Zendesk account as it was', () => {
    const again = generateSampleCompany({ seed: SAMPLE_SEED, now: NOW });
    expect(again.intercom).toEqual(company.intercom);
    expect(again.zendesk).toEqual(company.zendesk);
  });

  it('has customers who use only Intercom, only Zendesk, and both', () => {
    const contactEmail = new Map(contacts.map((c) => [c.id, c.email]));
    const userEmail = new Map(company.zendesk.users.map((u) => [u.id, u.email]));
    const intercom = customersIn(
      conversations.map((c) => contactEmail.get(c.contacts.contacts[0]!.id) ?? ''),
    );
    const zendesk = customersIn(company.zendesk.tickets.map((t) => userEmail.get(t.requester_id) ?? ''));
    const both = [...intercom].filter((id) => zendesk.has(id));
    expect(both.length).toBeGreaterThan(0);
    expect(intercom.size - both.length).toBeGreaterThan(0);
    expect(zendesk.size - both.length).toBeGreaterThan(0);
  });

  it('has the outbound kinds, leads, companies and Intercom tickets the connector must handle', () => {
    const delivered = new Set(conversations.map((c) => c.source.delivered_as));
    expect(delivered).toEqual(
      new Set(['customer_initiated', 'admin_initiated', 'campaigns_initiated', 'automated']),
    );
    expect(contacts.some((c) => c.role === 'lead')).toBe(true);
    expect(companies.some((c) => company.customers.some((cu) => cu.id === c.company_id))).toBe(true);
    expect(new Set(tickets.map((t) => t.category))).toEqual(new Set(['Customer', 'Back-office']));
    const ids = [...conversations, ...tickets].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of conversations) {
      expect(c.updated_at).toBeGreaterThanOrEqual(c.created_at);
      expect(c.updated_at * 1000).toBeLessThanOrEqual(NOW);
    }
  });
});
