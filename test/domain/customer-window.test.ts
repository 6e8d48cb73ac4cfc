import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/domain/customer.js';
import type { CustomerWindow } from '../../src/domain/customer-status.js';
import { customerWindow } from '../../src/domain/customer-status.js';
import type { MetricSettings } from '../../src/domain/status-types.js';

// customerWindow(): evaluateCustomer() is tested in customer-status.test.ts.
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const END = T0 + 24 * DAY;
const settings: MetricSettings = {
  startMilestone: 'signed_up',
  completionMilestone: 'onboarding_completed',
  bufferDays: 14,
  stallAfterDays: 60,
};

const m = (milestone: string, occurredAt: number): Milestone => ({ customerId: 'c1', milestone, occurredAt });
const completed = [m('signed_up', T0), m('kickoff', T0 + 2 * DAY), m('onboarding_completed', T0 + 10 * DAY)];

describe('customerWindow', () => {
  it.each<[string, Milestone[], Partial<MetricSettings>, CustomerWindow]>([
    ['no milestones', [], {}, { start: null, completedAt: null, end: null }],
    [
      'no start milestone',
      [m('kickoff', T0), m('onboarding_completed', T0 + DAY)],
      {},
      { start: null, completedAt: null, end: null },
    ],
    ['started, not completed', [m('signed_up', T0)], {}, { start: T0, completedAt: null, end: null }],
    [
      'completed: end is bufferDays later',
      completed,
      {},
      { start: T0, completedAt: T0 + 10 * DAY, end: END },
    ],
    [
      'earliest start and earliest completion, any input order',
      [
        m('onboarding_completed', T0 + 20 * DAY),
        m('signed_up', T0 + 5 * DAY),
        m('onboarding_completed', T0 + 10 * DAY),
        m('signed_up', T0),
      ],
      {},
      { start: T0, completedAt: T0 + 10 * DAY, end: END },
    ],
    [
      'a completion before the start is ignored',
      [m('onboarding_completed', T0 - DAY), m('signed_up', T0)],
      {},
      { start: T0, completedAt: null, end: null },
    ],
    [
      'the first completion at or after the start',
      [m('onboarding_completed', T0 - DAY), m('signed_up', T0), m('onboarding_completed', T0 + 3 * DAY)],
      {},
      { start: T0, completedAt: T0 + 3 * DAY, end: T0 + 17 * DAY },
    ],
    [
      'a completion at the start instant counts',
      [m('signed_up', T0), m('onboarding_completed', T0)],
      {},
      { start: T0, completedAt: T0, end: T0 + 14 * DAY },
    ],
    [
      'startMilestone null: earliest milestone of any name',
      [m('signed_up', T0), m('kickoff', T0 - 2 * DAY), m('onboarding_completed', T0 + DAY)],
      { startMilestone: null },
      { start: T0 - 2 * DAY, completedAt: T0 + DAY, end: T0 + 15 * DAY },
    ],
    [
      'startMilestone null and the completion is the earliest milestone',
      [m('onboarding_completed', T0), m('kickoff', T0 + DAY)],
      { startMilestone: null },
      { start: T0, completedAt: T0, end: T0 + 14 * DAY },
    ],
    [
      'bufferDays 0: the window ends at the completion',
      completed,
      { bufferDays: 0 },
      { start: T0, completedAt: T0 + 10 * DAY, end: T0 + 10 * DAY },
    ],
    [
      'milestone names are case-sensitive',
      [m('Signed_Up', T0)],
      {},
      { start: null, completedAt: null, end: null },
    ],
    [
      'times with offsets are absolute instants',
      [
        m('signed_up', Date.parse('2026-03-01T00:30:00+02:00')),
        m('onboarding_completed', Date.parse('2026-03-02T01:00:00+02:00')),
      ],
      { bufferDays: 1 },
      {
        start: Date.parse('2026-02-28T22:30:00Z'),
        completedAt: Date.parse('2026-03-01T23:00:00Z'),
        end: Date.parse('2026-03-02T23:00:00Z'),
      },
    ],
  ])('%s', (_name, milestones, overrides, expected) => {
    expect(customerWindow(milestones, { ...settings, ...overrides })).toEqual(expected);
  });
});
