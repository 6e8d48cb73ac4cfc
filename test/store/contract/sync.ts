import { describe, expect, it } from 'vitest';
import type { HelpdeskUser } from '../../../src/domain/ticket.js';
import { page, result, T0, ticket, user } from '../fixtures.js';
import type { StoreHarness } from '../store-contract.js';

export function syncContract(h: () => StoreHarness): void {
  describe('connections', () => {
    it('inserts, updates (keeping created_at), lists and marks connections synced', async () => {
      const { store } = h();
      await store.saveConnection(
        { id: 'zd', kind: 'zendesk', settings: { subdomain: 'acme' }, secret: 's1' },
        T0,
      );
      await store.saveConnection(
        { id: 'ic', kind: 'intercom', settings: { region: 'eu' }, secret: 's2' },
        T0,
      );
      await store.saveConnection(
        { id: 'zd', kind: 'zendesk', settings: { subdomain: 'acme2', since: '2025-01-01' }, secret: 's3' },
        T0 + 5,
      );
      await store.markSynced('zd', T0 + 9);

      expect(await store.getConnection('zd')).toEqual({
        id: 'zd',
        kind: 'zendesk',
        settings: { subdomain: 'acme2', since: '2025-01-01' },
        secret: 's3',
        createdAt: T0,
        updatedAt: T0 + 5,
        lastSyncAt: T0 + 9,
      });
      expect((await store.listConnections()).map((c) => [c.id, c.lastSyncAt])).toEqual([
        ['ic', null],
        ['zd', T0 + 9],
      ]);
      expect(await store.getConnection('missing')).toBeNull();
    });
  });

  describe('commitSyncPage', () => {
    it('stores tickets (pending, unexported), users, organizations, quarantined payloads and the cursor', async () => {
      const { store } = h();
      const t1 = ticket('1', {
        requester: { externalId: 'ext-1', email: 'ann@acme.io', organizationExternalIds: ['org-a', 'org-b'] },
      });
      const t2 = ticket('2', { outbound: true, deleted: true, merged: true, tags: [], fields: {} });
      expect(await store.getCursor('zd', 'tickets')).toBeNull();

      const committed = await store.commitSyncPage(
        page({
          tickets: [t2, t1],
          users: [user('u1', { organizationIds: ['o1'] }), user('u2')],
          organizations: [{ connectionId: 'zd', organizationId: 'o1', externalId: 'org-a', name: 'Acme' }],
          quarantined: [
            {
              connectionId: 'zd',
              source: 'zendesk',
              kind: 'ticket',
              externalId: '3',
              payload: { id: 3 },
              error: 'bad',
            },
          ],
        }),
      );

      expect(committed).toEqual({ tickets: 2, quarantined: 1 });
      expect(await store.getCursor('zd', 'tickets')).toBe('cursor-1');
      expect(await store.getCursor('zd', 'users')).toBeNull();
      expect(await store.listPendingTickets(10)).toEqual([
        {
          ticket: t1,
          currentCustomerId: null,
          manualReasonId: null,
          manualAuthor: null,
          currentReasonId: null,
        },
        {
          ticket: t2,
          currentCustomerId: null,
          manualReasonId: null,
          manualAuthor: null,
          currentReasonId: null,
        },
      ]);
      expect(await store.getHelpdeskUsers('zd', ['u1', 'missing'])).toEqual([
        user('u1', { organizationIds: ['o1'] }),
      ]);
      expect(await store.getHelpdeskUsers('other', ['u1'])).toEqual([]);
      expect(await store.getHelpdeskOrganizations('zd', ['o1'])).toEqual([
        { connectionId: 'zd', organizationId: 'o1', externalId: 'org-a', name: 'Acme' },
      ]);
      expect(await store.countQuarantined()).toBe(1);
      expect((await store.listUnexportedTickets(10)).map((r) => r.ticketId)).toEqual(['1', '2']);
    });

    it('re-committing a page is harmless: same rows, no duplicate quarantine, marks set again', async () => {
      const { store } = h();
      const same = page({
        tickets: [ticket('1'), ticket('2')],
        users: [user('u1')],
        quarantined: [
          {
            connectionId: 'zd',
            source: 'zendesk',
            kind: 'ticket',
            externalId: null,
            payload: [1, 'x'],
            error: 'bad',
          },
        ],
      });
      await store.commitSyncPage(same);
      await store.saveTicketResults([result('1', null), result('2', null)]);
      await store.markTicketsExported([
        { source: 'zendesk', ticketId: '1' },
        { source: 'zendesk', ticketId: '2' },
      ]);
      expect(await store.listPendingTickets(10)).toEqual([]);

      expect(await store.commitSyncPage(same)).toEqual({ tickets: 2, quarantined: 1 });

      expect((await store.listPendingTickets(10)).map((p) => p.ticket)).toEqual([ticket('1'), ticket('2')]);
      expect((await store.listUnexportedTickets(10)).map((r) => r.ticketId)).toEqual(['1', '2']);
      expect(await store.countQuarantined()).toBe(1);
      expect(await store.getHelpdeskUsers('zd', ['u1'])).toEqual([user('u1')]);
      expect(await store.getCursor('zd', 'tickets')).toBe('cursor-1');
    });

    it('keeps the last copy of a record that appears twice in one page', async () => {
      const { store } = h();
      await store.commitSyncPage(
        page({
          tickets: [ticket('1', { status: 'new' }), ticket('1', { status: 'solved' })],
          users: [user('u1', { role: 'customer' }), user('u1', { role: 'staff' })],
        }),
      );
      expect((await store.listPendingTickets(10)).map((p) => p.ticket.status)).toEqual(['solved']);
      expect((await store.getHelpdeskUsers('zd', ['u1'])).map((u) => u.role)).toEqual(['staff']);
    });

    it('a page the database rejects is rolled back whole and leaves the cursor where it was', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ cursor: 'c1', tickets: [ticket('1')] }));
      // A user without an id violates NOT NULL; the page's tickets were written before it.
      const broken = { ...user('u9'), userId: null } as unknown as HelpdeskUser;
      await expect(
        store.commitSyncPage(page({ cursor: 'c2', tickets: [ticket('2')], users: [broken] })),
      ).rejects.toThrow();

      expect(await store.getCursor('zd', 'tickets')).toBe('c1');
      expect((await store.listPendingTickets(10)).map((p) => p.ticket.ticketId)).toEqual(['1']);

      await store.commitSyncPage(page({ cursor: 'c2', tickets: [ticket('2')], users: [user('u9')] }));
      expect(await store.getCursor('zd', 'tickets')).toBe('c2');
    });

    it('an updated ticket is pending again and keeps its current link', async () => {
      const { store } = h();
      await store.upsertCustomers([{ id: 'acme', name: 'Acme', emails: [], domains: [] }]);
      await store.commitSyncPage(page({ tickets: [ticket('1')] }));
      await store.saveTicketResults([result('1', 'acme')]);
      await store.commitSyncPage(
        page({ tickets: [ticket('1', { status: 'solved', updatedAt: T0 + 60_000 })] }),
      );

      const [pending] = await store.listPendingTickets(10);
      expect(pending?.ticket.status).toBe('solved');
      expect(pending?.currentCustomerId).toBe('acme');
    });

    it('lists pending tickets in (source, ticket id) order, a page at a time', async () => {
      const { store } = h();
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('9'),
            ticket('10'),
            ticket('2'),
            ticket('7', { source: 'intercom', connectionId: 'ic' }),
          ],
        }),
      );
      const keys = (rows: Array<{ ticket: { source: string; ticketId: string } }>) =>
        rows.map((r) => `${r.ticket.source}/${r.ticket.ticketId}`);

      const first = await store.listPendingTickets(2);
      expect(keys(first)).toEqual(['intercom/7', 'zendesk/10']);
      const last = first.at(-1)!.ticket;
      expect(keys(await store.listPendingTickets(2, last))).toEqual(['zendesk/2', 'zendesk/9']);
      expect(await store.listPendingTickets(2, { source: 'zendesk', ticketId: '9' })).toEqual([]);
    });
  });
}
