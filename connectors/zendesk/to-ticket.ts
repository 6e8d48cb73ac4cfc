import type { FieldValue, HelpdeskOrganization, HelpdeskUser, Ticket } from '../../src/domain/ticket.js';
import type { RawOrganization, RawTicket, RawUser } from './schemas.js';

/** Sideloaded users and organizations of the page, by Zendesk id. */
export interface ZendeskLookups {
  users: ReadonlyMap<number, RawUser>;
  organizations: ReadonlyMap<number, RawOrganization>;
}

/** The system tag Zendesk puts on a ticket merged into another (the one that survives counts). */
export const MERGED_TAG = 'closed_by_merge';
/** Roles that make a requester "the company": such tickets are outbound (DESIGN: metric). */
const STAFF_ROLES = new Set(['agent', 'admin']);

export function lookupsFrom(
  users: readonly RawUser[],
  organizations: readonly RawOrganization[],
): ZendeskLookups {
  const userMap = new Map<number, RawUser>();
  for (const user of users) if (user.id !== null) userMap.set(user.id, user);
  return { users: userMap, organizations: new Map(organizations.map((o) => [o.id, o])) };
}

/**
 * A raw Zendesk ticket as the normalized Ticket. Pure: the requester comes from the page's
 * sideloaded users; when Zendesk did not sideload them the requester keeps only its id (the
 * sync fills it from users stored by earlier pages).
 */
export function toTicket(raw: RawTicket, lookups: ZendeskLookups, connectionId: string): Ticket {
  const requester = lookups.users.get(raw.requester_id);
  const subject = raw.subject ?? '';
  const tags = (raw.tags ?? []).map((t) => t.toLowerCase());
  const orgIds = [requester?.organization_id, raw.organization_id].filter(
    (id): id is number => typeof id === 'number',
  );
  const organizationExternalIds = [
    ...new Set(
      orgIds
        .map((id) => lookups.organizations.get(id)?.external_id)
        .filter((id): id is string => typeof id === 'string'),
    ),
  ];
  return {
    source: 'zendesk',
    connectionId,
    ticketId: String(raw.id),
    createdAt: Date.parse(raw.created_at),
    updatedAt: Date.parse(raw.updated_at),
    status: raw.status,
    subject,
    text: [subject, raw.description ?? ''].filter((part) => part !== '').join('\n'),
    tags,
    fields: fieldsOf(raw),
    requester: {
      id: String(raw.requester_id),
      externalId: requester?.external_id ?? null,
      email: normalizeEmail(requester?.email),
      organizationExternalIds,
    },
    // The requester, not the submitter: an agent logging a customer's call submits the ticket
    // but the customer is its requester, so it is not outbound.
    outbound: requester?.role != null && STAFF_ROLES.has(requester.role),
    // Zendesk: the incremental export keeps deleted and spam tickets with status "deleted".
    deleted: raw.status === 'deleted',
    merged: tags.includes(MERGED_TAG),
  };
}

function fieldsOf(raw: RawTicket): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const field of raw.custom_fields ?? []) fields[String(field.id)] = field.value ?? null;
  return fields;
}

function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** A sideloaded user; users without an id (the anonymous user) are never passed here. */
export function toHelpdeskUser(raw: RawUser & { id: number }, connectionId: string): HelpdeskUser {
  return {
    connectionId,
    userId: String(raw.id),
    externalId: raw.external_id ?? null,
    email: normalizeEmail(raw.email),
    role: raw.role == null ? null : STAFF_ROLES.has(raw.role) ? 'staff' : 'customer',
    organizationIds: typeof raw.organization_id === 'number' ? [String(raw.organization_id)] : [],
  };
}

export function toHelpdeskOrganization(raw: RawOrganization, connectionId: string): HelpdeskOrganization {
  return {
    connectionId,
    organizationId: String(raw.id),
    externalId: raw.external_id ?? null,
    name: raw.name ?? null,
  };
}
