import { describe, expect, it } from 'vitest';
import type { MetricPeriodRow } from '../../../src/store/store.js';
import { key, NONE, page, RULE, result, status, T0, ticket } from '../fixtures.js';
import type { StoreHarness } from '../store-contract.js';

const BILLING = { reasonId: 'billing', confidence: 1, classifiedBy: 'tag' as const, detail: 'tag:billing' };
const at = (iso: string) => Date.parse(iso);

export function reportsContract(h: () => StoreHarness): void {
  describe('reading the metric', () => {
    it('counts counting tickets per reason in [from, to) and per UTC day', async () => {
      const { store } = h();
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('1', { createdAt: at('2025-03-01T23:30:00.000Z') }),
            ticket('2', { createdAt: at('2025-03-02T00:10:00.000Z') }),
            ticket('3', { createdAt: at('2025-03-02T05:00:00.000Z') }),
            ticket('4', { createdAt: at('2025-03-02T06:00:00.000Z') }),
            ticket('5', { createdAt: at('2025-03-02T07:00:00.000Z') }),
          ],
        }),
      );
      await store.saveTicketResults([
        result('1', 'acme', RULE),
        result('2', 'acme', RULE),
        result('3', 'acme', BILLING),
        result('4', 'acme', BILLING),
        result('5', null, NONE),
      ]);
      const counts = (ids: string[]) =>
        ids.map((id) => ({ ...key(id), inWindow: true, countsTowardMetric: true, milestonePhase: null }));
      await store.saveCustomerResults(
        ['acme'],
        [
          {
            status: status('acme'),
            tickets: [
              ...counts(['1', '2', '3']),
              { ...key('4'), inWindow: false, countsTowardMetric: false, milestonePhase: null },
            ],
          },
        ],
        T0,
      );

      expect(
        await store.countReasons(at('2025-03-01T23:30:00.000Z'), at('2025-03-02T05:00:00.000Z')),
      ).toEqual([{ reasonId: 'login', tickets: 2 }]);
      expect(
        await store.countReasons(at('2025-03-01T00:00:00.000Z'), at('2025-03-03T00:00:00.000Z')),
      ).toEqual([
        { reasonId: 'billing', tickets: 1 },
        { reasonId: 'login', tickets: 2 },
      ]);
      expect(await store.reasonDaily()).toEqual([
        { day: '2025-03-01', reasonId: 'login', tickets: 1 },
        { day: '2025-03-02', reasonId: 'billing', tickets: 1 },
        { day: '2025-03-02', reasonId: 'login', tickets: 1 },
      ]);
    });

    it('lists classified tickets for owner notes, a chat without a subject by its first words', async () => {
      const { store } = h();
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('1', { createdAt: T0, subject: 'Card declined' }),
            ticket('2', {
              createdAt: T0 + 1,
              subject: '',
              text: 'Hi, my invoice shows the wrong VAT number',
            }),
            ticket('3', { createdAt: T0 + 2, deleted: true }),
            ticket('4', { createdAt: T0 + 3 }),
          ],
        }),
      );
      await store.saveTicketResults([
        result('1', 'acme', BILLING),
        result('2', null, BILLING),
        result('3', 'acme', BILLING),
        result('4', 'acme', NONE),
      ]);
      const rows = await store.listReasonTickets(T0, T0 + 10);
      expect(rows.map((r) => [r.ticketId, r.reasonId, r.subject, r.customerId])).toEqual([
        ['1', 'billing', 'Card declined', 'acme'],
        ['2', 'billing', 'Hi, my invoice shows the wrong VAT number', null],
      ]);
    });

    it('reports unlinked and unclassified tickets (deleted ones excluded) and quarantined payloads', async () => {
      const { store } = h();
      await store.commitSyncPage(
        page({
          tickets: [
            ticket('linked'),
            ticket('unlinked'),
            ticket('never-linked'),
            ticket('deleted', { deleted: true }),
          ],
          quarantined: [
            {
              connectionId: 'zd',
              source: 'zendesk',
              kind: 'ticket',
              externalId: '9',
              payload: {},
              error: 'e1',
            },
            {
              connectionId: 'zd',
              source: 'zendesk',
              kind: 'user',
              externalId: '9',
              payload: {},
              error: 'e2',
            },
          ],
        }),
      );
      await store.saveTicketResults([
        result('linked', 'acme', RULE),
        result('unlinked', null, NONE),
        result('deleted', null, NONE),
      ]);

      expect(await store.dataQuality()).toEqual({
        unlinkedTickets: 2,
        unclassifiedTickets: 2,
        quarantined: 2,
      });
    });

    it('replaces the metric periods with each save', async () => {
      const { store } = h();
      const week: MetricPeriodRow = {
        periodKind: 'week',
        periodStart: '2025-03-03',
        closedWindows: 4,
        zeroTickets: 3,
        hadTickets: 1,
        zeroTicketPct: 75,
      };
      const month: MetricPeriodRow = { ...week, periodKind: 'month', periodStart: '2025-03-01' };
      await store.saveMetricPeriods([
        week,
        month,
        { ...week, periodStart: '2025-02-24', zeroTicketPct: 100 / 3 },
      ]);
      await store.saveMetricPeriods([week, month]);
      expect(await store.listMetricPeriods()).toEqual([month, week]);
    });
  });

  describe('export marks and small state', () => {
    it('exports a ticket with defaults before it is linked, and its joined values after', async () => {
      const { store } = h();
      await store.commitSyncPage(page({ tickets: [ticket('1', { status: 'new' })] }));
      expect(await store.listUnexportedTickets(10)).toEqual([
        {
          ...key('1'),
          customerId: null,
          linkMethod: 'none',
          createdAt: T0,
          updatedAt: T0 + 1_000,
          status: 'new',
          reasonId: 'unclassified',
          reasonConfidence: 0,
          classifiedBy: 'none',
          reasonDetail: '',
          milestonePhase: null,
          inWindow: false,
          countsTowardMetric: false,
        },
      ]);
      await store.markTicketsExported([key('1')]);
      expect(await store.listUnexportedTickets(10)).toEqual([]);

      await store.saveTicketResults([result('1', 'acme', RULE)]);
      expect(await store.listUnexportedTickets(1)).toEqual([
        expect.objectContaining({
          customerId: 'acme',
          linkMethod: 'email',
          reasonId: 'login',
          classifiedBy: 'rule',
          reasonDetail: RULE.detail,
        }),
      ]);
    });

    it('exports statuses with the customer name, and again after a rename', async () => {
      const { store } = h();
      await store.upsertCustomers([{ id: 'acme', name: 'Acme', emails: [], domains: [] }]);
      await store.saveCustomerResults(['acme'], [{ status: status('acme'), tickets: [] }], T0);
      expect((await store.listUnexportedStatuses(10)).map((s) => s.name)).toEqual(['Acme']);
      await store.markStatusesExported(['acme']);

      await store.upsertCustomers([{ id: 'acme', name: 'Acme Inc', emails: [], domains: [] }]);
      await store.saveCustomerResults(['acme'], [{ status: status('acme'), tickets: [] }], T0 + 1);
      expect((await store.listUnexportedStatuses(10)).map((s) => [s.name, s.computedAt])).toEqual([
        ['Acme Inc', T0],
      ]);
    });

    it('keeps small state by key', async () => {
      const { store } = h();
      expect(await store.getState('taxonomy_hash')).toBeNull();
      await store.setState('taxonomy_hash', 'a');
      await store.setState('taxonomy_hash', 'b');
      expect(await store.getState('taxonomy_hash')).toBe('b');
    });

    it('claims a digest once per channel and day; a released claim can be made again', async () => {
      const { store } = h();
      expect(await store.claimDigest('#metrics', '2025-03-01', T0)).toBe(true);
      expect(await store.claimDigest('#metrics', '2025-03-01', T0 + 1)).toBe(false);
      expect(await store.claimDigest('#other', '2025-03-01', T0)).toBe(true);
      expect(await store.claimDigest('#metrics', '2025-03-02', T0)).toBe(true);
      await store.releaseDigest('#metrics', '2025-03-01');
      expect(await store.claimDigest('#metrics', '2025-03-01', T0 + 2)).toBe(true);
    });
  });
}
