import { describe, expect, it } from 'vitest';
import type { CustomerResult } from '../../../src/store/store.js';
import { DAY, key, NONE, page, result, status, T0, ticket } from '../fixtures.js';
import type { StoreHarness } from '../store-contract.js';

const verdict = (
  ticketId: string,
  inWindow: boolean,
  countsTowardMetric: boolean,
  milestonePhase: string | null,
) => ({
  ...key(ticketId),
  inWindow,
  countsTowardMetric,
  milestonePhase,
});

export function linkAndRecomputeContract(h: () => StoreHarness): void {
  describe('link and classify', () => {
    it('records link and reason, clears pending, marks unexported and dirties old and new customer', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ tickets: [ticket('1'), ticket('2')] }));
      await store.saveTicketResults([result('1', 'acme'), result('2', null, NONE)]);

      expect(await store.listPendingTickets(10)).toEqual([]);
      expect(await store.listDirtyCustomers(10)).toEqual(['acme']);
      const [row1, row2] = await store.listUnexportedTickets(10);
      expect(row1).toMatchObject({ customerId: 'acme', linkMethod: 'email', reasonId: 'login' });
      expect(row1).toMatchObject({ reasonConfidence: 0.8, classifiedBy: 'rule' });
      expect(row2).toMatchObject({ customerId: null, linkMethod: 'none', reasonId: 'unclassified' });

      await store.saveCustomerResults(['acme'], [], T0);
      await store.markTicketsExported([key('1'), key('2')]);
      await store.saveTicketResults([result('1', 'globex')]);
      expect(await store.listDirtyCustomers(10)).toEqual(['acme', 'globex']);
      expect((await store.listUnexportedTickets(10)).map((r) => [r.ticketId, r.customerId])).toEqual([
        ['1', 'globex'],
      ]);
    });

    it('keeps window verdicts while the customer stays, resets them when it changes', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ tickets: [ticket('1')] }));
      await store.saveTicketResults([result('1', 'acme')]);
      await store.saveCustomerResults(
        ['acme'],
        [{ status: status('acme'), tickets: [verdict('1', true, true, 'go')] }],
        T0,
      );

      await store.saveTicketResults([result('1', 'acme')]);
      expect((await store.listUnexportedTickets(10))[0]).toMatchObject({
        inWindow: true,
        countsTowardMetric: true,
        milestonePhase: 'go',
      });

      await store.saveTicketResults([result('1', 'globex')]);
      expect((await store.listUnexportedTickets(10))[0]).toMatchObject({
        customerId: 'globex',
        inWindow: false,
        countsTowardMetric: false,
        milestonePhase: null,
      });
    });

    it('marks every ticket pending and says how many', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ tickets: [ticket('1'), ticket('2'), ticket('3')] }));
      await store.saveTicketResults([result('1', null), result('2', null)]);
      expect(await store.markAllTicketsPending()).toBe(3);
      expect(await store.listPendingTickets(10)).toHaveLength(3);
    });

    it('sets a manual reason (pending the ticket again), reads it back, and removes it', async () => {
      const { store } = h();
      expect(await store.setManualReason(key('404'), 'billing', 'ops', T0)).toBe(false);
      await store.commitSyncPage(page({ tickets: [ticket('1')] }));
      await store.saveTicketResults([result('1', null)]);

      expect(await store.setManualReason(key('1'), 'billing', 'ops', T0)).toBe(true);
      expect((await store.listPendingTickets(10)).map((p) => p.manualReasonId)).toEqual(['billing']);
      await store.saveTicketResults([result('1', null)]);
      await store.commitSyncPage(page({ tickets: [ticket('1', { status: 'solved' })] }));
      expect((await store.listPendingTickets(10)).map((p) => p.manualReasonId)).toEqual(['billing']);

      expect(await store.setManualReason(key('1'), null, 'ops', T0 + 1)).toBe(true);
      expect((await store.listPendingTickets(10)).map((p) => p.manualReasonId)).toEqual([null]);
    });
  });

  describe('recompute', () => {
    it("loads a customer's identities, milestones in time order and linked tickets", async () => {
      const { store } = h();
      await store.upsertCustomers([
        { id: 'acme', name: 'Acme', emails: ['b@acme.io', 'a@acme.io'], domains: ['acme.io'] },
      ]);
      await store.upsertMilestones([
        { customerId: 'acme', milestone: 'completed', occurredAt: T0 + 5 * DAY },
        { customerId: 'acme', milestone: 'signed_up', occurredAt: T0 },
      ]);
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('late', { createdAt: T0 + 2 * DAY }),
            ticket('early', { createdAt: T0 + DAY, deleted: true, outbound: true, merged: true }),
            ticket('other', { createdAt: T0 }),
          ],
        }),
      );
      await store.saveTicketResults([
        result('late', 'acme'),
        result('early', 'acme', NONE),
        result('other', 'globex'),
      ]);

      expect(await store.loadCustomerFacts(['acme', 'ghost'])).toEqual([
        {
          customer: { id: 'acme', name: 'Acme', emails: ['a@acme.io', 'b@acme.io'], domains: ['acme.io'] },
          milestones: [
            { customerId: 'acme', milestone: 'signed_up', occurredAt: T0 },
            { customerId: 'acme', milestone: 'completed', occurredAt: T0 + 5 * DAY },
          ],
          tickets: [
            {
              ...key('early'),
              createdAt: T0 + DAY,
              deleted: true,
              merged: true,
              outbound: true,
              reasonId: 'unclassified',
            },
            {
              ...key('late'),
              createdAt: T0 + 2 * DAY,
              deleted: false,
              merged: false,
              outbound: false,
              reasonId: 'login',
            },
          ],
        },
      ]);
    });

    it('stores statuses, marks only changed ones unexported, and clears every given dirty mark', async () => {
      const { store } = h();
      await store.upsertCustomers([
        { id: 'acme', name: 'Acme', emails: [], domains: [] },
        { id: 'globex', name: 'Globex', emails: [], domains: [] },
      ]);
      await store.upsertMilestones([{ customerId: 'ghost', milestone: 'signed_up', occurredAt: T0 }]);
      const results: CustomerResult[] = [
        { status: status('acme'), tickets: [] },
        { status: status('globex', { status: 'not_started', windowStart: null }), tickets: [] },
      ];
      await store.saveCustomerResults(['acme', 'globex', 'ghost'], results, T0);

      expect(await store.listDirtyCustomers(10)).toEqual([]);
      expect(await store.listStatuses()).toEqual([
        { customerId: 'acme', windowStart: T0 - 10 * DAY, windowEnd: null, status: 'in_progress' },
        { customerId: 'globex', windowStart: null, windowEnd: null, status: 'not_started' },
      ]);
      expect(await store.listUnexportedStatuses(10)).toEqual([
        { ...status('acme'), name: 'Acme', computedAt: T0 },
        { ...status('globex', { status: 'not_started', windowStart: null }), name: 'Globex', computedAt: T0 },
      ]);
      await store.markStatusesExported(['acme', 'globex']);

      await store.saveCustomerResults(['acme', 'globex'], results, T0 + 1);
      expect(await store.listUnexportedStatuses(10)).toEqual([]);

      const had = status('acme', {
        status: 'had_tickets',
        countingTickets: 1,
        firstTicketId: '1',
        firstTicketReason: 'login',
      });
      await store.saveCustomerResults(['acme'], [{ status: had, tickets: [] }], T0 + 2);
      expect(await store.listUnexportedStatuses(10)).toEqual([{ ...had, name: 'Acme', computedAt: T0 + 2 }]);
    });

    it('marks a ticket unexported only when its verdict changed, and only for its current customer', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ tickets: [ticket('1'), ticket('2')] }));
      await store.saveTicketResults([result('1', 'acme'), result('2', 'globex')]);
      await store.markTicketsExported([key('1'), key('2')]);
      const save = (tickets: CustomerResult['tickets']) =>
        store.saveCustomerResults(['acme'], [{ status: status('acme'), tickets }], T0);

      // Ticket 2 belongs to globex now: a stale verdict from acme's recompute is ignored.
      await save([verdict('1', true, true, 'signed_up'), verdict('2', true, true, 'signed_up')]);
      expect(await store.listUnexportedTickets(10)).toEqual([
        expect.objectContaining({
          ticketId: '1',
          inWindow: true,
          countsTowardMetric: true,
          milestonePhase: 'signed_up',
        }),
      ]);
      await store.markTicketsExported([key('1')]);

      await save([verdict('1', true, true, 'signed_up')]);
      expect(await store.listUnexportedTickets(10)).toEqual([]);

      await save([verdict('1', true, true, null)]);
      expect((await store.listUnexportedTickets(10)).map((r) => [r.ticketId, r.milestonePhase])).toEqual([
        ['1', null],
      ]);
    });

    it('marks dirty the customers whose status can change with time alone', async () => {
      const { store } = h();
      const now = T0 + 100 * DAY;
      const stalledBefore = now - 60 * DAY;
      const ids = [
        'buffer-due',
        'buffer-later',
        'progress-edge',
        'progress-stalled',
        'progress-fresh',
        'zero',
      ];
      await store.saveCustomerResults(
        ids,
        [
          {
            status: status('buffer-due', { status: 'in_buffer', completedAt: now - DAY, windowEnd: now }),
            tickets: [],
          },
          { status: status('buffer-later', { status: 'in_buffer', windowEnd: now + 1 }), tickets: [] },
          { status: status('progress-stalled', { windowStart: stalledBefore - 1 }), tickets: [] },
          // Exactly stallAfterDays old is stalled, as the domain says (`>=`).
          { status: status('progress-edge', { windowStart: stalledBefore }), tickets: [] },
          { status: status('progress-fresh', { windowStart: stalledBefore + 1 }), tickets: [] },
          { status: status('zero', { status: 'zero_tickets', windowEnd: now - DAY }), tickets: [] },
        ],
        T0,
      );

      expect(await store.markTimeDueCustomersDirty(now, stalledBefore)).toBe(3);
      expect(await store.listDirtyCustomers(10)).toEqual(['buffer-due', 'progress-edge', 'progress-stalled']);
    });

    it('lists dirty customers in id order, at most `limit`', async () => {
      const { store } = h();
      await store.upsertMilestones(
        ['c', 'a', 'd', 'b'].map((customerId) => ({ customerId, milestone: 'signed_up', occurredAt: T0 })),
      );
      expect(await store.listDirtyCustomers(3)).toEqual(['a', 'b', 'c']);
    });
  });
}
