import { describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../../../connectors/connector.js';
import { createIntercomConnector } from '../../../connectors/intercom/index.js';
import { signPayload, verifySignature } from '../../../connectors/intercom/webhook.js';
import { createRandom } from '../../../connectors/simulator/random.js';
import { context, fixtureText } from './nock-setup.js';

const SECRET = 'client-secret-4b1d';
const connector = createIntercomConnector(
  context({ credentials: { token: 't', webhookSecret: SECRET } }).ctx,
);
const delivery = (body: string, signature: string | undefined) => ({
  headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
  rawBody: new Uint8Array(Buffer.from(body, 'utf8')),
});

describe('parseWebhook', () => {
  it('computes X-Hub-Signature as sha1= and the hex HMAC-SHA1 of the raw body', () => {
    // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog"), the RFC 2104 example.
    expect(signPayload('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9',
    );
  });

  it.each([
    ['webhook-conversation-user-replied', ['1001']],
    ['webhook-ticket-created', ['2001']],
  ])('asks for a refresh of the item of %s', (name, ticketIds) => {
    const body = fixtureText(name);
    expect(connector.parseWebhook!(delivery(body, signPayload(body, SECRET)))).toEqual({
      kind: 'refresh',
      ticketIds,
    });
  });

  it('answers the test ping without refreshing anything', () => {
    const body = fixtureText('ping');
    expect(connector.parseWebhook!(delivery(body, signPayload(body, SECRET)))).toEqual({
      kind: 'ignore',
      reason: 'ping',
    });
  });

  it('ignores topics that are not about a conversation or a ticket', () => {
    const body = fixtureText('webhook-contact-created');
    expect(connector.parseWebhook!(delivery(body, signPayload(body, SECRET)))).toEqual({
      kind: 'ignore',
      reason: 'topic contact.user.created',
    });
  });

  it.each([
    ['signed with another secret', (b: string) => signPayload(b, 'not-the-secret')],
    ['signed over another body', (b: string) => signPayload(`${b} `, SECRET)],
    ['without a signature', () => undefined],
    ['with a truncated signature', (b: string) => signPayload(b, SECRET).slice(0, 20)],
  ])('rejects a delivery %s', (_case, sign) => {
    const body = fixtureText('webhook-conversation-user-replied');
    expect(() => connector.parseWebhook!(delivery(body, sign(body)))).toThrow(WebhookRejectedError);
  });

  it('rejects every delivery when the connection has no client secret', () => {
    const bare = createIntercomConnector(context().ctx);
    const body = fixtureText('ping');
    expect(() => bare.parseWebhook!(delivery(body, signPayload(body, SECRET)))).toThrow(/no client secret/);
  });

  it('accepts an upper-case hex signature (the comparison is on the digest, not its spelling)', () => {
    const body = new Uint8Array(Buffer.from('{"a":1}'));
    expect(
      verifySignature(body, signPayload(body, SECRET).toUpperCase().replace('SHA1', 'sha1'), SECRET),
    ).toBe(true);
  });
});

describe('parseWebhook on arbitrary signed bodies', () => {
  it('never throws on a correctly signed body: ignore with a reason, or a refresh of string ids', () => {
    const random = createRandom(4_242);
    const values = (depth: number): unknown => {
      const pick = random.int(0, depth > 2 ? 4 : 7);
      if (pick === 0) return null;
      if (pick === 1) return random.int(-5, 5_000);
      if (pick === 2) return random.pick(['ping', 'conversation.user.created', 'ticket.created', '', 'x']);
      if (pick === 3) return random.chance(0.5);
      if (pick === 4) return 'notification_event';
      if (pick === 5) return Array.from({ length: random.int(0, 3) }, () => values(depth + 1));
      const keys = ['type', 'topic', 'data', 'item', 'id', 'app_id'];
      return Object.fromEntries(keys.filter(() => random.chance(0.6)).map((k) => [k, values(depth + 1)]));
    };
    for (let i = 0; i < 300; i += 1) {
      const body = random.chance(0.1) ? '{not json' : JSON.stringify(values(0));
      const event = connector.parseWebhook!(delivery(body, signPayload(body, SECRET)));
      if (event.kind === 'ignore') expect(event.reason).not.toBe('');
      else for (const id of event.ticketIds) expect(typeof id).toBe('string');
    }
  });
});
