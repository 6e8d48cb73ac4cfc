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
