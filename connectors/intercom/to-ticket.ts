import type { FieldValue, HelpdeskOrganization, HelpdeskUser, Ticket } from '../../src/domain/ticket.js';
import type { RawCompany, RawContact, RawConversation, RawIntercomTicket } from './schemas.js';

/** Contacts and companies fetched for a page, by Intercom id (null: Intercom no longer has it). */
export interface IntercomLookups {
  contacts: ReadonlyMap<string, RawContact | null>;
  companies: ReadonlyMap<string, RawCompany | null>;
}

/**
 * `source.delivered_as` values that mean the company started the conversation (DESIGN: the
 * metric — admin-, operator-, campaign- or automation-initiated).
 */
const OUTBOUND_DELIVERY = new Set([
  'admin_initiated',
  'operator_initiated',
  'campaigns_initiated',
  'automated',
]);
/** `source.author.type` values that are the company, not a customer. */
const STAFF_AUTHORS = new Set(['admin', 'bot']);
/** Intercom's default ticket attributes; the rest are custom ones, used as fields. */
const TITLE_ATTRIBUTE = '_default_title_';
const DESCRIPTION_ATTRIBUTE = '_default_description_';
/** The ticket category a customer files; Back-office and Tracker tickets are the team's own. */
const CUSTOMER_CATEGORY = 'customer';

/**
 * A conversation as the normalized Ticket. Pure: the requester is the first contact, whoever
 * started it, resolved through the page's contacts and their companies; `ticketId` is the
 * conversation id and `status` its state. API 2.x has no merge marker and deleted
 * conversations vanish, so `merged` and `deleted` are false.
 */
export function conversationToTicket(
  raw: RawConversation,
  lookups: IntercomLookups,
  connectionId: string,
): Ticket {
  const subject = htmlToText(raw.source.subject ?? '') || (raw.title ?? '').trim();
  const body = htmlToText(raw.source.body ?? '');
  const delivered = raw.source.delivered_as ?? '';
  const author = raw.source.author?.type ?? '';
  return {
    source: 'intercom',
    connectionId,
    ticketId: raw.id,
    createdAt: raw.created_at * 1000,
    updatedAt: raw.updated_at * 1000,
    status: raw.state,
    subject,
    text: [subject, body].filter((part) => part !== '').join('\n'),
    tags: (raw.tags?.tags ?? []).map((t) => t.name.toLowerCase()),
    fields: fieldsOf(raw.custom_attributes ?? {}),
    requester: requesterOf(raw.contacts.contacts[0], lookups),
    outbound: OUTBOUND_DELIVERY.has(delivered) || STAFF_AUTHORS.has(author),
    deleted: false,
    merged: false,
  };
}

/**
 * An Intercom ticket (Tickets API) as the normalized Ticket: title and description from its
 * default attributes, the other attributes as fields, `status` the state's category
 * (submitted, in_progress, waiting_on_customer, resolved). Back-office and Tracker tickets are
 * the team's own work, not a customer asking: linked, never counted (outbound).
 */
export function intercomTicketToTicket(
  raw: RawIntercomTicket,
  lookups: IntercomLookups,
  connectionId: string,
): Ticket {
  const attributes = { ...(raw.ticket_attributes ?? {}) };
  const title =
    typeof attributes[TITLE_ATTRIBUTE] === 'string' ? htmlToText(attributes[TITLE_ATTRIBUTE]) : '';
  const description =
    typeof attributes[DESCRIPTION_ATTRIBUTE] === 'string'
      ? htmlToText(attributes[DESCRIPTION_ATTRIBUTE])
      : '';
  delete attributes[TITLE_ATTRIBUTE];
  delete attributes[DESCRIPTION_ATTRIBUTE];
  return {
    source: 'intercom',
    connectionId,
    ticketId: raw.id,
    createdAt: raw.created_at * 1000,
    updatedAt: raw.updated_at * 1000,
    status: raw.ticket_state.category,
    subject: title,
    text: [title, description].filter((part) => part !== '').join('\n'),
    tags: [],
    fields: fieldsOf(attributes),
    requester: requesterOf(raw.contacts.contacts[0], lookups),
    outbound: raw.category.toLowerCase() !== CUSTOMER_CATEGORY,
    deleted: false,
    merged: false,
  };
}

function requesterOf(
  ref: { id: string; external_id: string | null } | undefined,
  lookups: IntercomLookups,
): Ticket['requester'] {
  if (!ref) return { id: null, externalId: null, email: null, organizationExternalIds: [] };
  const contact = lookups.contacts.get(ref.id) ?? null;
  return {
    id: ref.id,
    externalId: contact?.external_id ?? ref.external_id,
    email: normalizeEmail(contact?.email),
    organizationExternalIds: contact ? companyExternalIds(contact, lookups) : [],
  };
}

/** The `company_id` of every company attached to the contact (DESIGN: the organization match). */
function companyExternalIds(contact: RawContact, lookups: IntercomLookups): string[] {
  const ids = (contact.companies?.data ?? [])
    .map((ref) => lookups.companies.get(ref.id)?.company_id)
    .filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

/** Custom attributes keyed by attribute name (DESIGN: `match.fields` keys are attribute names). */
export function fieldsOf(attributes: Record<string, unknown>): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) fields[name] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) fields[name] = value;
    else fields[name] = JSON.stringify(value);
  }
  return fields;
}

export function contactToUser(raw: RawContact, connectionId: string): HelpdeskUser {
  return {
    connectionId,
    userId: raw.id,
    externalId: raw.external_id,
    email: normalizeEmail(raw.email),
    // Contacts are users and leads: always the customer side. Admins are never contacts.
    role: 'customer',
    organizationIds: (raw.companies?.data ?? []).map((c) => c.id),
  };
}

export function companyToOrganization(raw: RawCompany, connectionId: string): HelpdeskOrganization {
  return { connectionId, organizationId: raw.id, externalId: raw.company_id, name: raw.name ?? null };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Intercom bodies are HTML: block tags become line breaks, other tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|blockquote|pre|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => decodeEntity(name) ?? whole)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function decodeEntity(name: string): string | null {
  if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? null;
  const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
}

function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}
