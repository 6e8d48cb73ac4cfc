import { IntercomClient, IntercomError } from 'intercom-client';
import { ConfigError, InvalidPayloadError, PermanentError } from '../../src/errors.js';
import {
  contactListSchema,
  conversationListSchema,
  describeIssues,
  type MeResponse,
  meResponseSchema,
  ticketListSchema,
} from './schemas.js';
import { createIntercomFetcher, rateObservation, type TransportOptions } from './transport.js';

/**
 * Intercom through the official intercom-client 7.0.3 with the API version pinned explicitly
 * (the shape of `ticket_state` changed in 2.12; DESIGN pins 2.14) and our transport under it
 * (transport.ts says why). The SDK's own retries are off (`maxRetries: 0`) so they never
 * fight ours.
 */
export const INTERCOM_VERSION = '2.14';
/** Search pages: Intercom's maximum — reference B2 (conversation search, max 150). */
export const SEARCH_PAGE_SIZE = 150;
/** Contacts looked up per `POST /contacts/search` (an `id IN [...]` filter, one page). */
export const CONTACT_BATCH = 100;
const TIMEOUT_SECONDS = 30;

/** Base URLs by data hosting region — developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/ */
export const REGION_ORIGINS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;
export type IntercomRegion = keyof typeof REGION_ORIGINS;

export interface IntercomApiOptions extends TransportOptions {
  origin: string;
  token: string;
}

/** One search page, envelope validated; the items are validated one by one by the caller. */
export interface SearchPage {
  items: unknown[];
  next: string | null;
}

export interface IntercomApi {
  readonly origin: string;
  me(): Promise<{ me: MeResponse; observation: ReturnType<typeof rateObservation> }>;
  /** Whether the workspace has any ticket types (i.e. uses the Tickets API). */
  usesTickets(): Promise<boolean>;
  /** Conversations or tickets updated at or after `sinceSeconds`, one page. */
  search(
    kind: 'conversations' | 'tickets',
    sinceSeconds: number,
    startingAfter: string | null,
    signal?: AbortSignal,
  ): Promise<SearchPage>;
  /** Contacts by Intercom id, one request per batch of CONTACT_BATCH. */
  contacts(ids: readonly string[]): Promise<unknown[]>;
  /** A company by Intercom's id (`companies.find`, not `retrieve`, which takes your company_id); null on 404. */
  company(id: string): Promise<unknown | null>;
  conversation(id: string): Promise<unknown | null>;
  ticket(id: string): Promise<unknown | null>;
}

/** `settings.baseUrl` (scheme://host[:port]) when set, else the region's origin (default us). */
export function intercomOrigin(settings: { baseUrl?: unknown; region?: unknown }): string {
  if (typeof settings.baseUrl === 'string' && settings.baseUrl !== '') {
    try {
      return new URL(settings.baseUrl).origin;
    } catch {
      throw new ConfigError(`settings.baseUrl: expected scheme://host[:port], got "${settings.baseUrl}"`);
    }
  }
  const region = settings.region ?? 'us';
  if (typeof region === 'string' && region in REGION_ORIGINS) return REGION_ORIGINS[region as IntercomRegion];
  throw new ConfigError(`settings.region: expected us, eu or au, got "${String(region)}"`);
}

