import type { z } from 'zod';
import type {
  HelpdeskOrganization,
  HelpdeskUser,
  QuarantinedPayload,
  Ticket,
} from '../../src/domain/ticket.js';
import {
  describeIssues,
  type RawOrganization,
  type RawUser,
  rawOrganizationSchema,
  rawTicketSchema,
  rawUserSchema,
} from './schemas.js';
import { lookupsFrom, toHelpdeskOrganization, toHelpdeskUser, toTicket } from './to-ticket.js';

/** Raw items of one page: export page or Show Ticket response, envelope already validated. */
export interface RawItems {
  tickets: readonly unknown[];
  users?: readonly unknown[] | null | undefined;
  organizations?: readonly unknown[] | null | undefined;
}

export interface MappedItems {
  tickets: Ticket[];
  users: HelpdeskUser[];
  organizations: HelpdeskOrganization[];
  quarantined: QuarantinedPayload[];
  /** The greatest `generated_timestamp` (Unix s) among the page's valid tickets. */
  highWater: number | null;
}

/**
 * Validates every item on its own (STYLE 3): the good ones are mapped, each bad one is
 * quarantined with its zod issues, and the page goes on.
 */
export function mapItems(items: RawItems, connectionId: string): MappedItems {
  const quarantined: QuarantinedPayload[] = [];
  const quarantine = (kind: string, payload: unknown, error: z.ZodError) =>
    quarantined.push({
      connectionId,
      source: 'zendesk',
      kind,
      externalId: readableId(payload),
      payload,
      error: describeIssues(error),
    });

  const users: RawUser[] = [];
  for (const payload of items.users ?? []) {
    const parsed = rawUserSchema.safeParse(payload);
    if (!parsed.success) quarantine('user', payload, parsed.error);
    else if (parsed.data.id !== null) users.push(parsed.data);
  }
  const organizations: RawOrganization[] = [];
  for (const payload of items.organizations ?? []) {
    const parsed = rawOrganizationSchema.safeParse(payload);
    if (parsed.success) organizations.push(parsed.data);
    else quarantine('organization', payload, parsed.error);
  }

  const lookups = lookupsFrom(users, organizations);
  const tickets: Ticket[] = [];
  let highWater: number | null = null;
  for (const payload of items.tickets) {
    const parsed = rawTicketSchema.safeParse(payload);
    if (!parsed.success) {
      quarantine('ticket', payload, parsed.error);
      continue;
    }
    tickets.push(toTicket(parsed.data, lookups, connectionId));
    const generated = parsed.data.generated_timestamp;
    if (typeof generated === 'number' && (highWater === null || generated > highWater)) highWater = generated;
  }

  return {
    tickets,
    users: users.map((u) => toHelpdeskUser({ ...u, id: u.id as number }, connectionId)),
    organizations: organizations.map((o) => toHelpdeskOrganization(o, connectionId)),
    quarantined,
    highWater,
  };
}

function readableId(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const id = (payload as { id?: unknown }).id;
  return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : null;
}
