import { describe, expect, it } from 'vitest';
import type { TicketResult } from '../../../src/store/store.js';
import { DAY, page, RULE, result, T0, ticket } from '../fixtures.js';
import type { StoreHarness } from '../store-contract.js';

export function customersContract(h: () => StoreHarness): void {
  describe('customers and milestones', () => {
    it('counts inserted, updated and unchanged customers; identities compare without order or case', async () => {
      const { store } = h();
      expect(
        await store.upsertCustomers([
          { id: 'acme', name: 'Acme', emails: ['Ann@Acme.io', 'bob@acme.io'], domains: ['acme.io'] },
          { id: 'globex', name: 'Globex', emails: [], domains: [] },
        ]),
      ).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      expect(
        await store.upsertCustomers([
          {
            id: 'acme',
            name: 'Acme',
            emails: ['bob@acme.io', 'ann@acme.io', 'ann@acme.io'],
            domains: ['ACME.io'],
          },
          { id: 'globex', name: 'Globex Corp', emails: [], domains: [] },
          { id: 'initech', name: 'Initech', emails: [], domains: ['initech.com'] },
        ]),
      ).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
      expect(await store.countCustomers()).toBe(3);
    });

    it('finds customers by id, e-mail and domain; the smaller id wins a shared identity', async () => {
      const { store } = h();
      await store.upsertCustomers([
        { id: 'b-co', name: 'B', emails: ['shared@x.io'], domains: ['b.io'] },
        { id: 'a-co', name: 'A', emails: ['shared@x.io', 'solo@a.io'], domains: ['a.io', 'b.io'] },
      ]);
      const index = await store.findCustomerIdentities({
        externalIds: ['a-co', 'A-CO', 'zzz'],
        emails: ['SHARED@x.io', 'solo@a.io', 'none@x.io'],
        domains: ['b.io', 'c.io'],
      });
      expect([...index.byId]).toEqual(['a-co']);
      expect(Object.fromEntries(index.byEmail)).toEqual({ 'shared@x.io': 'a-co', 'solo@a.io': 'a-co' });
      expect(Object.fromEntries(index.byDomain)).toEqual({ 'b.io': 'a-co' });
    });

    it('marks new and changed customers dirty, unchanged ones not', async () => {
      const { store } = h();
      await store.upsertCustomers([
        { id: 'acme', name: 'Acme', emails: [], domains: [] },
        { id: 'globex', name: 'Globex', emails: [], domains: [] },
      ]);
      expect(await store.listDirtyCustomers(10)).toEqual(['acme', 'globex']);
      await store.saveCustomerResults(['acme', 'globex'], [], T0);
      expect(await store.listDirtyCustomers(10)).toEqual([]);

      await store.upsertCustomers([
        { id: 'acme', name: 'Acme', emails: [], domains: [] },
        { id: 'globex', name: 'Globex', emails: ['g@globex.com'], domains: [] },
      ]);
      expect(await store.listDirtyCustomers(10)).toEqual(['globex']);
    });

    it('marks pending exactly the tickets whose link could change', async () => {
      const { store } = h();
      await store.upsertCustomers([
        { id: 'acme', name: 'Acme', emails: ['ann@acme.io'], domains: ['acme.io'] },
        { id: 'globex', name: 'Globex', emails: ['g@globex.com'], domains: [] },
      ]);
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('acme', { requester: { email: 'ann@acme.io' } }),
            ticket('globex', { requester: { email: 'g@globex.com' } }),
            ticket('unlinked', { requester: { email: 'who@nowhere.io' } }),
            ticket('ext', { requester: { externalId: 'initech', email: 'ann@acme.io' } }),
            ticket('email', { requester: { email: 'boss@gmail.com' } }),
            ticket('domain', { requester: { email: 'peter@initech.com' } }),
            ticket('org', { requester: { organizationExternalIds: ['initech', 'acme'] } }),
            ticket('org-by-email', {
              requester: { email: 'ann@acme.io', organizationExternalIds: ['initech'] },
            }),
          ],
        }),
      );
      const linked = (ticketId: string, customerId: string, linkMethod: TicketResult['linkMethod']) => ({
        source: 'zendesk' as const,
        ticketId,
        customerId,
        linkMethod,
        classification: RULE,
      });
      await store.saveTicketResults([
        linked('acme', 'acme', 'email'),
        linked('globex', 'globex', 'email'),
        result('unlinked', null),
        linked('ext', 'acme', 'email'),
        linked('email', 'acme', 'domain'),
        linked('domain', 'acme', 'domain'),
        linked('org', 'acme', 'organization'),
        linked('org-by-email', 'acme', 'email'),
      ]);
      expect(await store.listPendingTickets(20)).toEqual([]);

      expect(
        await store.upsertCustomers([
          { id: 'acme', name: 'Acme', emails: ['ann@acme.io'], domains: ['acme.io'] },
          { id: 'globex', name: 'Globex Corp', emails: ['g@globex.com'], domains: [] },
          { id: 'initech', name: 'Initech', emails: ['boss@gmail.com'], domains: ['initech.com'] },
        ]),
      ).toEqual({ inserted: 1, updated: 1, unchanged: 1 });

      const pending = (await store.listPendingTickets(20)).map((p) => p.ticket.ticketId).sort();
      expect(pending).toEqual(['domain', 'email', 'ext', 'globex', 'org', 'unlinked']);
    });

    it('inserts each milestone once and marks dirty only the customers that got a new one', async () => {
      const { store } = h();
      const signedUp = { customerId: 'a', milestone: 'signed_up', occurredAt: T0 };
      expect(
        await store.upsertMilestones([
          signedUp,
          { customerId: 'a', milestone: 'completed', occurredAt: T0 + DAY },
          { customerId: 'b', milestone: 'signed_up', occurredAt: T0 },
        ]),
      ).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
      expect(await store.listDirtyCustomers(10)).toEqual(['a', 'b']);
      await store.saveCustomerResults(['a', 'b'], [], T0);

      expect(
        await store.upsertMilestones([
          signedUp,
          signedUp,
          { customerId: 'b', milestone: 'signed_up', occurredAt: T0 + 1 },
        ]),
      ).toEqual({ inserted: 1, updated: 0, unchanged: 2 });
      expect(await store.listDirtyCustomers(10)).toEqual(['b']);
    });
  });
}
