import { DAY_MS } from '../domain/metric.js';
import type { Reason } from '../domain/reason.js';
import type { ReasonTicketRow } from '../store/store.js';
import { escapeMrkdwn, mentionOwner } from './render-digest.js';
import type { SlackMessage } from './slack.js';
import { type LinkableConnection, ticketUrl } from './ticket-links.js';

/** One owner's daily note: their reasons that got new tickets since that reason's last note. */
export interface OwnerNote {
  owner: string;
  reasons: ReasonNote[];
}

export interface ReasonNote {
  reasonId: string;
  title: string;
  /** The last note's time (or a day before `now` for a first note): tickets since then are new. */
  since: number;
  newTickets: NoteTicket[];
  /** Counting tickets in each of the four trailing 7-day spans, oldest first. */
  trend: [number, number, number, number];
  /** Customers with a ticket of this reason in the trailing 28 days, most tickets first. */
  customers: Array<{ id: string; name: string; tickets: number }>;
}

export interface NoteTicket {
  source: ReasonTicketRow['source'];
  ticketId: string;
  subject: string;
  createdAt: number;
  customer: string | null;
  url: string | null;
}

/** Tickets the notes read: the trailing 28 days (the trend's reach and the cap on "new"). */
export const NOTE_WINDOW_DAYS = 28;
const MAX_TICKETS_SHOWN = 10;
const MAX_CUSTOMERS_SHOWN = 10;
const MAX_REASONS_PER_NOTE = 15;

/**
 * Groups the trailing 28 days of classified tickets into one note per owner (sorted by owner;
 * reasons in config order). A reason without an owner, or without a ticket created since its
 * last note (`lastNoteAt`, default: a day before `now`), is left out, and so is an owner left
 * with no reason: nobody gets an empty note.
 */
export function buildOwnerNotes(input: {
  reasons: readonly Reason[];
  tickets: readonly ReasonTicketRow[];
  lastNoteAt: ReadonlyMap<string, number>;
  connections: readonly LinkableConnection[];
  now: number;
}): OwnerNote[] {
  const byConnection = new Map(input.connections.map((c) => [c.id, c]));
  const byReason = new Map<string, ReasonTicketRow[]>();
  for (const t of input.tickets) {
    const list = byReason.get(t.reasonId) ?? [];
    list.push(t);
    byReason.set(t.reasonId, list);
  }
  const byOwner = new Map<string, ReasonNote[]>();
  for (const reason of input.reasons) {
    if (!reason.owner) continue;
    const tickets = byReason.get(reason.id) ?? [];
    const since = input.lastNoteAt.get(reason.id) ?? input.now - DAY_MS;
    const fresh = tickets
      .filter((t) => t.createdAt >= since && t.createdAt < input.now)
      .sort((a, b) => a.createdAt - b.createdAt || a.ticketId.localeCompare(b.ticketId));
    if (fresh.length === 0) continue;
    const notes = byOwner.get(reason.owner) ?? [];
    notes.push({
      reasonId: reason.id,
      title: reason.title,
      since,
      newTickets: fresh.map((t) => ({
        source: t.source,
        ticketId: t.ticketId,
        subject: t.subject,
        createdAt: t.createdAt,
        customer: t.customerName ?? t.customerId,
        url: ticketUrl(byConnection.get(t.connectionId), t.ticketId),
      })),
      trend: weeklyTrend(tickets, input.now),
      customers: affectedCustomers(tickets),
    });
    byOwner.set(reason.owner, notes);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([owner, reasons]) => ({ owner, reasons }));
}

function weeklyTrend(tickets: readonly ReasonTicketRow[], now: number): [number, number, number, number] {
  const perWeek = [0, 0, 0, 0];
  for (const t of tickets) {
    if (!t.countsTowardMetric) continue;
    const weeksAgo = Math.floor((now - t.createdAt) / (7 * DAY_MS));
    if (weeksAgo >= 0 && weeksAgo < 4) perWeek[3 - weeksAgo] = (perWeek[3 - weeksAgo] ?? 0) + 1;
  }
  const [a = 0, b = 0, c = 0, d = 0] = perWeek;
  return [a, b, c, d];
}

