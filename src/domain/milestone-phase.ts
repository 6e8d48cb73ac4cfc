import type { Milestone } from './customer.js';

/**
 * The onboarding phase a ticket was raised in: the name of the customer's latest milestone
 * with `occurredAt <= createdAt` (a milestone reached at the ticket's very instant counts as
 * reached), or null when there is none. `milestones` may come in any order; between
 * milestones at the same instant the later one in input order wins, exactly as if the list
 * were stably sorted by time and the last eligible one taken.
 */
export function milestonePhase(milestones: readonly Milestone[], createdAt: number): string | null {
  let latest: Milestone | null = null;
  for (const m of milestones) {
    // `>=` rather than `>`: on a tie the later input wins, matching a stable sort.
    if (m.occurredAt <= createdAt && (latest === null || m.occurredAt >= latest.occurredAt)) latest = m;
  }
  return latest?.milestone ?? null;
}
