import { describe, expect, it } from 'vitest';
import type { MetricPeriodRow, ReasonDailyRow, WarehouseStatusRow } from '../../../src/store/store.js';
import { DAY, status, T0, warehouseTicket } from '../fixtures.js';
import type { StoreHarness } from '../store-contract.js';

const E1 = T0 + DAY;
const E2 = T0 + 2 * DAY;
const E3 = T0 + 3 * DAY;

export function warehouseContract(h: () => StoreHarness): void {
  describe('warehouse', () => {
    it('upserts tickets by key and rewrites a row only when one of its values changed', async () => {
      const { warehouse, snapshot } = h();
      const one = warehouseTicket('1', { milestonePhase: null });
      const two = warehouseTicket('2', { source: 'intercom', customerId: null, linkMethod: 'none' });
      await warehouse.upsertTickets([one, two], E1);
      expect((await snapshot()).tickets).toEqual([
        { ...two, exportedAt: E1 },
        { ...one, exportedAt: E1 },
      ]);

      await warehouse.upsertTickets([one, two], E2);
      expect((await snapshot()).tickets.map((r) => r.exportedAt)).toEqual([E1, E1]);

      const changed = { ...one, milestonePhase: 'signed_up', reasonConfidence: 0.95 };
      await warehouse.upsertTickets([changed, two], E3);
      expect((await snapshot()).tickets).toEqual([
        { ...two, exportedAt: E1 },
        { ...changed, exportedAt: E3 },
      ]);

      await warehouse.upsertTickets([{ ...two, customerId: 'acme' }], E3);
      expect((await snapshot()).tickets[0]).toMatchObject({ customerId: 'acme', exportedAt: E3 });
    });

    it('upserts customer statuses by key the same way', async () => {
      const { warehouse, snapshot } = h();
      const acme: WarehouseStatusRow = { ...status('acme'), name: 'Acme', computedAt: T0 };
      const globex: WarehouseStatusRow = {
        ...status('globex', {
          status: 'zero_tickets',
          completedAt: T0,
          windowEnd: T0 + 14 * DAY,
        }),
        name: 'Globex',
        computedAt: T0,
      };
      await warehouse.upsertCustomerStatus([acme, globex], E1);
      await warehouse.upsertCustomerStatus([acme, globex], E2);
      expect((await snapshot()).statuses).toEqual([
        { ...acme, exportedAt: E1 },
        { ...globex, exportedAt: E1 },
      ]);

      const had = {
        ...acme,
        status: 'had_tickets' as const,
        countingTickets: 1,
        firstTicketId: '7',
        computedAt: E3,
      };
      await warehouse.upsertCustomerStatus([had], E3);
      expect((await snapshot()).statuses).toEqual([
        { ...had, exportedAt: E3 },
        { ...globex, exportedAt: E1 },
      ]);
    });

    it('replaces metric periods: unchanged rows keep exported_at, changed ones move, stale ones go', async () => {
      const { warehouse, snapshot } = h();
      const week = (periodStart: string, zeroTickets: number): MetricPeriodRow => ({
        periodKind: 'week',
        periodStart,
        closedWindows: 3,
        zeroTickets,
        hadTickets: 3 - zeroTickets,
        zeroTicketPct: (zeroTickets / 3) * 100,
      });
      const month: MetricPeriodRow = { ...week('2025-03-01', 2), periodKind: 'month' };
      await warehouse.replaceMetricPeriods([week('2025-02-24', 1), week('2025-03-03', 2), month], E1);
      await warehouse.replaceMetricPeriods([week('2025-03-03', 2), week('2025-03-10', 3), month], E2);
      await warehouse.replaceMetricPeriods([week('2025-03-03', 2), week('2025-03-10', 3), month], E3);

      expect((await snapshot()).periods).toEqual([
        { ...month, exportedAt: E1 },
        { ...week('2025-03-03', 2), exportedAt: E1 },
        { ...week('2025-03-10', 3), exportedAt: E2 },
      ]);

      await warehouse.replaceMetricPeriods([], E3);
      expect((await snapshot()).periods).toEqual([]);
    });

    it('replaces reason days the same way', async () => {
      const { warehouse, snapshot } = h();
      const day = (d: string, reasonId: string, tickets: number): ReasonDailyRow => ({
        day: d,
        reasonId,
        tickets,
      });
      await warehouse.replaceReasonDaily(
        [day('2025-03-01', 'login', 2), day('2025-03-01', 'billing', 1)],
        E1,
      );
      await warehouse.replaceReasonDaily([day('2025-03-01', 'login', 2), day('2025-03-02', 'login', 4)], E2);
      await warehouse.replaceReasonDaily([day('2025-03-01', 'login', 3), day('2025-03-02', 'login', 4)], E3);

      expect((await snapshot()).reasonDaily).toEqual([
        { ...day('2025-03-01', 'login', 3), exportedAt: E3 },
        { ...day('2025-03-02', 'login', 4), exportedAt: E2 },
      ]);
    });
  });
}
