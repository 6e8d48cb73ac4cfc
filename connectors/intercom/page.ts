import type { z } from 'zod';
import type {
  HelpdeskOrganization,
  HelpdeskUser,
  QuarantinedPayload,
  Ticket,
} from '../../src/domain/ticket.js';
import type { IntercomApi } from './api.js';
import {
  describeIssues,
  type RawCompany,
  type RawContact,
  rawCompanySchema,
  rawContactSchema,
  rawConversationSchema,
  rawIntercomTicketSchema,
} from './schemas.js';
import {
  companyToOrganization,
  contactToUser,
  conversationToTicket,
  intercomTicketToTicket,
} from './to-ticket.js';

export interface MappedPage {
  tickets: Ticket[];
  users: HelpdeskUser[];
  organizations: HelpdeskOrganization[];
  quarantined: QuarantinedPayload[];
}

/**
 * Contacts and companies the sync has met, cached for the connector's lifetime (one sync run,
 * bounded), so a contact with twenty conversations costs one lookup. Contacts are fetched in batches of
 * 100 per search; companies one by one (Intercom has no batch lookup by id), each once.
 */
export interface Directory {
  resolve(
    contactIds: readonly string[],
    quarantine: Quarantine,
  ): Promise<{
    contacts: Map<string, RawContact | null>;
    companies: Map<string, RawCompany | null>;
  }>;
}

type Quarantine = (kind: string, payload: unknown, error: string) => void;

/** Cache bounds: a long backfill must not keep every contact of a large workspace in memory. */
const MAX_CACHED_CONTACTS = 50_000;
const MAX_CACHED_COMPANIES = 10_000;

export function createDirectory(api: IntercomApi): Directory {
  const contacts = new Map<string, RawContact | null>();
  const companies = new Map<string, RawCompany | null>();
  return {
    async resolve(contactIds, quarantine) {
      const wanted = [...new Set(contactIds)];
      if (contacts.size > MAX_CACHED_CONTACTS) contacts.clear();
      if (companies.size > MAX_CACHED_COMPANIES) companies.clear();
      const missing = wanted.filter((id) => !contacts.has(id));
      if (missing.length > 0) {
        for (const payload of await api.contacts(missing)) {
          const parsed = rawContactSchema.safeParse(payload);
          if (parsed.success) contacts.set(parsed.data.id, parsed.data);
          else quarantine('contact', payload, describeIssues(parsed.error));
        }
        // Deleted contacts (and invalid ones, quarantined above) resolve to "unknown".
        for (const id of missing) if (!contacts.has(id)) contacts.set(id, null);
      }
      const pageContacts = new Map(wanted.map((id) => [id, contacts.get(id) ?? null]));
      const companyIds = new Set<string>();
      for (const contact of pageContacts.values())
        for (const ref of contact?.companies?.data ?? []) companyIds.add(ref.id);
      const pageCompanies = new Map<string, RawCompany | null>();
      for (const id of companyIds) {
        if (!companies.has(id)) {
          const payload = await api.company(id);
          const parsed = payload === null ? null : rawCompanySchema.safeParse(payload);
          if (parsed && !parsed.success) quarantine('company', payload, describeIssues(parsed.error));
          companies.set(id, parsed?.success ? parsed.data : null);
        }
        pageCompanies.set(id, companies.get(id) ?? null);
      }
      return { contacts: pageContacts, companies: pageCompanies };
    },
  };
}

/**
 * Validates every item of a search page (or a single retrieved item) on its own (STYLE 3):
 * good ones are mapped with their requester's contact and companies, each bad one is
 * quarantined with its zod issues, and the page goes on.
 */
export async function mapPage(
  kind: 'conversations' | 'tickets',
  items: readonly unknown[],
  directory: Directory,
  connectionId: string,
): Promise<MappedPage> {
  const quarantined: QuarantinedPayload[] = [];
  const quarantine: Quarantine = (what, payload, error) =>
    quarantined.push({
      connectionId,
      source: 'intercom',
      kind: what,
      externalId: readableId(payload),
      payload,
      error,
    });
  const schema = kind === 'conversations' ? rawConversationSchema : rawIntercomTicketSchema;
  const valid: Array<z.infer<typeof schema>> = [];
  for (const payload of items) {
    const parsed = schema.safeParse(payload);
    if (parsed.success) valid.push(parsed.data);
    else
      quarantine(kind === 'conversations' ? 'conversation' : 'ticket', payload, describeIssues(parsed.error));
  }
  const contactIds = valid.flatMap((item) => item.contacts.contacts.slice(0, 1).map((c) => c.id));
  const lookups = await directory.resolve(contactIds, quarantine);
  const tickets = valid.map((item) =>
    kind === 'conversations'
      ? conversationToTicket(item as z.infer<typeof rawConversationSchema>, lookups, connectionId)
      : intercomTicketToTicket(item as z.infer<typeof rawIntercomTicketSchema>, lookups, connectionId),
  );
  const users = [...lookups.contacts.values()]
    .filter((c): c is RawContact => c !== null)
    .map((c) => contactToUser(c, connectionId));
  const organizations = [...lookups.companies.values()]
    .filter((c): c is RawCompany => c !== null)
    .map((c) => companyToOrganization(c, connectionId));
  return { tickets, users, organizations, quarantined };
}

function readableId(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const id = (payload as { id?: unknown }).id;
  return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : null;
}
