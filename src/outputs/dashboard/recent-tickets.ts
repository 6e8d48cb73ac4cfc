import type { Reason } from '../../domain/reason.js';
import type { RecentTicketRow } from '../../store/store.js';
import { type LinkableConnection, ticketUrl } from '../ticket-links.js';
import { reasonColors } from './colors.js';
import { describeReasonWhy } from './reason-why.js';

/** One row of the dashboard's "Recent tickets" list. */
export interface RecentTicket {
  source: RecentTicketRow['source'];
  ticketId: string;
  /** ISO-8601, UTC. */
  createdAt: string;
  customerId: string | null;
  /** The customer's name, else its id. */
  customer: string | null;
  /** The subject (or the start of the text), on one line. */
  subject: string;
  reasonId: string;
  reasonTitle: string;
  /** The reason's color in the bad-day chart. */
  reasonColor: string;
  classifiedBy: RecentTicketRow['classifiedBy'];
  confidence: number;
  /** The stored `detail`, as the warehouse's `reason_detail` has it. */
  detail: string;
  /** `detail` in words (see `describeReasonWhy`). */
  why: string;
  /** The ticket in its helpdesk, when its connection says enough to build the link. */
  url: string | null;
}

export interface RecentTicketsInput {
  rows: readonly RecentTicketRow[];
  reasons: readonly Pick<Reason, 'id' | 'title'>[];
  connections: readonly LinkableConnection[];
}

/** Store rows → what the page shows: titles, colors, the why in words and the helpdesk link. */
export function recentTickets(input: RecentTicketsInput): RecentTicket[] {
  const titles = new Map(input.reasons.map((r) => [r.id, r.title]));
  const colorOf = reasonColors(input.reasons.map((r) => r.id));
  const connections = new Map(input.connections.map((c) => [c.id, c]));
  return input.rows.map((row) => ({
    source: row.source,
    ticketId: row.ticketId,
    createdAt: new Date(row.createdAt).toISOString(),
    customerId: row.customerId,
    customer: row.customerName ?? row.customerId,
    subject: oneLine(row.subject),
    reasonId: row.reasonId,
    reasonTitle: titles.get(row.reasonId) ?? row.reasonId,
    reasonColor: colorOf(row.reasonId),
    classifiedBy: row.classifiedBy,
    confidence: row.confidence,
    detail: row.detail,
    why: describeReasonWhy(row.classifiedBy, row.detail, row.confidence),
    url: ticketUrl(connections.get(row.connectionId), row.ticketId),
  }));
}

/** Line breaks and runs of spaces (a chat's first words often hold them) become one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
