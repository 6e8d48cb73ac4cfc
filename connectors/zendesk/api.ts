import { ConfigError, InvalidPayloadError, PermanentError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { type JsonResponse, type RateLimit, rateLimitFromHeaders, requestJson } from '../shared/http.js';
import {
  describeIssues,
  type ExportPage,
  exportPageSchema,
  meResponseSchema,
  type RawUser,
  showTicketResponseSchema,
} from './schemas.js';

/**
 * Our own fetch-based Zendesk client. Not node-zendesk 6.0.1, because for this loop it is
 * wrong in three ways (reference Part A7, run-verified): a 429 carrying `Retry-After` comes back
 * as `{ result: Error }` instead of being thrown; its `getAll` stops after the first page on the
 * incremental endpoints; and `ticketexport.exportCursor` sends `cursor=undefined` on the first
 * call (and `start_time=undefined` on the next). It would also bypass the injected fetch.
 */

/** API token (`{email}/token:{token}`) or OAuth access token — developer.zendesk.com/api-reference/introduction/security-and-auth/ */
export type ZendeskAuth = { email: string; token: string } | { oauthToken: string };

export interface ZendeskApiOptions {
  /** scheme://host[:port]; the client adds `/api/v2`. */
  origin: string;
  auth: ZendeskAuth;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  maxAttempts?: number;
}

/** Where an export page starts: a first `start_time` (Unix seconds), or a Zendesk cursor. */
export type ExportStart = { startTime: number } | { cursor: string };

export interface ZendeskApi {
  readonly origin: string;
  me(signal?: AbortSignal): Promise<{ user: RawUser; rateLimit: RateLimit | null }>;
  exportTicketsPage(start: ExportStart, signal?: AbortSignal): Promise<ExportPage>;
  /** null when Zendesk no longer has the ticket (404: deleted tickets included). */
  showTicket(ticketId: string, signal?: AbortSignal): Promise<ShownTicket | null>;
}

export interface ShownTicket {
  ticket: unknown;
  users: unknown[];
  organizations: unknown[];
}

/**
 * The export's page size: Zendesk's maximum and default is 1000 — incremental_exports/#per_page.
 * Endpoint limit: 10 requests/minute (30 with High Volume), so big pages are the throughput.
 */
export const EXPORT_PAGE_SIZE = 1000;
/** Zendesk: start_time must be at least one minute in the past; the last minute is never returned. */
export const EXPORT_LAG_SECONDS = 60;
/** Sideloads that let linking work without one extra request per requester. */
const EXPORT_INCLUDE = 'users,organizations';

/** `settings.baseUrl` (scheme://host[:port]) when set, else `https://{subdomain}.zendesk.com`. */
export function zendeskOrigin(settings: { baseUrl?: unknown; subdomain?: unknown }): string {
  if (typeof settings.baseUrl === 'string' && settings.baseUrl !== '') {
    let url: URL;
    try {
      url = new URL(settings.baseUrl);
    } catch {
      throw new ConfigError(`settings.baseUrl: expected scheme://host[:port], got "${settings.baseUrl}"`);
    }
    return url.origin;
  }
  if (typeof settings.subdomain === 'string' && /^[a-z0-9][a-z0-9-]*$/i.test(settings.subdomain)) {
    return `https://${settings.subdomain.toLowerCase()}.zendesk.com`;
  }
  throw new ConfigError(
    'settings.subdomain: required (the NAME of https://NAME.zendesk.com) unless baseUrl is set',
  );
}

export function authorizationHeader(auth: ZendeskAuth): string {
  if ('oauthToken' in auth) return `Bearer ${auth.oauthToken}`;
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.token}`, 'utf8').toString('base64')}`;
}

/** A start_time Zendesk accepts: not negative, and at least a minute in the past. */
export function clampStartTime(startTimeSeconds: number, nowMs: number): number {
  const latest = Math.floor(nowMs / 1000) - EXPORT_LAG_SECONDS;
  return Math.max(0, Math.min(Math.floor(startTimeSeconds), latest));
}

export function createZendeskApi(options: ZendeskApiOptions): ZendeskApi {
  const authorization = authorizationHeader(options.auth);
  const get = (path: string, query: string, signal: AbortSignal | undefined, passThrough: number[] = []) =>
    requestJson({
      fetch: options.fetch,
      url: `${options.origin}/api/v2${path}${query ? `?${query}` : ''}`,
      headers: { Authorization: authorization },
      sleep: options.sleep,
      now: options.now,
      logger: options.logger,
      passThrough,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(signal ? { signal } : {}),
    });

  return {
    origin: options.origin,

    // Zendesk: Show the currently authenticated user — developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
    async me(signal) {
      const response = await get('/users/me.json', '', signal, [401]);
      if (response.status === 401) {
        throw new PermanentError(
          `Zendesk ${new URL(options.origin).host}: bad credentials — HTTP 401 ${vendorError(response.body)}; check the email and API token`,
        );
      }
      const parsed = meResponseSchema.safeParse(response.body);
      if (!parsed.success) throw invalid('users/me', response, describeIssues(parsed.error));
      return { user: parsed.data.user, rateLimit: rateLimitFromHeaders(response.headers) };
    },

    // Zendesk: incremental ticket export, cursor-based —
    // developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
    // The first call takes start_time, later ones only cursor. We rebuild the URL from
    // after_cursor rather than follow after_url, which names Zendesk's own host, not the
    // configured base URL (a proxy or simulator).
    async exportTicketsPage(start, signal) {
      const first =
        'cursor' in start
          ? `cursor=${encodeURIComponent(start.cursor)}`
          : `start_time=${clampStartTime(start.startTime, options.now())}`;
      const query = `${first}&include=${EXPORT_INCLUDE}&per_page=${EXPORT_PAGE_SIZE}`;
      const response = await get('/incremental/tickets/cursor.json', query, signal);
      const parsed = exportPageSchema.safeParse(response.body);
      if (!parsed.success)
        throw invalid('incremental ticket export page', response, describeIssues(parsed.error));
      return parsed.data;
    },

    // Zendesk: Show Ticket, with sideloads — developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-ticket
    async showTicket(ticketId, signal) {
      if (!/^\d+$/.test(ticketId))
        throw new InvalidPayloadError(`not a Zendesk ticket id: "${ticketId}"`, ticketId);
      const response = await get(`/tickets/${ticketId}.json`, `include=${EXPORT_INCLUDE}`, signal, [404]);
      if (response.status === 404) return null;
      const parsed = showTicketResponseSchema.safeParse(response.body);
      if (!parsed.success) throw invalid('show ticket', response, describeIssues(parsed.error));
      return {
        ticket: parsed.data.ticket,
        users: parsed.data.users ?? [],
        organizations: parsed.data.organizations ?? [],
      };
    },
  };
}

function invalid(what: string, response: JsonResponse, issues: string): InvalidPayloadError {
  return new InvalidPayloadError(`Zendesk ${what}: unexpected response shape (${issues})`, response.body);
}

/** Zendesk's error envelopes vary (`{"error":"..."}`, `{"error":{"title","message"}}`); quote what is there. */
function vendorError(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return `(${error})`;
  return error ? `(${JSON.stringify(error).slice(0, 200)})` : '';
}
