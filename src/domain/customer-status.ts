import type { Milestone } from './customer.js';
import { DAY_MS } from './metric.js';
import { milestonePhase } from './milestone-phase.js';
import type { CustomerStatus, CustomerStatusKind, MetricSettings } from './status-types.js';
import type { Source } from './ticket.js';

/**
 * A linked ticket as the status computation sees it (structurally the store's
 * `LinkedTicketFacts`, declared here because `src/domain` imports nothing outside itself).
 */
export interface LinkedTicketFacts {
  source: Source;
  ticketId: string;
  createdAt: number;
  deleted: boolean;
  merged: boolean;
  outbound: boolean;
  reasonId: string;
}

/** A linked ticket plus whether its reason counts (the reason's `countsTowardMetric`; the caller looks it up). */
export type TicketFacts = LinkedTicketFacts & { countsReason: boolean };

/** What the status computation decides per ticket (structurally the store's `TicketVerdict`). */
export interface TicketVerdict {
  source: Source;
  ticketId: string;
  inWindow: boolean;
  countsTowardMetric: boolean;
  milestonePhase: string | null;
}

/** A customer's window, epoch ms UTC (see {@link customerWindow}). */
export interface CustomerWindow {
  start: number | null;
  completedAt: number | null;
  end: number | null;
}

/**
 * A customer's window, epoch ms UTC:
 * - `start`: the earliest occurrence of `settings.startMilestone` (of any milestone when it is
 *   null); when there is none, everything is null.
 * - `completedAt`: the earliest `completionMilestone` at or after `start`. A completion before
 *   the start is ignored: data saying "completed before starting" is treated as not completed.
 * - `end`: `completedAt + bufferDays` whole days of 86 400 000 ms (absolute time, so no
 *   daylight-saving or time-zone shift), or null while not completed.
 * Milestone names match exactly (case-sensitive), as the config and the import spell them.
 */
export function customerWindow(milestones: readonly Milestone[], settings: MetricSettings): CustomerWindow {
  let start: number | null = null;
  for (const m of milestones) {
    if (settings.startMilestone !== null && m.milestone !== settings.startMilestone) continue;
    if (start === null || m.occurredAt < start) start = m.occurredAt;
  }
  if (start === null) return { start: null, completedAt: null, end: null };
  let completedAt: number | null = null;
  for (const m of milestones) {
    if (m.milestone !== settings.completionMilestone || m.occurredAt < start) continue;
    if (completedAt === null || m.occurredAt < completedAt) completedAt = m.occurredAt;
  }
  const end = completedAt === null ? null : completedAt + settings.bufferDays * DAY_MS;
  return { start, completedAt, end };
}

/** True when `createdAt` is inside the half-open window `[start, end)`; an open window has no end. */
export function inWindow(window: CustomerWindow, createdAt: number): boolean {
  return (
    window.start !== null && window.start <= createdAt && (window.end === null || createdAt < window.end)
  );
}

/** A status plus one verdict per input ticket (structurally the store's `CustomerResult`). */
export interface CustomerEvaluation {
  status: CustomerStatus;
  tickets: TicketVerdict[];
}

/**
 * A customer's status and a verdict for each of its tickets (in input order).
 *
 * A ticket counts when it is in the window (see {@link inWindow}), not deleted, not merged,
 * not outbound, and its reason counts. The status, first rule that applies:
 * - `not_started`: no start milestone (no ticket is then in the window);
 * - `had_tickets`: at least one counting ticket, whatever else holds (open window included);
 * - `zero_tickets`: completed and `now >= end`;
 * - `in_buffer`: completed and `now < end`;
 * - `stalled`: not completed and `now - start >= stallAfterDays` days. `>=` like every edge
 *   here: "completion within N days" is the half-open span `[start, start + N days)`, so at
 *   exactly N days it has run out. A later completion turns it into `in_buffer`/`zero_tickets`.
 * - `in_progress`: otherwise.
 * `firstTicketId`/`firstTicketReason` belong to the earliest counting ticket (ties broken by
 * source, then ticket id, both compared by code unit), else null.
 */
export function evaluateCustomer(
  input: { customerId: string; milestones: readonly Milestone[]; tickets: readonly TicketFacts[] },
  settings: MetricSettings,
  now: number,
): CustomerEvaluation {
  const window = customerWindow(input.milestones, settings);
  let first: TicketFacts | null = null;
  let countingTickets = 0;
  const tickets: TicketVerdict[] = [];
  for (const t of input.tickets) {
    const within = inWindow(window, t.createdAt);
    const counts = within && !t.deleted && !t.merged && !t.outbound && t.countsReason;
    if (counts) {
      countingTickets += 1;
      if (first === null || isEarlier(t, first)) first = t;
    }
    tickets.push({
      source: t.source,
      ticketId: t.ticketId,
      inWindow: within,
      countsTowardMetric: counts,
      milestonePhase: milestonePhase(input.milestones, t.createdAt),
    });
  }
  return {
    status: {
      customerId: input.customerId,
      windowStart: window.start,
      completedAt: window.completedAt,
      windowEnd: window.end,
      status: statusKind(window, countingTickets, settings, now),
      countingTickets,
      firstTicketId: first?.ticketId ?? null,
      firstTicketReason: first?.reasonId ?? null,
    },
    tickets,
  };
}

function statusKind(
  window: CustomerWindow,
  countingTickets: number,
  settings: MetricSettings,
  now: number,
): CustomerStatusKind {
  if (window.start === null) return 'not_started';
  if (countingTickets > 0) return 'had_tickets';
  if (window.end !== null) return now >= window.end ? 'zero_tickets' : 'in_buffer';
  return now - window.start >= settings.stallAfterDays * DAY_MS ? 'stalled' : 'in_progress';
}

function isEarlier(a: TicketFacts, b: TicketFacts): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  if (a.source !== b.source) return a.source < b.source;
  return a.ticketId < b.ticketId;
}
