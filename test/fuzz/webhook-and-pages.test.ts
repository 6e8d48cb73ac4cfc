import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../../connectors/connector.js';
import { mapItems } from '../../connectors/zendesk/page.js';
import {
  parseZendeskWebhook,
  SIGNATURE_HEADER,
  signPayload,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../connectors/zendesk/webhook.js';
import { FUZZ } from './fuzz-settings.js';

/**
 * Property tests of what Zendesk (or anyone pretending to be it) sends us: webhook deliveries
 * and export pages. Nothing throws but the one typed refusal; a bad item is quarantined, never
 * dropped, and never stops the page.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const SECRET = 'dGhpcyBpcyBhIHNlY3JldA==';
const headerValue = fc.oneof(
  fc.string(),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

describe('Zendesk webhook verification never crashes', () => {
  it('any body, timestamp and signature: refused with a reason, never thrown', () => {
    fc.assert(
      fc.property(
        fc.uint8Array(),
        headerValue,
        headerValue,
        fc.string(),
        (body, timestamp, signature, secret) => {
          const check = verifySignature(body, timestamp, signature, secret, NOW);
          expect(check.ok).toBe(false);
        },
      ),
      FUZZ,
    );
  });

  it('a correctly signed body within the tolerance is accepted; any changed byte is a mismatch', () => {
    const offset = fc.integer({ min: -300_000, max: 300_000 });
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), offset, fc.nat(), (body, skew, at) => {
        const timestamp = new Date(NOW + skew).toISOString();
        const signature = signPayload(body, timestamp, SECRET);
        expect(verifySignature(body, timestamp, signature, SECRET, NOW)).toEqual({ ok: true });
        const bytes = Buffer.from(body, 'utf8');
        bytes[at % bytes.length] = (bytes[at % bytes.length]! + 1) % 256;
        expect(verifySignature(bytes, timestamp, signature, SECRET, NOW)).toEqual({
          ok: false,
          reason: 'signature mismatch',
        });
      }),
      FUZZ,
    );
  });

  it('any delivery: an event, or a WebhookRejectedError saying why', () => {
    const delivery = fc.record({
      headers: fc.record({ [SIGNATURE_HEADER]: headerValue, [TIMESTAMP_HEADER]: headerValue }),
      rawBody: fc.oneof(
        fc.uint8Array(),
        fc.json().map((j) => new TextEncoder().encode(j)),
      ),
    });
    fc.assert(
      fc.property(delivery, fc.option(fc.string()), (d, secret) => {
        try {
          parseZendeskWebhook(d, secret ?? undefined, NOW);
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookRejectedError);
          expect((error as Error).message).toMatch(/refused: |no webhook signing secret/);
        }
      }),
      FUZZ,
    );
  });

  it('a signed delivery with any JSON body: ignored with a reason, or a refresh of numeric ticket ids', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.record({ ticket_id: fc.jsonValue() }).map((v) => JSON.stringify(v)),
        ),
        (body) => {
          const timestamp = new Date(NOW).toISOString();
          const headers = {
            [SIGNATURE_HEADER]: signPayload(body, timestamp, SECRET),
            [TIMESTAMP_HEADER]: timestamp,
          };
          const event = parseZendeskWebhook(
            { headers, rawBody: new TextEncoder().encode(body) },
            SECRET,
            NOW,
          );
          // An id must survive as the ticket it names: digits only, within 2^53 (no 1e+21, no rounding).
          if (event.kind === 'refresh')
            for (const id of event.ticketIds)
              expect(/^\d+$/.test(id) && Number.isSafeInteger(Number(id)), id).toBe(true);
          else expect(event.reason).not.toBe('');
        },
      ),
      FUZZ,
    );
  });
});

describe('Zendesk export pages never crash', () => {
  const ticketish = fc.oneof(
    fc.anything(),
    fc.record(
      {
        id: fc.oneof(fc.nat(), fc.string(), fc.constant(-1)),
        created_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        updated_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        status: fc.oneof(fc.constantFrom('open', 'deleted', ''), fc.anything()),
        requester_id: fc.oneof(fc.nat(), fc.constant(null)),
        tags: fc.oneof(fc.array(fc.string()), fc.anything()),
        custom_fields: fc.oneof(fc.array(fc.record({ id: fc.nat(), value: fc.jsonValue() })), fc.anything()),
      },
      { requiredKeys: [] },
    ),
  );
  const userish = fc.oneof(
    fc.anything(),
    fc.record(
      { id: fc.oneof(fc.nat(), fc.constant(null)), email: fc.option(fc.string()), role: fc.anything() },
      { requiredKeys: [] },
    ),
  );

  it('every raw ticket is either mapped or quarantined with its error, and counts add up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(ticketish, { maxLength: 20 }),
        fc.array(userish, { maxLength: 10 }),
        (tickets, users) => {
          const mapped = mapItems({ tickets, users, organizations: [] }, 'fuzz');
          const quarantinedTickets = mapped.quarantined.filter((q) => q.kind === 'ticket');
          expect(mapped.tickets.length + quarantinedTickets.length).toBe(tickets.length);
          for (const q of mapped.quarantined) expect(q.error).not.toBe('');
          for (const t of mapped.tickets) {
            expect(Number.isFinite(t.createdAt) && Number.isFinite(t.updatedAt)).toBe(true);
            expect(t.ticketId).toMatch(/^\d+$/);
          }
        },
      ),
      FUZZ,
    );
  });
});
