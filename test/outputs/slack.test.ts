import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { PermanentError, RateLimitedError, TransientError } from '../../src/errors.js';
import { createSlackPoster, type SlackMessage } from '../../src/outputs/slack.js';
import { UncertainDeliveryError } from '../../src/outputs/slack-retry.js';
import {
  API_ORIGIN,
  API_URL,
  BOT_TOKEN,
  fakeSleep,
  formBody,
  OK_JSON,
  useSlackNock,
  WEBHOOK_ORIGIN,
  WEBHOOK_PATH,
  WEBHOOK_URL,
} from './slack-nock.js';

useSlackNock();

const message: SlackMessage = {
  text: 'Companies with zero support tickets: 62.5% last closed week',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Companies with zero support tickets' } },
    { type: 'section', text: { type: 'mrkdwn', text: '`████ 4` Billing · <@U012ABCDEF>' } },
  ],
};
/** The webhook's JSON body, exactly. */
const payload = {
  text: message.text,
  blocks: message.blocks,
  unfurl_links: false,
} as unknown as nock.DataMatcherMap;

function webhook(sleep = fakeSleep()) {
  const poster = createSlackPoster({
    webhookUrl: WEBHOOK_URL,
    botToken: undefined,
    channel: null,
    sleep: sleep.sleep,
    retry: { random: () => 0.5, baseDelayMs: 1000 },
  });
  if (poster?.kind !== 'webhook') throw new Error('expected a webhook poster');
  return { poster, waits: sleep.waits };
}

function bot(sleep = fakeSleep()) {
  const poster = createSlackPoster({
    webhookUrl: WEBHOOK_URL,
    botToken: BOT_TOKEN,
    channel: 'C0123456789',
    slackApiUrl: API_URL,
    sleep: sleep.sleep,
    retry: { random: () => 0.5, baseDelayMs: 1000 },
  });
  if (poster?.kind !== 'bot') throw new Error('expected a bot poster');
  return { poster, waits: sleep.waits };
}

describe('incoming webhook', () => {
  it('posts the exact Block Kit payload, keyed by a digest of the URL (never the URL)', async () => {
    const scope = nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH, payload).reply(200, 'ok');
    const { poster } = webhook();
    expect(await poster.post(message)).toEqual({ ts: null });
    expect(poster.channel).toMatch(/^webhook:[0-9a-f]{16}$/);
    expect(poster.channel).not.toContain('XXXXSECRET');
    scope.done();
  });

  it('honours Retry-After on a 429, then posts', async () => {
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH, payload).reply(429, 'rate_limited', { 'Retry-After': '7' });
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH, payload).reply(200, 'ok');
    const { poster, waits } = webhook();
    await poster.post(message);
    expect(waits).toEqual([7000]);
  });

  it('retries a 500 with backoff, then reports a TransientError', async () => {
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).times(4).reply(500, 'internal_error');
    const { poster, waits } = webhook();
    const error = await poster.post(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/failed 4 times/);
    // Full jitter at 0.5 of 1 s, 2 s, 4 s.
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('does not retry what Slack refuses for good (404 channel_not_found)', async () => {
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).once().reply(404, 'channel_not_found');
    const { poster, waits } = webhook();
    await expect(poster.post(message)).rejects.toBeInstanceOf(PermanentError);
    expect(waits).toEqual([]);
  });

  it('retries a connection that could not be opened', async () => {
    // What undici throws when nothing listens: TypeError('fetch failed') caused by ECONNREFUSED.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    nock(WEBHOOK_ORIGIN)
      .post(WEBHOOK_PATH)
      .replyWithError(new TypeError('fetch failed', { cause: refused }));
    nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).reply(200, 'ok');
    const { poster, waits } = webhook();
    await poster.post(message);
    expect(waits).toHaveLength(1);
  });

  it('does not retry a post that may have reached Slack (connection reset mid-request)', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(WEBHOOK_ORIGIN)
      .post(WEBHOOK_PATH)
      .replyWithError(new TypeError('fetch failed', { cause: reset }));
    const { poster, waits } = webhook();
    await expect(poster.post(message)).rejects.toBeInstanceOf(UncertainDeliveryError);
    expect(waits).toEqual([]);
  });
});

