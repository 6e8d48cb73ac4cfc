import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Milestone } from '../../src/domain/customer.js';
import type { LinkedTicketFacts, TicketFacts, TicketVerdict } from '../../src/domain/customer-status.js';
import { evaluateCustomer } from '../../src/domain/customer-status.js';
import type { CustomerStatusKind, MetricSettings } from '../../src/domain/status-types.js';
import type * as store from '../../src/store/store.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const settings: MetricSettings = {
  startMilestone: 'signed_up',
  completionMilestone: 'onboarding_completed',
  bufferDays: 14,
  stallAfterDays: 60,
};

const m = (milestone: string, occurredAt: number): Milestone => ({ customerId: 'c1', milestone, occurredAt });
const t = (ticketId: string, createdAt: number, overrides: Partial<TicketFacts> = {}): TicketFacts => ({
  source: 'zendesk',
  ticketId,
  createdAt,
  deleted: false,
  merged: false,
  outbound: false,
  reasonId: 'billing',
  countsReason: true,
  ...overrides,
});

// Started at T0, completed at T0 + 10 days: the window is [T0, T0 + 24 days).
const completed = [m('signed_up', T0), m('kickoff', T0 + 2 * DAY), m('onboarding_completed', T0 + 10 * DAY)];
const END = T0 + 24 * DAY;
describe('evaluateCustomer: ticket verdicts', () => {
  it.each<[string, TicketFacts, boolean, boolean, string | null]>([
    ['before the window', t('1', T0 - 1), false, false, null],
    ['exactly at the window start', t('1', T0), true, true, 'signed_up'],
    ['inside, after a later milestone', t('1', T0 + 3 * DAY), true, true, 'kickoff'],
    ['in the buffer, after completion', t('1', END - 1), true, true, 'onboarding_completed'],
    ['exactly at the window end', t('1', END), false, false, 'onboarding_completed'],
    ['deleted or spam', t('1', T0 + DAY, { deleted: true }), true, false, 'signed_up'],
    ['merged into another', t('1', T0 + DAY, { merged: true }), true, false, 'signed_up'],
    ['outbound', t('1', T0 + DAY, { outbound: true }), true, false, 'signed_up'],
    ['reason excluded from the metric', t('1', T0 + DAY, { countsReason: false }), true, false, 'signed_up'],
  ])('%s', (_name, ticket, inWindow, countsTowardMetric, milestonePhase) => {
    const { tickets } = evaluateCustomer(
      { customerId: 'c1', milestones: completed, tickets: [ticket] },
      settings,
      END,
    );
    expect(tickets).toEqual([
      { source: 'zendesk', ticketId: '1', inWindow, countsTowardMetric, milestonePhase },
    ]);
  });

  it('an open window has no end', () => {
    const { tickets } = evaluateCustomer(
      { customerId: 'c1', milestones: [m('signed_up', T0)], tickets: [t('1', T0 + 400 * DAY)] },
      settings,
      T0 + 401 * DAY,
    );
    expect(tickets).toEqual([
      {
        source: 'zendesk',
        ticketId: '1',
        inWindow: true,
        countsTowardMetric: true,
        milestonePhase: 'signed_up',
      },
    ]);
  });

  it('without a start no ticket is in a window; phases still come from the milestones', () => {
    const { tickets } = evaluateCustomer(
      { customerId: 'c1', milestones: [m('kickoff', T0)], tickets: [t('1', T0 - DAY), t('2', T0 + DAY)] },
      settings,
      T0 + 2 * DAY,
    );
    expect(tickets).toEqual([
      { source: 'zendesk', ticketId: '1', inWindow: false, countsTowardMetric: false, milestonePhase: null },
      {
        source: 'zendesk',
        ticketId: '2',
        inWindow: false,
        countsTowardMetric: false,
        milestonePhase: 'kickoff',
      },
    ]);
  });
});

const started = [m('signed_up', T0)];
const lateCompletion = [m('signed_up', T0), m('onboarding_completed', T0 + 70 * DAY)];

