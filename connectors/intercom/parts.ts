import { z } from 'zod';
import type { Ticket } from '../../src/domain/ticket.js';
import { htmlToText } from './to-ticket.js';

/**
 * Search results carry no conversation parts (reference B2), so a conversation's text is its
 * first message. In the Messenger that is often just "Hi there 👋", with the question in the
 * next part: only then is the conversation retrieved (`GET /conversations/{id}`, which holds
 * the 500 most recent parts) and the customer's own comments appended. Never one extra call
 * per conversation on the hot path: only short, customer-started ones, and a few per page.
 */
export const MIN_TEXT_CHARS = 40;
/** At most this many retrievals per search page (150 conversations). */
export const MAX_RETRIEVALS_PER_PAGE = 25;
/** The appended text stops here; classification needs the question, not the transcript. */
const MAX_EXTRA_CHARS = 2_000;
/** Authors whose comments are the customer's words. */
const CUSTOMER_AUTHORS = new Set(['user', 'lead', 'contact']);

const partsSchema = z.looseObject({
  conversation_parts: z
    .looseObject({
      conversation_parts: z.array(
        z.looseObject({
          part_type: z.string().nullish(),
          body: z.string().nullish(),
          author: z.looseObject({ type: z.string().nullish() }).nullish(),
        }),
      ),
    })
    .nullish(),
});

/** The customer's comments of a retrieved conversation as plain text (empty when it has none). */
export function customerText(retrieved: unknown): string {
  const parsed = partsSchema.safeParse(retrieved);
  if (!parsed.success) return '';
  const text = (parsed.data.conversation_parts?.conversation_parts ?? [])
    .filter((part) => part.part_type === 'comment' && CUSTOMER_AUTHORS.has(part.author?.type ?? ''))
    .map((part) => htmlToText(part.body ?? ''))
    .filter((line) => line !== '')
    .join('\n');
  return text.slice(0, MAX_EXTRA_CHARS);
}

export function needsMoreText(ticket: Ticket): boolean {
  return !ticket.outbound && ticket.text.length < MIN_TEXT_CHARS;
}

/** The ticket with the customer's further comments appended to its text, when there are any. */
export function withCustomerText(ticket: Ticket, extra: string): Ticket {
  if (extra === '') return ticket;
  const lines = [ticket.text, ...extra.split('\n').filter((line) => !ticket.text.includes(line))];
  return { ...ticket, text: lines.filter((line) => line !== '').join('\n') };
}

/** Enriches a page's short, customer-started conversations, a bounded number of them. */
export async function enrichShortConversations(
  tickets: Ticket[],
  retrieve: (id: string) => Promise<unknown | null>,
): Promise<Ticket[]> {
  let budget = MAX_RETRIEVALS_PER_PAGE;
  const out: Ticket[] = [];
  for (const ticket of tickets) {
    if (budget > 0 && needsMoreText(ticket)) {
      budget -= 1;
      const retrieved = await retrieve(ticket.ticketId);
      out.push(retrieved === null ? ticket : withCustomerText(ticket, customerText(retrieved)));
    } else {
      out.push(ticket);
    }
  }
  return out;
}
