import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/domain/customer.js';
import { milestonePhase } from '../../src/domain/milestone-phase.js';

const m = (milestone: string, occurredAt: number): Milestone => ({ customerId: 'c1', milestone, occurredAt });

// Deliberately out of time order; `kickoff` and `import_done` share an instant, kickoff first.
const shuffled = [m('completed', 300), m('kickoff', 200), m('signed_up', 100), m('import_done', 200)];

describe('milestonePhase', () => {
  it.each<[string, Milestone[], number, string | null]>([
    ['no milestones', [], 1_000, null],
    ['ticket before every milestone', shuffled, 99, null],
    ['a milestone at the ticket instant is reached', shuffled, 100, 'signed_up'],
    ['between two milestones', shuffled, 150, 'signed_up'],
    ['a tie goes to the later one in input order', shuffled, 200, 'import_done'],
    ['same tie, reversed input', [m('import_done', 200), m('kickoff', 200)], 250, 'kickoff'],
    ['just before the next one', shuffled, 299, 'import_done'],
    ['after the last one', shuffled, 10_000, 'completed'],
    ['negative times (before 1970)', [m('signed_up', -5_000), m('kickoff', -1_000)], -2_000, 'signed_up'],
  ])('%s', (_name, milestones, createdAt, phase) => {
    expect(milestonePhase(milestones, createdAt)).toBe(phase);
  });
});