function affectedCustomers(tickets: readonly ReasonTicketRow[]): ReasonNote['customers'] {
  const byId = new Map<string, { id: string; name: string; tickets: number }>();
  for (const t of tickets) {
    if (t.customerId === null) continue;
    const c = byId.get(t.customerId) ?? {
      id: t.customerId,
      name: t.customerName ?? t.customerId,
      tickets: 0,
    };
    c.tickets += 1;
    byId.set(t.customerId, c);
  }
  return [...byId.values()].sort((a, b) => b.tickets - a.tickets || a.name.localeCompare(b.name));
}

/**
 * The note as Slack blocks. In a thread the owner is mentioned so Slack notifies them; in a DM
 * the greeting names nobody.
 */
export function renderOwnerNote(note: OwnerNote, where: 'dm' | 'thread'): SlackMessage {
  const total = note.reasons.reduce((n, r) => n + r.newTickets.length, 0);
  const who = where === 'thread' ? `${mentionOwner(note.owner)} ` : '';
  const blocks: unknown[] = [
    section(`${who}*${total} new ${plural(total, 'ticket')}* for the reasons you own:`),
  ];
  for (const r of note.reasons.slice(0, MAX_REASONS_PER_NOTE)) {
    blocks.push({ type: 'divider' });
    blocks.push(
      section(
        [
          `*${escapeMrkdwn(r.title)}* — ${r.newTickets.length} new since ${stamp(r.since)}`,
          ...ticketLines(r),
        ].join('\n'),
      ),
    );
    blocks.push(
      context(
        `4-week trend (counting tickets per week, oldest first): ${r.trend.join(' → ')} ${spark(r.trend)}`,
        `Customers affected (28 days): ${customerList(r.customers)}`,
      ),
    );
  }
  const summary = note.reasons.map((r) => `${r.title} (${r.newTickets.length})`).join(', ');
  return { text: `${total} new ${plural(total, 'ticket')} for your reasons: ${summary}`, blocks };
}

function ticketLines(r: ReasonNote): string[] {
  const lines = r.newTickets.slice(0, MAX_TICKETS_SHOWN).map((t) => {
    const label = `#${t.ticketId}`;
    const ref = t.url ? `<${t.url}|${label}>` : label;
    const who = t.customer ? ` — ${escapeMrkdwn(truncate(t.customer, 60))}` : ' — unlinked';
    return `• ${ref} ${escapeMrkdwn(truncate(t.subject, 80))}${who} (${stamp(t.createdAt)})`;
  });
  const more = r.newTickets.length - MAX_TICKETS_SHOWN;
  if (more > 0) lines.push(`… and ${more} more`);
  return lines;
}

function customerList(customers: ReasonNote['customers']): string {
  if (customers.length === 0) return 'none linked';
  const shown = customers.slice(0, MAX_CUSTOMERS_SHOWN).map((c) => `${escapeMrkdwn(c.name)} (${c.tickets})`);
  const more = customers.length - MAX_CUSTOMERS_SHOWN;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

const SPARK = '▁▂▃▄▅▆▇█';
function spark(values: readonly number[]): string {
  const max = Math.max(...values);
  return values
    .map((v) => (max === 0 ? SPARK[0] : SPARK[Math.round((v / max) * (SPARK.length - 1))]))
    .join('');
}

/** `2026-11-23 09:00 UTC`: notes read the same whoever opens them. */
function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine || '(no subject)';
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** Slack refuses a section text over 3,000 characters; cut whole lines past it. */
const SECTION_MAX = 3000;

function section(text: string): unknown {
  if (text.length <= SECTION_MAX) return { type: 'section', text: { type: 'mrkdwn', text } };
  const cut = text.slice(0, SECTION_MAX - 2);
  const end = cut.lastIndexOf('\n');
  return { type: 'section', text: { type: 'mrkdwn', text: `${end > 0 ? cut.slice(0, end) : cut}\n…` } };
}

function context(...texts: string[]): unknown {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}
