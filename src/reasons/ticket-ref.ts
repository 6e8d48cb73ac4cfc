import type { Source } from '../domain/ticket.js';
import type { TicketKey } from '../store/store.js';

const SOURCES: readonly Source[] = ['zendesk', 'intercom'];

export function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}

/**
 * A ticket as users write it, `zendesk/1161` or `intercom/215470…`: the helpdesk, a slash, and
 * the helpdesk's own id. Returns a message naming what is wrong instead when it is not one.
 */
export function parseTicketRef(ref: string): TicketKey | { error: string } {
  const slash = ref.indexOf('/');
  const source = slash < 0 ? '' : ref.slice(0, slash).trim().toLowerCase();
  const ticketId = slash < 0 ? '' : ref.slice(slash + 1).trim();
  if (!isSource(source) || ticketId === '' || /\s|\//u.test(ticketId)) {
    return { error: `ticket "${ref}": expected zendesk/ID or intercom/ID (e.g. zendesk/1161)` };
  }
  return { source, ticketId };
}
