import { describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../../../connectors/connector.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { signPayload } from '../../../connectors/zendesk/webhook.js';
import { context, NOW } from './nock-setup.js';

const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const STAMP = new Date(NOW).toISOString().replace('.000Z', 'Z');

/** A delivery as `serve` hands it over: lower-cased headers and the raw body bytes. */
function delivery(body: string, options: { stamp?: string; secret?: string } = {}) {
  const stamp = options.stamp ?? STAMP;
  return {
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature-timestamp': stamp,
      'x-zendesk-webhook-signature': signPayload(body, stamp, options.secret ?? SECRET),
    },
    rawBody: Buffer.from(body),
  };
}

function connector(credentials: Record<string, string> = { webhookSecret: SECRET }) {
  return createZendeskConnector(
    context({ credentials: { email: 'ops@acme.example', token: 't', ...credentials } }).ctx,
  );
}

const EVENT = JSON.stringify({
  type: 'zen:event-type:ticket.status_changed',
  detail: { id: '1161', status: 'SOLVED' },
  subject: 'zen:ticket:1161',
});

describe('parseWebhook', () => {
  it.each([
    ['a ticket event (event-subscribed webhook)', EVENT, ['1161']],
    [
      'a messaging ticket event',
      JSON.stringify({
        type: 'zen:event-type:messaging_ticket.message_added',
        detail: { id: '141' },
        subject: 'zen:ticket:141',
      }),
      ['141'],
    ],
    ['a trigger body with ticket_id', '{"ticket_id":"1172"}', ['1172']],
    ['a trigger body with a ticket object', '{"ticket":{"id":1173,"status":"open"}}', ['1173']],
  ])('asks for a refresh of %s', (_case, body, ticketIds) => {
    expect(connector().parseWebhook!(delivery(body))).toEqual({ kind: 'refresh', ticketIds });
  });

  it.each([
    ['a user event', JSON.stringify({ type: 'zen:event-type:user.created', detail: { id: '9' } })],
    ['a body without a ticket', '{"hello":"world"}'],
    ['a body that is not JSON', 'ping'],
  ])('ignores %s that is correctly signed', (_case, body) => {
    expect(connector().parseWebhook!(delivery(body))).toMatchObject({ kind: 'ignore' });
  });

  it.each([
    ['a forged signature', delivery(EVENT, { secret: 'guessed' }), /signature mismatch/],
    [
      'a replay six minutes later',
      delivery(EVENT, { stamp: new Date(NOW - 6 * 60_000).toISOString() }),
      /stale timestamp/,
    ],
    [
      'a body altered after signing',
      { ...delivery(EVENT), rawBody: Buffer.from(EVENT.replace('1161', '1162')) },
      /signature mismatch/,
    ],
    ['no signature', { headers: {}, rawBody: Buffer.from(EVENT) }, /missing signature/],
  ])('refuses %s', (_case, sent, message) => {
    const parse = () => connector().parseWebhook!(sent);
    expect(parse).toThrow(WebhookRejectedError);
    expect(parse).toThrow(message);
  });

  it('refuses every delivery when the connection has no signing secret', () => {
    expect(() => connector({}).parseWebhook!(delivery(EVENT))).toThrow(/--webhook-secret/);
  });
});
