import { signPayload } from '../zendesk/webhook.js';
import { zendeskTime } from './zendesk-types.js';

export interface WebhookDeliveryOptions {
  /** Where to POST, e.g. `http://127.0.0.1:8080/webhooks/zendesk/zendesk-acme`. */
  url: string;
  /** The webhook's signing secret (what `connect zendesk --webhook-secret` stored). */
  secret: string;
  ticketId: number;
  /** Event type after `zen:event-type:ticket.` (default `status_changed`). */
  change?: string;
  /** Epoch ms the delivery is signed at (default: the simulator's clock). */
  signedAt?: number;
  /** Sign with this secret instead (a forged delivery). */
  forgeWith?: string;
  fetch?: typeof fetch;
}

export interface WebhookDeliveryResult {
  status: number;
  body: string;
  /** What was sent, so a test can send it again (a replay). */
  sent: { body: string; headers: Record<string, string> };
}

/**
 * A ticket event as a Zendesk event-subscribed webhook posts it, signed the way Zendesk signs —
 * developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/ and
 * developer.zendesk.com/documentation/webhooks/verifying/ (base64 HMAC-SHA256 of timestamp + body).
 */
export function webhookDelivery(
  options: Omit<WebhookDeliveryOptions, 'url' | 'fetch'> & { signedAt: number; accountId?: number },
): { body: string; headers: Record<string, string> } {
  const change = options.change ?? 'status_changed';
  const body = JSON.stringify({
    account_id: options.accountId ?? 1,
    detail: { id: String(options.ticketId) },
    event: {},
    id: `01${options.ticketId.toString(36).toUpperCase().padStart(24, '0')}`,
    subject: `zen:ticket:${options.ticketId}`,
    time: zendeskTime(options.signedAt),
    type: `zen:event-type:ticket.${change}`,
    zendesk_event_version: '2022-11-06',
  });
  const timestamp = zendeskTime(options.signedAt);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Zendesk-Webhook-Id': '01SIMULATORWEBHOOK',
      'X-Zendesk-Webhook-Invocation-Id': String(options.ticketId),
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      'X-Zendesk-Webhook-Signature': signPayload(body, timestamp, options.forgeWith ?? options.secret),
    },
  };
}

/** POSTs a signed delivery (or a replay of `sent`) and returns the receiver's answer. */
export async function postWebhook(
  url: string,
  sent: { body: string; headers: Record<string, string> },
  fetchFn: typeof fetch = globalThis.fetch,
): Promise<WebhookDeliveryResult> {
  const response = await fetchFn(url, { method: 'POST', headers: sent.headers, body: sent.body });
  return { status: response.status, body: await response.text(), sent };
}
