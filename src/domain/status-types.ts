/** The metric's settings (config `metric`). */
export interface MetricSettings {
  /** Null: the customer's earliest milestone of any name opens the window. */
  startMilestone: string | null;
  completionMilestone: string;
  bufferDays: number;
  stallAfterDays: number;
}

export type CustomerStatusKind =
  | 'zero_tickets'
  | 'had_tickets'
  | 'in_progress'
  | 'in_buffer'
  | 'stalled'
  | 'not_started';

export type LinkMethod = 'external_id' | 'email' | 'domain' | 'organization' | 'none';

/** A customer's computed status. Times are epoch milliseconds, UTC. */
export interface CustomerStatus {
  customerId: string;
  windowStart: number | null;
  completedAt: number | null;
  windowEnd: number | null;
  status: CustomerStatusKind;
  countingTickets: number;
  firstTicketId: string | null;
  firstTicketReason: string | null;
}
