import { z } from 'zod';

/**
 * Raw Intercom payloads as API 2.14 sends them (intercom/Intercom-OpenAPI
 * `descriptions/2.14/api.intercom.io.yaml`). Loose objects: Intercom adds fields often and an
 * unknown field must never fail a conversation. Nullable where Intercom is.
 */

/** Intercom ids are strings; some older payloads carry numbers, which we read as text. */
const intercomId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
/** Unix seconds. */
const unixSeconds = z.number().int().nonnegative();
const nullableText = z.string().nullish();
/** `external_id` is a string in Intercom, but imports have left numbers and empty strings. */
const externalId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** A custom attribute value: text, number, boolean, date (Unix s), list, or something nested. */
export const attributeValueSchema = z.unknown();

const contactRefSchema = z.looseObject({ id: intercomId, external_id: externalId });

export const rawConversationSchema = z.looseObject({
  id: intercomId,
  title: nullableText,
  created_at: unixSeconds,
  updated_at: unixSeconds,
  /** `open`, `closed` or `snoozed`. */
  state: z.string().min(1),
  source: z.looseObject({
    type: nullableText,
    /** customer_initiated, admin_initiated, operator_initiated, campaigns_initiated, automated. */
    delivered_as: nullableText,
    subject: nullableText,
    /** HTML. */
    body: nullableText,
    author: z.looseObject({ type: nullableText, id: intercomId.nullish(), email: nullableText }).nullish(),
  }),
  /** The first contact is the requester (DESIGN: Intercom specifics). */
  contacts: z.looseObject({ contacts: z.array(contactRefSchema) }),
  tags: z.looseObject({ tags: z.array(z.looseObject({ name: z.string() })) }).nullish(),
  custom_attributes: z.record(z.string(), attributeValueSchema).nullish(),
  linked_objects: z.unknown().optional(),
});
export type RawConversation = z.infer<typeof rawConversationSchema>;

/**
 * `ticket_state` is an object from 2.12 on (`{type, id, category, internal_label,
 * external_label}`) and a plain string in 2.11; we pin 2.14 but read both.
 */
const ticketStateSchema = z.union([
  z
    .string()
    .min(1)
    .transform((category) => ({ category })),
  z.looseObject({ category: z.string().min(1) }),
]);

export const rawIntercomTicketSchema = z.looseObject({
  id: intercomId,
  /** `Customer`, `Back-office` or `Tracker`. */
  category: z.string().min(1),
  created_at: unixSeconds,
  updated_at: unixSeconds,
  ticket_state: ticketStateSchema,
  ticket_attributes: z.record(z.string(), attributeValueSchema).nullish(),
  contacts: z.looseObject({ contacts: z.array(contactRefSchema) }),
  open: z.boolean().nullish(),
});
export type RawIntercomTicket = z.infer<typeof rawIntercomTicketSchema>;

export const rawContactSchema = z.looseObject({
  id: intercomId,
  /** `user` or `lead`. */
  role: nullableText,
  email: nullableText,
  external_id: externalId,
  companies: z
    .looseObject({
      data: z.array(z.looseObject({ id: intercomId })).nullish(),
      has_more: z.boolean().nullish(),
    })
    .nullish(),
});
export type RawContact = z.infer<typeof rawContactSchema>;

export const rawCompanySchema = z.looseObject({
  /** Intercom's id. */
  id: intercomId,
  /** The company's own id for this company: what customers are imported with. */
  company_id: externalId,
  name: nullableText,
});
export type RawCompany = z.infer<typeof rawCompanySchema>;

/** `GET /me`: the admin the token acts as, and the workspace (`app`) it belongs to. */
export const meResponseSchema = z.looseObject({
  type: z.literal('admin'),
  id: intercomId,
  name: nullableText,
  email: nullableText,
  app: z.looseObject({ id_code: z.string().min(1), name: nullableText, region: nullableText }).nullish(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `pages.next.starting_after`: absent, null or empty on the last page. */
const pagesSchema = z
  .looseObject({
    next: z.looseObject({ starting_after: z.string().nullish() }).nullish(),
  })
  .nullish();

/** Search results: items stay `unknown` so each is validated (and quarantined) on its own. */
export const conversationListSchema = z.looseObject({
  conversations: z.array(z.unknown()),
  pages: pagesSchema,
});
export const ticketListSchema = z.looseObject({ tickets: z.array(z.unknown()), pages: pagesSchema });
export const contactListSchema = z.looseObject({ data: z.array(z.unknown()), pages: pagesSchema });

/** The webhook notification envelope — developers.intercom.com/docs/webhooks/webhook-notifications */
export const notificationSchema = z.looseObject({
  type: z.literal('notification_event'),
  topic: z.string().min(1),
  data: z.looseObject({
    item: z.looseObject({ type: z.string().nullish(), id: intercomId.nullish() }).nullish(),
  }),
});

/** Every zod issue as one line: `source.body: Invalid input: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