export function createIntercomApi(options: IntercomApiOptions): IntercomApi {
  const client = new IntercomClient({
    token: options.token,
    baseUrl: options.origin,
    version: INTERCOM_VERSION,
    maxRetries: 0,
    timeoutInSeconds: TIMEOUT_SECONDS,
    fetcher: createIntercomFetcher(options),
  });
  const host = new URL(options.origin).host;
  const orNull = async <T>(call: () => Promise<T>): Promise<T | null> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof IntercomError && error.statusCode === 404) return null;
      throw translate(error, host);
    }
  };
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw translate(error, host);
    }
  };

  return {
    origin: options.origin,

    // Identify an admin: GET /me — developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/admins/identifyadmin
    async me() {
      const { data, rawResponse } = await guarded(() => client.admins.identify().withRawResponse());
      const parsed = meResponseSchema.safeParse(data);
      if (!parsed.success)
        throw new InvalidPayloadError(
          `Intercom /me: unexpected response (${describeIssues(parsed.error)})`,
          data,
        );
      return { me: parsed.data, observation: rateObservation(rawResponse.headers) };
    },

    // List all ticket types: GET /ticket_types — .../2.14/rest-api/api.intercom.io/ticket-types/listtickettypes
    async usesTickets() {
      const list = await guarded(() => client.ticketTypes.list());
      return (list?.data ?? []).length > 0;
    },

    // Search conversations / tickets: POST /conversations/search, POST /tickets/search —
    // .../2.14/rest-api/api.intercom.io/conversations/searchconversations. `updated_at >` is
    // documented as "greater (or equal)"; the caller's overlap covers either reading.
    async search(kind, sinceSeconds, startingAfter, signal) {
      const request = {
        query: { field: 'updated_at', operator: '>' as const, value: sinceSeconds },
        pagination: {
          per_page: SEARCH_PAGE_SIZE,
          ...(startingAfter === null ? {} : { starting_after: startingAfter }),
        },
      };
      const body: unknown = await guarded(async () =>
        kind === 'conversations'
          ? (await client.conversations.search(request, requestOptions(signal))).response
          : (await client.tickets.search(request, requestOptions(signal))).response,
      );
      const parsed = (kind === 'conversations' ? conversationListSchema : ticketListSchema).safeParse(body);
      if (!parsed.success) {
        throw new InvalidPayloadError(
          `Intercom ${kind} search page: unexpected shape (${describeIssues(parsed.error)})`,
          body,
        );
      }
      const items = 'conversations' in parsed.data ? parsed.data.conversations : parsed.data.tickets;
      const next = parsed.data.pages?.next?.starting_after;
      return { items: items as unknown[], next: typeof next === 'string' && next !== '' ? next : null };
    },

    // Search contacts: POST /contacts/search with `id IN [...]` — .../contacts/searchcontacts
    async contacts(ids) {
      const found: unknown[] = [];
      for (let i = 0; i < ids.length; i += CONTACT_BATCH) {
        const batch = ids.slice(i, i + CONTACT_BATCH);
        const page = await guarded(() =>
          client.contacts.search({
            query: { field: 'id', operator: 'IN', value: [...batch] },
            pagination: { per_page: SEARCH_PAGE_SIZE },
          }),
        );
        const parsed = contactListSchema.safeParse(page.response);
        if (!parsed.success) {
          throw new InvalidPayloadError(
            `Intercom contacts search: unexpected shape (${describeIssues(parsed.error)})`,
            page.response,
          );
        }
        found.push(...parsed.data.data);
      }
      return found;
    },

    // Retrieve a company by Intercom id: GET /companies/{id} — .../companies/retrievecompany
    company: (id) => orNull(() => client.companies.find({ company_id: id })),
    // Retrieve a conversation: GET /conversations/{id} — .../conversations/retrieveconversation
    conversation: (id) => orNull(() => client.conversations.find({ conversation_id: id })),
    // Retrieve a ticket: GET /tickets/{id} — .../tickets/getticket
    ticket: (id) => orNull(() => client.tickets.get({ ticket_id: id })),
  };
}

/** Per-request options: only the caller's abort signal (retries and timeouts are ours). */
function requestOptions(signal: AbortSignal | undefined): { abortSignal: AbortSignal } | undefined {
  return signal ? { abortSignal: signal } : undefined;
}

/** An SDK error (from a status we passed through) as one of our typed errors, with a clear message. */
function translate(error: unknown, host: string): unknown {
  if (!(error instanceof IntercomError) || error.statusCode === undefined) return error;
  const detail = vendorMessage(error.body);
  if (error.statusCode === 401) {
    return new PermanentError(
      `Intercom ${host}: the access token was refused (HTTP 401${detail}); check the token, and the region: a token works only against its workspace's region (--region us|eu|au)`,
    );
  }
  if (error.statusCode === 403) {
    return new PermanentError(
      `Intercom ${host}: forbidden (HTTP 403${detail}); the app lacks a permission this needs (see the README: read conversations, tickets, users and companies)`,
    );
  }
  return new PermanentError(`Intercom ${host}: HTTP ${error.statusCode}${detail}`);
}

/** Intercom's error envelope: `{type: "error.list", errors: [{code, message}]}`. */
function vendorMessage(body: unknown): string {
  const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const first = errors[0];
  const text = [first?.code, first?.message].filter((v) => typeof v === 'string').join(': ');
  return text ? ` — ${text.slice(0, 200)}` : '';
}
