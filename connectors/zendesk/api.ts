import { ConfigError, InvalidPayloadError, PermanentError, TransientError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { Lane } from '../shared/budget.js';
import {
  type JsonResponse,
  type RateLimit,
  type RetryPolicy,
  rateLimitFromHeaders,
  requestJson,
} from '../shared/http.js';
import type { ZendeskPacing } from './pacing.js';
import {
  describeIssues,
  type ExportPage,
  exportPageSchema,
  meResponseSchema,
  type RawUser,
  showTicketResponseSchema,
} from './schemas.js';
import { createZendeskSdk } from './sdk.js';

/**
 * The Zendesk client. The export loop is our own fetch-based code, not node-zendesk 6.0.1,
 * because for this loop the SDK is wrong in three ways (reference Part A7, run-verified): a 429
 * carrying `Retry-After` comes back as `{ result: Error }` instead of being thrown; its `getAll`
 * stops after the first page on the incremental endpoints; and `ticketexport.exportCursor`
 * sends `cursor=undefined` on the first call (and `start_time=undefined` on the next). The
 * single-object calls (`users/me`, Show Ticket) go through node-zendesk (sdk.ts), over the same
 * transport. Every request spends the account's request budget (pacing.ts).
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
  pacing: ZendeskPacing;
  maxAttempts?: number;
  /** Jitter source for the 5xx backoff (tests fix it). */
  random?: () => number;
}

/** Where an export page starts: a first `start_time` (Unix seconds), or a Zendesk cursor. */
export type ExportStart = { startTime: number } | { cursor: string };

export interface ZendeskApi {
  readonly origin: string;
  me(signal?: AbortSignal): Promise<{ user: RawUser; rateLimit: RateLimit | null }>;
  /**
   * One export page, or `{ invalid }` when Zendesk answered 2xx with a body that is not an
   * export page (the caller quarantines it and asks again), or `{ refused }` when Zendesk
   * refused the cursor (HTTP 400/422: the caller falls back to its high-water start_time).
   */
  exportTicketsPage(
    start: ExportStart,
    lane: Lane,
    signal?: AbortSignal,
  ): Promise<{ page: ExportPage } | { invalid: InvalidPayloadError } | { refused: string }>;
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
  const sdk = createZendeskSdk(options.origin, options.auth);
  const policy = (endpoint: 'api' | 'export', lane: Lane, signal: AbortSignal | undefined): RetryPolicy => ({
    fetch: options.fetch,
    sleep: options.sleep,
    now: options.now,
    logger: options.logger,
    ...options.pacing.hooks(endpoint, lane, signal),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.random ? { random: options.random } : {}),
    ...(signal ? { signal } : {}),
  });
  const host = new URL(options.origin).host;

  return {
    origin: options.origin,

    // Zendesk: Show the currently authenticated user — developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
    async me(signal) {
      const response = await sdk.me(policy('api', 'webhook', signal)).catch((error: unknown) => {
        throw verifyError(error, host);
      });
      const parsed = meResponseSchema.safeParse(response.body);
      if (!parsed.success) throw invalid('users/me', response, describeIssues(parsed.error));
      return { user: parsed.data.user, rateLimit: rateLimitFromHeaders(response.headers) };
    },

    // Zendesk: incremental ticket export, cursor-based —
    // developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
    // The first call takes start_time, later ones only cursor. We rebuild the URL from
    // after_cursor rather than follow after_url, which names Zendesk's own host, not the
    // configured base URL (a proxy or simulator).
    async exportTicketsPage(start, lane, signal) {
      const first =
        'cursor' in start
          ? `cursor=${encodeURIComponent(start.cursor)}`
          : `start_time=${clampStartTime(start.startTime, options.now())}`;
      const query = `${first}&include=${EXPORT_INCLUDE}&per_page=${EXPORT_PAGE_SIZE}`;
      let response: JsonResponse;
      try {
        response = await requestJson({
          ...policy('export', lane, signal),
          url: `${options.origin}/api/v2/incremental/tickets/cursor.json?${query}`,
          headers: { Authorization: authorization },
          passThrough: 'cursor' in start ? [400, 422] : [],
        });
      } catch (error) {
        if (error instanceof InvalidPayloadError) return { invalid: error };
        throw error;
      }
      if (response.status === 400 || response.status === 422) {
        return { refused: `HTTP ${response.status} ${vendorError(response.body)}`.trim() };
      }
      const parsed = exportPageSchema.safeParse(response.body);
      if (!parsed.success)
        return { invalid: invalid('incremental ticket export page', response, describeIssues(parsed.error)) };
      return { page: parsed.data };
    },

    // Zendesk: Show Ticket, with sideloads — developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-ticket
    async showTicket(ticketId, signal) {
      if (!/^\d+$/.test(ticketId))
        throw new InvalidPayloadError(`not a Zendesk ticket id: "${ticketId}"`, ticketId);
      const response = await sdk.showTicket(Number(ticketId), policy('api', 'webhook', signal));
      if (!response) return null;
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

/** Which part of the connection is wrong, in words an ops person can act on. */
function verifyError(error: unknown, host: string): unknown {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const said = error instanceof Error ? error.message.replace(/^Zendesk users\/me: /, '') : String(error);
  if (status === 401)
    return new PermanentError(`Zendesk ${host}: bad credentials — ${said}; check the email and API token`, {
      cause: error,
    });
  if (status === 403)
    return new PermanentError(
      `Zendesk ${host}: forbidden — ${said}; is token access on (Admin Center → Apps and integrations → APIs), and the account active?`,
      { cause: error },
    );
  if (status === 404)
    return new PermanentError(`Zendesk ${host}: unknown subdomain — ${said}; check --subdomain`, {
      cause: error,
    });
  if (error instanceof PermanentError && /host not found/.test(error.message))
    return new PermanentError(
      `Zendesk ${host}: unknown subdomain — the name does not resolve (DNS); check --subdomain`,
      {
        cause: error,
      },
    );
  if (error instanceof TransientError)
    return new TransientError(`Zendesk ${host}: network or server trouble, try again — ${error.message}`, {
      cause: error,
    });
  return error;
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
