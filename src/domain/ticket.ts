/**
 * The one normalized ticket shape. Connectors map vendor payloads to it; nothing past
 * `connectors/` knows a vendor's field names. Times are epoch milliseconds, UTC.
 */
export type Source = 'zendesk' | 'intercom';

export type FieldValue = string | number | boolean | null | string[];

/** Who asked. Everything is optional because helpdesks leave any of it blank. */
export interface Requester {
  /** The helpdesk's own id of the user/contact. */
  id: string | null;
  /** The company's id for this person, as set in the helpdesk (`external_id`). */
  externalId: string | null;
  /** Lower-cased e-mail address. */
  email: string | null;
  /** External ids of the organizations/companies the requester belongs to. */
  organizationExternalIds: string[];
}

export interface Ticket {
  source: Source;
  connectionId: string;
  /** The helpdesk's id, as text with no prefix (e.g. `'1161'`). */
  ticketId: string;
  createdAt: number;
  updatedAt: number;
  /** The helpdesk's status (Zendesk `status`, Intercom `state`). */
  status: string;
  subject: string;
  /** Plain text used for classification: subject and first message, HTML removed. */
  text: string;
  /** Lower-cased helpdesk tags. */
  tags: string[];
  /** Custom field values keyed by the helpdesk's field id or attribute name. */
  fields: Record<string, FieldValue>;
  requester: Requester;
  /** The company started it (agent-created, admin-initiated, campaign, bot). */
  outbound: boolean;
  /** Deleted or marked as spam in the helpdesk. */
  deleted: boolean;
  /** Merged into another ticket (the surviving ticket is the one that counts). */
  merged: boolean;
}

export type HelpdeskRole = 'staff' | 'customer';

/** A helpdesk person (Zendesk user, Intercom contact) as seen by a connector. */
export interface HelpdeskUser {
  connectionId: string;
  userId: string;
  externalId: string | null;
  email: string | null;
  /**
   * `staff` when the person works for the company (a Zendesk agent or admin, an Intercom
   * admin): tickets they request are outbound. `customer` otherwise; null when unknown.
   */
  role: HelpdeskRole | null;
  organizationIds: string[];
}

/** A helpdesk organization (Zendesk organization, Intercom company). */
export interface HelpdeskOrganization {
  connectionId: string;
  organizationId: string;
  externalId: string | null;
  name: string | null;
}

/** A raw payload that failed validation: kept with its error, never dropped. */
export interface QuarantinedPayload {
  connectionId: string;
  source: Source;
  /** What the payload was, e.g. `ticket`, `page`, `user`. */
  kind: string;
  /** The vendor id when one could be read. */
  externalId: string | null;
  payload: unknown;
  error: string;
}

export function ticketKey(t: { source: Source; ticketId: string }): string {
  return `${t.source}/${t.ticketId}`;
}
