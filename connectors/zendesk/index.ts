import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, InvalidPayloadError, PermanentError } from '../../src/errors.js';
import type { Connector, ConnectorContext, ConnectorPage, PullOptions } from '../connector.js';
import { describeRateLimit } from '../shared/http.js';
import {
  clampStartTime,
  createZendeskApi,
  type ExportStart,
  type ZendeskAuth,
  zendeskOrigin,
} from './api.js';
import { decodeCursor, encodeCursor, type ZendeskCursor } from './cursor.js';
import { mapItems } from './page.js';

/** The cursor stream this connector's pages belong to. */
export const TICKETS_STREAM = 'tickets';

/**
 * The Zendesk connector: `verify()` checks the token is an admin's (the incremental export is
 * admin-only), `pullChanges()` walks the cursor-based incremental ticket export page by page.
 */
export function createZendeskConnector(ctx: ConnectorContext): Connector {
  const now = ctx.now ?? Date.now;
  const origin = zendeskOrigin(ctx.settings);
  const auth = authFrom(ctx.credentials, ctx.settings);
  const api = createZendeskApi({
    origin,
    auth,
    fetch: ctx.fetch ?? globalThis.fetch,
    sleep: ctx.sleep ?? ((ms) => delay(ms)),
    now,
    logger: ctx.logger,
  });
  const account = accountName(ctx.settings, origin);

  return {
    kind: 'zendesk',
    connectionId: ctx.connectionId,

    async verify() {
      const { user, rateLimit } = await api.me();
      // users/me answers 200 with an anonymous user (id null) to credentials it cannot
      // authenticate, so a 200 alone proves nothing.
      if (user.id === null || user.role === 'anonymous') {
        throw new PermanentError(
          `Zendesk ${account}: bad credentials — users/me answered as the anonymous user; check the email and API token`,
        );
      }
      const who = user.email ?? user.name ?? `user ${user.id}`;
      if (user.role !== 'admin') {
        throw new PermanentError(
          `Zendesk ${account}: ${who} is ${user.role ? `an ${user.role}` : 'not an admin'}; the incremental export API is admin-only, so connect with an admin's API token`,
        );
      }
      return { account, actingAs: `${who} (admin)`, rateLimit: describeRateLimit(rateLimit) };
    },

    async *pullChanges(cursor: string | null, options: PullOptions): AsyncIterable<ConnectorPage> {
      let state: ZendeskCursor =
        cursor === null
          ? {
              v: 1,
              after_cursor: null,
              start_time: clampStartTime(Math.floor(options.since / 1000), now()),
              high_water: null,
            }
          : decodeCursor(cursor);
      for (;;) {
        if (options.signal?.aborted) return;
        const start: ExportStart =
          state.after_cursor !== null ? { cursor: state.after_cursor } : { startTime: state.start_time ?? 0 };
        const page = await api.exportTicketsPage(start, options.signal);
        if (!page.end_of_stream && !page.after_cursor) {
          throw new InvalidPayloadError(
            'Zendesk export page: end_of_stream is false but after_cursor is missing',
            page,
          );
        }
        const mapped = mapItems(page, ctx.connectionId);
        const highWater =
          mapped.highWater === null || (state.high_water !== null && state.high_water >= mapped.highWater)
            ? state.high_water
            : mapped.highWater;
        state = page.after_cursor
          ? { v: 1, after_cursor: page.after_cursor, start_time: null, high_water: highWater }
          : { ...state, high_water: highWater };
        yield {
          stream: TICKETS_STREAM,
          cursor: encodeCursor(state),
          tickets: mapped.tickets,
          users: mapped.users,
          organizations: mapped.organizations,
          quarantined: mapped.quarantined,
        };
        // Zendesk: end_of_stream means this page reached "now" (minus the one-minute lag); the
        // next sync resumes from the same after_cursor.
        if (page.end_of_stream) return;
      }
    },

    /**
     * A single ticket for a webhook refresh. Its page is no position in the export, so it has
     * its own stream (`webhook`) and an empty cursor that must not be stored as one.
     */
    async fetchTicket(ticketId: string): Promise<ConnectorPage | null> {
      const shown = await api.showTicket(ticketId);
      if (!shown) return null;
      const mapped = mapItems({ ...shown, tickets: [shown.ticket] }, ctx.connectionId);
      return {
        stream: 'webhook',
        cursor: '',
        tickets: mapped.tickets,
        users: mapped.users,
        organizations: mapped.organizations,
        quarantined: mapped.quarantined,
      };
    },
  };
}

/** Credentials `{ email, token }` (API token) or `{ oauthToken }`. */
function authFrom(credentials: Record<string, string>, settings: Record<string, unknown>): ZendeskAuth {
  if (credentials.oauthToken) return { oauthToken: credentials.oauthToken };
  const email = credentials.email ?? (typeof settings.email === 'string' ? settings.email : undefined);
  if (email && credentials.token) return { email, token: credentials.token };
  throw new ConfigError('credentials: Zendesk needs email and token (an API token), or oauthToken');
}

function accountName(settings: Record<string, unknown>, origin: string): string {
  const host = new URL(origin).host;
  if (typeof settings.subdomain !== 'string' || settings.subdomain === '') return host;
  const vendorHost = `${settings.subdomain.toLowerCase()}.zendesk.com`;
  return vendorHost === host ? host : `${vendorHost} via ${host}`;
}
