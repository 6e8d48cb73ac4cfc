import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../../connectors/zendesk/webhook.js';

// Zendesk signs test deliveries sent before a webhook exists with this fixed secret, used as
// the literal string — developer.zendesk.com/documentation/webhooks/verifying/
const TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const BODY = '{"ticket_id":"1161","event":"ticket.updated"}';
const TIMESTAMP = '2026-11-24T08:00:00Z';
// Computed independently: printf '%s' "$TIMESTAMP$BODY" | openssl dgst -sha256 -hmac "$TEST_SECRET" -binary | base64
const SIGNATURE = '0iZlN5e2baz4cPIfpzJtULZKlRgUJs4iQtAEBRtHYtA=';
const SENT_AT = Date.parse(TIMESTAMP);
const MINUTE = 60_000;

describe('verifySignature', () => {
  it.each([
    ['a good signature', BODY, TIMESTAMP, SIGNATURE, SENT_AT + MINUTE, { ok: true }],
    ['the raw body as bytes', Buffer.from(BODY), TIMESTAMP, SIGNATURE, SENT_AT, { ok: true }],
    [
      'a body changed by one byte',
      BODY.replace('1161', '1162'),
      TIMESTAMP,
      SIGNATURE,
      SENT_AT,
      { ok: false, reason: 'signature mismatch' },
    ],
    [
      'a forged signature',
      BODY,
      TIMESTAMP,
      signPayload(BODY, TIMESTAMP, 'not-the-secret'),
      SENT_AT,
      { ok: false, reason: 'signature mismatch' },
    ],
    [
      'a signature of another length',
      BODY,
      TIMESTAMP,
      'abc',
      SENT_AT,
      { ok: false, reason: 'signature mismatch' },
    ],
    [
      'a hex digest instead of base64',
      BODY,
      TIMESTAMP,
      Buffer.from(SIGNATURE, 'base64').toString('hex'),
      SENT_AT,
      { ok: false, reason: 'signature mismatch' },
    ],
    [
      'a timestamp changed after signing',
      BODY,
      '2026-11-24T08:00:01Z',
      SIGNATURE,
      SENT_AT,
      { ok: false, reason: 'signature mismatch' },
    ],
    [
      'an old timestamp (replay)',
      BODY,
      TIMESTAMP,
      SIGNATURE,
      SENT_AT + 6 * MINUTE,
      { ok: false, reason: 'stale timestamp' },
    ],
    [
      'a timestamp from the future',
      BODY,
      TIMESTAMP,
      SIGNATURE,
      SENT_AT - 6 * MINUTE,
      { ok: false, reason: 'stale timestamp' },
    ],
    [
      'an unreadable timestamp',
      BODY,
      'yesterday',
      SIGNATURE,
      SENT_AT,
      { ok: false, reason: 'bad timestamp' },
    ],
    ['no signature header', BODY, TIMESTAMP, undefined, SENT_AT, { ok: false, reason: 'missing signature' }],
    ['no timestamp header', BODY, null, SIGNATURE, SENT_AT, { ok: false, reason: 'missing signature' }],
  ])('%s', (_case, body, timestamp, signature, now, expected) => {
    expect(verifySignature(body, timestamp, signature, TEST_SECRET, now)).toEqual(expected);
  });

  it('accepts an old timestamp inside a wider tolerance', () => {
    expect(
      verifySignature(BODY, TIMESTAMP, SIGNATURE, TEST_SECRET, SENT_AT + 6 * MINUTE, 10 * MINUTE),
    ).toEqual({ ok: true });
  });

  it('signs the way Zendesk does', () => {
    expect(signPayload(BODY, TIMESTAMP, TEST_SECRET)).toBe(SIGNATURE);
  });
});