describe('evaluateCustomer: status', () => {
  it.each<[string, Milestone[], TicketFacts[], number, CustomerStatusKind, number]>([
    [
      'no start milestone',
      [m('onboarding_completed', T0)],
      [t('1', T0 + DAY)],
      T0 + 90 * DAY,
      'not_started',
      0,
    ],
    ['started, nothing yet', started, [], T0 + DAY, 'in_progress', 0],
    [
      'open window: had_tickets as soon as a ticket counts',
      started,
      [t('1', T0 + DAY)],
      T0 + DAY,
      'had_tickets',
      1,
    ],
    ['had_tickets beats in_buffer', completed, [t('1', T0 + 11 * DAY)], T0 + 12 * DAY, 'had_tickets', 1],
    ['had_tickets beats stalled', started, [t('1', T0 + DAY)], T0 + 100 * DAY, 'had_tickets', 1],
    ['had_tickets once closed', completed, [t('1', T0), t('2', END - 1)], END + DAY, 'had_tickets', 2],
    ['completed, buffer not over', completed, [], END - 1, 'in_buffer', 0],
    ['completed, buffer over exactly now', completed, [], END, 'zero_tickets', 0],
    [
      'tickets outside the window do not count',
      completed,
      [t('1', T0 - 1), t('2', END)],
      END,
      'zero_tickets',
      0,
    ],
    [
      'tickets that do not count',
      completed,
      [
        t('1', T0 + DAY, { deleted: true }),
        t('2', T0 + DAY, { merged: true }),
        t('3', T0 + DAY, { outbound: true }),
        t('4', T0 + DAY, { countsReason: false, reasonId: 'feature_request' }),
      ],
      END,
      'zero_tickets',
      0,
    ],
    ['one millisecond before the stall limit', started, [], T0 + 60 * DAY - 1, 'in_progress', 0],
    ['exactly at the stall limit', started, [], T0 + 60 * DAY, 'stalled', 0],
    ['a completion after stallAfterDays still completes', lateCompletion, [], T0 + 75 * DAY, 'in_buffer', 0],
    ['… and then closes as zero_tickets', lateCompletion, [], T0 + 84 * DAY, 'zero_tickets', 0],
    [
      'a completion before the start is no completion',
      [m('onboarding_completed', T0 - DAY), ...started],
      [],
      T0 + 61 * DAY,
      'stalled',
      0,
    ],
  ])('%s', (_name, milestones, tickets, now, status, countingTickets) => {
    const result = evaluateCustomer({ customerId: 'c1', milestones, tickets }, settings, now);
    expect([result.status.status, result.status.countingTickets]).toEqual([status, countingTickets]);
  });

  it('reports the whole status row', () => {
    const result = evaluateCustomer(
      {
        customerId: 'c1',
        milestones: completed,
        tickets: [t('9', T0 + 5 * DAY, { reasonId: 'bug' }), t('3', T0 - DAY)],
      },
      settings,
      END + DAY,
    );
    expect(result.status).toEqual({
      customerId: 'c1',
      windowStart: T0,
      completedAt: T0 + 10 * DAY,
      windowEnd: END,
      status: 'had_tickets',
      countingTickets: 1,
      firstTicketId: '9',
      firstTicketReason: 'bug',
    });
  });

  it.each<[string, TicketFacts[], string | null, string | null]>([
    ['none counting', [t('1', T0, { outbound: true })], null, null],
    [
      'the earliest counting ticket',
      [t('2', T0 + 2 * DAY, { reasonId: 'bug' }), t('1', T0 + DAY, { reasonId: 'how_to' })],
      '1',
      'how_to',
    ],
    [
      'a non-counting earlier ticket is skipped',
      [t('1', T0, { deleted: true }), t('2', T0 + DAY)],
      '2',
      'billing',
    ],
    [
      'same instant: by source first',
      [
        t('1', T0, { source: 'zendesk', reasonId: 'bug' }),
        t('2', T0, { source: 'intercom', reasonId: 'how_to' }),
      ],
      '2',
      'how_to',
    ],
    [
      'same instant and source: by ticket id',
      [t('b', T0, { reasonId: 'bug' }), t('a', T0, { reasonId: 'how_to' })],
      'a',
      'how_to',
    ],
  ])('first ticket: %s', (_name, tickets, firstTicketId, firstTicketReason) => {
    const { status } = evaluateCustomer({ customerId: 'c1', milestones: completed, tickets }, settings, END);
    expect([status.firstTicketId, status.firstTicketReason]).toEqual([firstTicketId, firstTicketReason]);
  });
});

describe('shapes shared with the store port', () => {
  it('match structurally', () => {
    expectTypeOf<LinkedTicketFacts>().toEqualTypeOf<store.LinkedTicketFacts>();
    expectTypeOf<TicketVerdict>().toEqualTypeOf<store.TicketVerdict>();
    expectTypeOf<ReturnType<typeof evaluateCustomer>>().toEqualTypeOf<store.CustomerResult>();
  });
});