describe('bot token', () => {
  it('posts with chat.postMessage to the channel, blocks and fallback text exact, and returns ts', async () => {
    let body: Record<string, unknown> = {};
    const scope = nock(API_ORIGIN, { reqheaders: { authorization: `Bearer ${BOT_TOKEN}` } })
      .post('/api/chat.postMessage', (b) => {
        body = formBody(b);
        return true;
      })
      .reply(200, { ok: true, channel: 'C0123456789', ts: '1732000000.000100' }, OK_JSON);
    const { poster } = bot();
    expect(poster.channel).toBe('C0123456789');
    expect(await poster.post(message)).toEqual({ ts: '1732000000.000100' });
    expect(body).toEqual({
      channel: 'C0123456789',
      text: message.text,
      blocks: message.blocks,
      unfurl_links: 'false',
    });
    scope.done();
  });

  it('honours Retry-After on a 429 (the SDK hands the wait to us), then posts', async () => {
    nock(API_ORIGIN).post('/api/chat.postMessage').reply(429, '', { 'Retry-After': '3' });
    nock(API_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: true, ts: '1.2' }, OK_JSON);
    const { poster, waits } = bot();
    expect(await poster.post(message)).toEqual({ ts: '1.2' });
    expect(waits).toEqual([3000]);
  });

  it('reports a RateLimitedError when Slack keeps answering 429', async () => {
    nock(API_ORIGIN).post('/api/chat.postMessage').times(4).reply(429, '', { 'Retry-After': '2' });
    const { poster, waits } = bot();
    const error = await poster.post(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2000);
    expect(waits).toEqual([2000, 2000, 2000]);
  });

  it('retries a 500, then posts', async () => {
    nock(API_ORIGIN).post('/api/chat.postMessage').reply(500, 'oops');
    nock(API_ORIGIN).post('/api/chat.postMessage').reply(200, { ok: true, ts: '9.9' }, OK_JSON);
    const { poster, waits } = bot();
    expect(await poster.post(message)).toEqual({ ts: '9.9' });
    expect(waits).toEqual([500]);
  });

  it.each([
    ['invalid_auth', PermanentError, 1],
    ['channel_not_found', PermanentError, 1],
    ['internal_error', TransientError, 4],
  ])('treats Slack error %s as %s', async (code, type, calls) => {
    nock(API_ORIGIN)
      .post('/api/chat.postMessage')
      .times(calls)
      .reply(200, { ok: false, error: code }, OK_JSON);
    const { poster } = bot();
    await expect(poster.post(message)).rejects.toBeInstanceOf(type);
  });

  it('replies in a thread under a message', async () => {
    let body: Record<string, unknown> = {};
    nock(API_ORIGIN)
      .post('/api/chat.postMessage', (b) => {
        body = formBody(b);
        return true;
      })
      .reply(200, { ok: true, ts: '2.0' }, OK_JSON);
    const { poster } = bot();
    await poster.reply('1.0', message);
    expect(body).toMatchObject({ channel: 'C0123456789', thread_ts: '1.0', text: message.text });
  });

  it('writes to a person: conversations.open, then chat.postMessage to the DM channel', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(API_ORIGIN)
      .post('/api/conversations.open', (b) => {
        bodies.push(formBody(b));
        return true;
      })
      .reply(200, { ok: true, channel: { id: 'D024BE91L' } }, OK_JSON)
      .post('/api/chat.postMessage', (b) => {
        bodies.push(formBody(b));
        return true;
      })
      .reply(200, { ok: true, ts: '3.0' }, OK_JSON);
    const { poster } = bot();
    expect(await poster.direct('U012ABCDEF', message)).toEqual({ ts: '3.0' });
    expect(bodies).toEqual([
      { users: 'U012ABCDEF' },
      { channel: 'D024BE91L', text: message.text, blocks: message.blocks, unfurl_links: 'false' },
    ]);
  });
});

describe('no target', () => {
  it('is null without a webhook URL or a bot token with a channel', () => {
    expect(createSlackPoster({ webhookUrl: undefined, botToken: BOT_TOKEN, channel: null })).toBeNull();
    expect(createSlackPoster({ webhookUrl: undefined, botToken: undefined, channel: 'C1' })).toBeNull();
  });
});
