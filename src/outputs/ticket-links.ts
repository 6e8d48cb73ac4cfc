import type { Source } from '../domain/ticket.js';

/** What a link to a ticket needs from its connection (`settings` as `connect` stored them). */
export interface LinkableConnection {
  id: string;
  kind: Source;
  settings: Record<string, unknown>;
}

/**
 * The agent's view of a ticket in its helpdesk, or null when the connection does not say
 * enough to build one:
 * - Zendesk: `{baseUrl or https://{subdomain}.zendesk.com}/agent/tickets/{id}`
 *   (https://support.zendesk.com/hc/en-us/articles/4408882979354);
 * - Intercom: `https://app.intercom.com/a/inbox/{appId}/inbox/conversation/{id}`, when the
 *   workspace (app) id is known.
 */
export function ticketUrl(connection: LinkableConnection | undefined, ticketId: string): string | null {
  if (!connection) return null;
  const id = encodeURIComponent(ticketId);
  const { settings } = connection;
  if (connection.kind === 'zendesk') {
    if (typeof settings.baseUrl === 'string' && settings.baseUrl !== '') {
      return `${settings.baseUrl.replace(/\/+$/, '')}/agent/tickets/${id}`;
    }
    if (typeof settings.subdomain === 'string' && /^[a-z0-9][a-z0-9-]*$/i.test(settings.subdomain)) {
      return `https://${settings.subdomain.toLowerCase()}.zendesk.com/agent/tickets/${id}`;
    }
    return null;
  }
  const appId = settings.appId;
  if (typeof appId === 'string' && /^[A-Za-z0-9_-]+$/.test(appId)) {
    return `https://app.intercom.com/a/inbox/${appId}/inbox/conversation/${id}`;
  }
  return null;
}
