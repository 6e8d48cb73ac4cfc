import { z } from 'zod';

/**
 * Raw Zendesk payloads, as the API sends them. Loose objects: Zendesk adds fields often, and an
 * unknown field must never fail a ticket. Nullable where Zendesk is (Tickets, Users and
 * Organizations JSON format tables — developer.zendesk.com/api-reference/ticketing/tickets/tickets/).
 */

const zendeskId = z.number().int().nonnegative();
/** Zendesk sends `2024-03-01T10:00:00Z`; offsets are accepted in case a proxy rewrites them. */
const timestamp = z.iso.datetime({ offset: true });
/** `external_id` is a string in Zendesk, but imports through the API have left numbers. */
const externalId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** `custom_fields[].value`: text, number, checkbox, multi-select (array) or empty. */
export const customFieldValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])
  .optional();

export const rawTicketSchema = z.looseObject({
  id: zendeskId,
  created_at: timestamp,
  updated_at: timestamp,
  /** Bumped by every change, system ones included; the export follows it (Unix seconds). */
  generated_timestamp: z.number().int().nullish(),
  status: z.string().min(1),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  custom_fields: z.array(z.looseObject({ id: zendeskId, value: customFieldValueSchema })).nullish(),
  requester_id: zendeskId,
  submitter_id: zendeskId.nullish(),
  organization_id: zendeskId.nullish(),
});
export type RawTicket = z.infer<typeof rawTicketSchema>;

export const rawUserSchema = z.looseObject({
  /** null for the anonymous user `users/me` returns to a caller it could not authenticate. */
  id: zendeskId.nullable(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  external_id: externalId,
  /** `end-user`, `agent` or `admin`. */
  role: z.string().nullish(),
  organization_id: zendeskId.nullish(),
});
export type RawUser = z.infer<typeof rawUserSchema>;

export const rawOrganizationSchema = z.looseObject({
  id: zendeskId,
  name: z.string().nullish(),
  external_id: externalId,
  domain_names: z.array(z.string()).nullish(),
});
export type RawOrganization = z.infer<typeof rawOrganizationSchema>;

/**
 * One page of the cursor-based incremental ticket export. Items stay `unknown` here: each is
 * validated on its own so one bad ticket is quarantined instead of failing the page —
 * developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
 */
export const exportPageSchema = z.looseObject({
  tickets: z.array(z.unknown()),
  users: z.array(z.unknown()).nullish(),
  organizations: z.array(z.unknown()).nullish(),
  after_cursor: z.string().nullish(),
  after_url: z.string().nullish(),
  before_cursor: z.string().nullish(),
  before_url: z.string().nullish(),
  end_of_stream: z.boolean(),
});
export type ExportPage = z.infer<typeof exportPageSchema>;

/** `GET /api/v2/users/me.json` — developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user */
export const meResponseSchema = z.looseObject({ user: rawUserSchema });

/** `GET /api/v2/tickets/{id}.json?include=users,organizations` */
export const showTicketResponseSchema = z.looseObject({
  ticket: z.unknown(),
  users: z.array(z.unknown()).nullish(),
  organizations: z.array(z.unknown()).nullish(),
});

/** First issue of a zod error as one line: `requester_id: Invalid input: expected number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
