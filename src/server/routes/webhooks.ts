import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type Connector, WebhookRejectedError } from '../../../connectors/connector.js';
import { ConfigError, errorMessage, InvalidPayloadError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ConnectionRecord, Store } from '../../store/store.js';
import type { WorkDispatcher } from '../dispatch.js';

/** Zendesk caps webhook payloads well below this; anything larger is not a delivery. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;
const PATH = '/webhooks/:kind{zendesk|intercom}/:connectionId';

export interface WebhookDeps {
  store: Store;
  logger: Logger;
  openConnector: (connection: ConnectionRecord) => Connector;
  dispatcher: WorkDispatcher;
}

/**
 * `POST /webhooks/zendesk/:connectionId` and `POST /webhooks/intercom/:connectionId`. No bearer
 * token: each delivery is authenticated by its signature, checked by the connector against the
 * raw body bytes. A rejected delivery answers 401 and stores nothing; an accepted one answers
 * 202 and its tickets are refreshed (inline, or by the workers).
 */
export function webhookRoutes(deps: WebhookDeps): Hono {
  const routes = new Hono();
  // Intercom validates a webhook URL with a HEAD request, which Hono answers with the GET
  // route: a plain 200 that says nothing about which connections exist.
  routes.get(PATH, (c) => c.body(null, 200));
  routes.post(
    PATH,
    bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: (c) => c.json({ error: 'payload too large' }, 413) }),
    async (c) => {
      const kind = c.req.param('kind');
      const connectionId = c.req.param('connectionId');
      const connection = await deps.store.getConnection(connectionId);
      // The same answer for "no such connection" and "another kind": nothing to probe.
      if (!connection || connection.kind !== kind) return c.json({ error: 'no such webhook' }, 404);
      let connector: Connector;
      try {
        connector = deps.openConnector(connection);
      } catch (error) {
        // A connector this version cannot build (e.g. not available yet): not the sender's fault.
        if (error instanceof ConfigError) return c.json({ error: errorMessage(error) }, 503);
        throw error;
      }
      if (!connector.parseWebhook) {
        return c.json({ error: `the ${kind} connector does not take webhooks yet` }, 404);
      }
      const rawBody = new Uint8Array(await c.req.arrayBuffer());
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      let event: ReturnType<NonNullable<Connector['parseWebhook']>>;
      try {
        event = connector.parseWebhook({ headers, rawBody });
      } catch (error) {
        if (error instanceof WebhookRejectedError) {
          deps.logger.warn({ connectionId, reason: error.message }, 'webhook rejected');
          return c.json({ error: 'signature rejected' }, 401);
        }
        if (error instanceof InvalidPayloadError) {
          deps.logger.warn({ connectionId, err: error }, 'webhook payload not understood');
          return c.json({ error: error.message }, 400);
        }
        throw error;
      }
      if (event.kind === 'ignore') return c.json({ ignored: event.reason }, 200);
      await deps.dispatcher.refreshTickets(connection.id, event.ticketIds);
      return c.json({ accepted: event.ticketIds.length }, 202);
    },
  );
  return routes;
}
