import { type WebhookDelivery, type WebhookEvent, WebhookRejectedError } from '../connector.js';
import { hmac, safeEqual } from '../shared/hmac.js';
import { describeIssues, notificationSchema } from './schemas.js';

/**
 * Intercom signs each notification with `X-Hub-Signature: sha1=<hex>`, the HMAC-SHA1 of the raw
 * body keyed with the app's client secret — developers.intercom.com/docs/webhooks/setting-up-webhooks
 * ("Signed notifications"). There is no timestamp header, so there is no replay window to check.
 */
export const SIGNATURE_HEADER = 'x-hub-signature';

/** Topics whose item is a conversation or a ticket we refresh — .../webhooks/webhook-models */
const REFRESH_PREFIXES = ['conversation.', 'ticket.'];
/** Topics under those prefixes that are not about the item's content. */
const IGNORED_TOPICS = new Set(['conversation.deleted', 'ticket.deleted']);

export function signPayload(rawBody: string | Uint8Array, clientSecret: string): string {
  return `sha1=${hmac('sha1', clientSecret, rawBody, 'hex')}`;
}

/** Constant-time check of `X-Hub-Signature` against the raw body bytes. */
export function verifySignature(
  rawBody: Uint8Array,
  header: string | undefined,
  clientSecret: string | undefined,
): boolean {
  if (!header || !clientSecret) return false;
  return safeEqual(signPayload(rawBody, clientSecret), header.trim().toLowerCase());
}

/**
 * Authenticates and reads one delivery: a bad or missing signature throws
 * WebhookRejectedError (the route answers 401 and stores nothing); the test `ping` and topics
 * we do not follow are `ignore`; conversation and ticket topics (created, replied, closed, …)
 * ask for a refresh of their item, which `fetchTicket` reads back from the API.
 */
export function parseIntercomWebhook(
  delivery: WebhookDelivery,
  clientSecret: string | undefined,
): WebhookEvent {
  if (!clientSecret) {
    throw new WebhookRejectedError(
      'intercom: no client secret is configured for this connection (connect with --webhook-secret)',
    );
  }
  if (!verifySignature(delivery.rawBody, delivery.headers[SIGNATURE_HEADER], clientSecret)) {
    throw new WebhookRejectedError('intercom: X-Hub-Signature does not match the body');
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(delivery.rawBody).toString('utf8'));
  } catch {
    return { kind: 'ignore', reason: 'body is not JSON' };
  }
  const parsed = notificationSchema.safeParse(body);
  if (!parsed.success)
    return { kind: 'ignore', reason: `not a notification (${describeIssues(parsed.error)})` };
  const { topic, data } = parsed.data;
  if (topic === 'ping') return { kind: 'ignore', reason: 'ping' };
  const id = data.item?.id;
  if (IGNORED_TOPICS.has(topic) || !REFRESH_PREFIXES.some((p) => topic.startsWith(p)) || !id) {
    return { kind: 'ignore', reason: `topic ${topic}` };
  }
  return { kind: 'refresh', ticketIds: [id] };
}
