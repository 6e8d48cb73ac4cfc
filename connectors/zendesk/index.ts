import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, PermanentError } from '../../src/errors.js';
import type {
  Connector,
  ConnectorContext,
  ConnectorPage,
  PullOptions,
  WebhookDelivery,
} from '../connector.js';
import { createMemoryBudget } from '../shared/budget.js';
import { createZendeskApi, type ZendeskAuth, zendeskOrigin } from './api.js';
import { exportLimitFor, zendeskPacing } from './pacing.js';
import { mapItems } from './page.js';
import { pullTickets } from './pull.js';
import { parseZendeskWebhook } from './webhook.js';

export { TICKETS_STREAM } from './pull.js';

/**
 * The Zendesk connector: `verify()` checks the token is an admin's (the incremental export is
 * admin-only) and reads the account's rate limit, `pullChanges()` walks the cursor-based
 * incremental ticket export page by page, `fetchTicket()` and `parseWebhook()` serve webhooks.
 * Every request spends the account's request budget (`ctx.budget`, else one of its own).
 */
export function createZendeskConnector(ctx: ConnectorContext): Connector {
  const now = ctx.now ?? Date.now;
  const sleep = ctx.sleep ?? ((ms: number) => delay(ms));
  const origin = zendeskOrigin(ctx.settings);
  const auth = authFrom(ctx.credentials, ctx.settings);
  const exportLimit = exportLimitSetting(ctx.settings);
  const pacing = zendeskPacing({
    budget: ctx.budget ?? createMemoryBudget({ now, sleep }),
    // The budget belongs to the Zendesk account, whatever proxy or base URL reaches it.
    account: budgetAccount(ctx.settings, origin),
    ...(exportLimit === undefined ? {} : { exportLimitPerMinute: exportLimit }),
    now,
  });
  const api = createZendeskApi({
    origin,
    auth,
    fetch: ctx.fetch ?? globalThis.fetch,
    sleep,
    now,
    logger: ctx.logger,
    pacing,
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
      const accountLimit = rateLimit?.limit ?? null;
      const exports = `exports ${exportLimit ?? exportLimitFor(accountLimit)}/min`;
      const limit =
        accountLimit === null
          ? `not reported; ${exports}`
          : `${accountLimit} requests/min${rateLimit?.remaining == null ? '' : ` (${rateLimit.remaining} left this minute)`}; ${exports}`;
      return { account, actingAs: `${who} (admin)`, rateLimit: limit };
    },

    pullChanges(cursor: string | null, options: PullOptions): AsyncIterable<ConnectorPage> {
      return pullTickets(
        { api, connectionId: ctx.connectionId, logger: ctx.logger, now, sleep },
        cursor,
        options,
      );
    },

    /**
     * A single ticket for a webhook refresh (webhook lane). Its page is no position in the
     * export, so it has its own stream (`webhook`) and an empty cursor that must not be stored
     * as one. null when Zendesk answers 404: the ticket was deleted (or never existed); the
     * export still lists a deleted ticket with status `deleted`, so the next sync marks it.
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

    parseWebhook(delivery: WebhookDelivery) {
      return parseZendeskWebhook(delivery, ctx.credentials.webhookSecret, now());
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

/**
 * `settings.exportLimitPerMinute` (10, or 30 with High Volume) when the connection states it;
 * else undefined, and the pacing learns it from the account limit.
 */
function exportLimitSetting(settings: Record<string, unknown>): number | undefined {
  const value = settings.exportLimitPerMinute;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `settings.exportLimitPerMinute: expected a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function budgetAccount(settings: Record<string, unknown>, origin: string): string {
  return typeof settings.subdomain === 'string' && settings.subdomain !== ''
    ? `${settings.subdomain.toLowerCase()}.zendesk.com`
    : new URL(origin).host;
}

function accountName(settings: Record<string, unknown>, origin: string): string {
  const host = new URL(origin).host;
  if (typeof settings.subdomain !== 'string' || settings.subdomain === '') return host;
  const vendorHost = `${settings.subdomain.toLowerCase()}.zendesk.com`;
  return vendorHost === host ? host : `${vendorHost} via ${host}`;
}
