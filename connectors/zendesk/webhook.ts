import { type WebhookDelivery, type WebhookEvent, WebhookRejectedError } from '../connector.js';
import { hmac, safeEqual } from '../shared/hmac.js';

/**
 * Zendesk webhook signing — developer.zendesk.com/documentation/webhooks/verifying/:
 * base64(HMAC-SHA256(secret, timestamp + rawBody)), the secret used as the literal string.
 */
export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** Zendesk leaves the replay window to the receiver; five minutes is the common choice. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing signature' | 'bad timestamp' | 'stale timestamp' | 'signature mismatch' };

/**
 * Checks a delivery against the raw body bytes (before any JSON parsing), in constant time, and
 * rejects timestamps further than `toleranceMs` from `now` (either way) so a captured delivery
 * cannot be replayed later.
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  timestampHeader: string | null | undefined,
  signatureHeader: string | null | undefined,
  secret: string,
  now: number,
  toleranceMs: number = DEFAULT_TOLERANCE_MS,
): SignatureCheck {
  if (!signatureHeader || !timestampHeader || !secret) return { ok: false, reason: 'missing signature' };
  const sentAt = parseTimestamp(timestampHeader);
  if (sentAt === null) return { ok: false, reason: 'bad timestamp' };
  if (Math.abs(now - sentAt) > toleranceMs) return { ok: false, reason: 'stale timestamp' };
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const message = Buffer.concat([Buffer.from(timestampHeader, 'utf8'), body]);
  const expected = hmac('sha256', secret, message, 'base64');
  return safeEqual(expected, signatureHeader.trim())
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

/** The signature for a delivery: for tests and the simulator. */
export function signPayload(rawBody: string, timestampHeader: string, secret: string): string {
  return hmac('sha256', secret, `${timestampHeader}${rawBody}`, 'base64');
}

/** Zendesk sends an ISO-8601 timestamp; epoch seconds are accepted too (format not pinned by the docs). */
function parseTimestamp(value: string): number | null {
  const trimmed = value.trim();
  if (/^\d{9,11}$/.test(trimmed)) return Number(trimmed) * 1000;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A delivery as the connector's `parseWebhook` reads it: authenticated first (a missing secret,
 * bad signature, stale or future timestamp → WebhookRejectedError, nothing else read), then
 * the ticket it is about. Two body shapes carry one:
 * - event webhooks — developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/:
 *   `{ "type": "zen:event-type:ticket.<change>", "subject": "zen:ticket:123", "detail": { "id": "123", … } }`
 *   (messaging-ticket events alike);
 * - trigger/automation webhooks, whose JSON body the admin writes; we document
 *   `{ "ticket_id": "{{ticket.id}}" }` and also read `{ "ticket": { "id": … } }`.
 * Anything else that is correctly signed is ignored (say, a user or organization event).
 */
export function parseZendeskWebhook(
  delivery: WebhookDelivery,
  secret: string | undefined,
  now: number,
): WebhookEvent {
  if (!secret) {
    throw new WebhookRejectedError(
      'no webhook signing secret is stored for this connection (connect zendesk --webhook-secret)',
    );
  }
  const check = verifySignature(
    delivery.rawBody,
    delivery.headers[TIMESTAMP_HEADER],
    delivery.headers[SIGNATURE_HEADER],
    secret,
    now,
  );
  if (!check.ok) throw new WebhookRejectedError(`Zendesk webhook refused: ${check.reason}`);

  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(delivery.rawBody).toString('utf8'));
  } catch {
    return { kind: 'ignore', reason: 'body is not JSON' };
  }
  const id = ticketIdOf(body);
  return id === null
    ? { kind: 'ignore', reason: 'not about a ticket' }
    : { kind: 'refresh', ticketIds: [id] };
}

function ticketIdOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  // Zendesk ids are positive integers; one past 2^53 could not name its ticket exactly.
  const asId = (value: unknown) => {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) > 0
      ? String(Number(text))
      : null;
  };
  if (typeof record.type === 'string' && record.type.startsWith('zen:event-type:')) {
    // Ticket and messaging-ticket events name the ticket in `detail.id` and `subject`
    // (`zen:ticket:123`); user, organization and other events are not about a ticket.
    if (!/^zen:event-type:(messaging_)?ticket\./.test(record.type)) return null;
    const detail = record.detail as Record<string, unknown> | undefined;
    const subject =
      typeof record.subject === 'string' ? /^zen:ticket:(\d+)$/.exec(record.subject)?.[1] : undefined;
    return asId(detail?.id) ?? asId(subject);
  }
  const ticket = record.ticket as Record<string, unknown> | undefined;
  return asId(record.ticket_id) ?? asId(ticket?.id);
}
