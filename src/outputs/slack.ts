import { createHash } from 'node:crypto';
import { type LogLevel, type Logger as SdkLogger, WebClient } from '@slack/web-api';
import { IncomingWebhook } from '@slack/webhook';
import type { Logger } from '../logger.js';
import { classifySlackError, type RetryOptions, secondsToMs, withSlackRetries } from './slack-retry.js';

export interface SlackMessage {
  /** The notification fallback (and what screen readers read). */
  text: string;
  blocks: unknown[];
}

/**
 * Where the daily digest goes: an incoming webhook, or a bot token + channel. Only a bot can
 * also reply in a thread or write to a person (owner notes); a webhook posts to its one channel
 * and returns no message id.
 */
export type SlackPoster = WebhookPoster | BotPoster;

interface PosterBase {
  /** The key posts are recorded under: one digest per channel per day. */
  readonly channel: string;
  /** Posts to the channel; `ts` is the message id (null for a webhook). */
  post(message: SlackMessage): Promise<{ ts: string | null }>;
}

export interface WebhookPoster extends PosterBase {
  readonly kind: 'webhook';
}

export interface BotPoster extends PosterBase {
  readonly kind: 'bot';
  /** A reply in the thread of the channel message `threadTs`. */
  reply(threadTs: string, message: SlackMessage): Promise<{ ts: string | null }>;
  /** A direct message to a Slack user id (conversations.open, then chat.postMessage). */
  direct(userId: string, message: SlackMessage): Promise<{ ts: string | null }>;
}

export interface SlackOptions {
  webhookUrl: string | undefined;
  botToken: string | undefined;
  channel: string | null;
  logger?: Logger;
  /** Waits between retries (injected so tests never wait). */
  sleep?: (ms: number) => Promise<void>;
  retry?: Omit<RetryOptions, 'sleep' | 'logger'>;
  /** Web API base URL (tests point it at a local server); default https://slack.com/api/. */
  slackApiUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSlackPoster(options: SlackOptions): SlackPoster | null {
  const retry: RetryOptions = {
    ...options.retry,
    sleep: options.sleep ?? defaultSleep,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const timeout = options.timeoutMs ?? 15_000;
  if (options.botToken && options.channel) {
    return createBotPoster(options.botToken, options.channel, retry, timeout, options);
  }
  if (options.webhookUrl) return createWebhookPoster(options.webhookUrl, retry, timeout, options.fetch);
  return null;
}

function createBotPoster(
  token: string,
  channel: string,
  retry: RetryOptions,
  timeout: number,
  options: SlackOptions,
): BotPoster {
  // Retries off in the SDK, and a 429 rejected with its Retry-After instead of waited out
  // inside the SDK: `withSlackRetries` does both, with an injectable clock.
  const client = new WebClient(token, {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout,
    logger: sdkLogger(options.logger),
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const postMessage = (what: string, args: { channel: string; thread_ts?: string }, message: SlackMessage) =>
    withSlackRetries(
      what,
      async () => {
        // https://api.slack.com/methods/chat.postMessage: `text` is the fallback when blocks are set.
        const result = await client.chat.postMessage({
          ...args,
          text: message.text,
          blocks: message.blocks as never,
          unfurl_links: false,
        });
        return { ts: result.ts ?? null };
      },
      (error) => classifySlackError(error),
      retry,
    );
  return {
    kind: 'bot',
    channel,
    post: (message) => postMessage('slack chat.postMessage', { channel }, message),
    reply: (threadTs, message) =>
      postMessage('slack chat.postMessage (thread)', { channel, thread_ts: threadTs }, message),
    async direct(userId, message) {
      // https://api.slack.com/methods/conversations.open (needs im:write); idempotent per user.
      const opened = await withSlackRetries(
        'slack conversations.open',
        () => client.conversations.open({ users: userId }),
        (error) => classifySlackError(error),
        retry,
      );
      const dm = opened.channel?.id;
      if (!dm) throw new Error(`slack conversations.open: no channel id for ${userId}`);
      return postMessage('slack chat.postMessage (DM)', { channel: dm }, message);
    },
  };
}

/**
 * The Web API client's own log lines go to our logger (the SDK's default writes to the console,
 * and stdout is reserved for results); its chatty info lines become debug.
 */
function sdkLogger(logger: Logger | undefined): SdkLogger {
  const line =
    (level: 'debug' | 'warn' | 'error') =>
    (...parts: unknown[]) =>
      logger?.[level]({ sdk: '@slack/web-api' }, parts.map(String).join(' '));
  return {
    debug: line('debug'),
    info: line('debug'),
    warn: line('warn'),
    error: line('error'),
    setLevel: () => {},
    getLevel: () => 'debug' as LogLevel,
    setName: () => {},
  };
}

function createWebhookPoster(
  url: string,
  retry: RetryOptions,
  timeout: number,
  baseFetch: typeof fetch | undefined,
): WebhookPoster {
  return {
    kind: 'webhook',
    // A digest of the URL, not the URL: it is a secret, and the key is stored in plain text.
    channel: `webhook:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
    async post(message) {
      // The webhook client's HTTP error carries no headers, so each attempt keeps the
      // Retry-After of its response here (https://api.slack.com/messaging/webhooks#rate_limits).
      let retryAfterMs: number | null = null;
      const fetchFn = baseFetch ?? globalThis.fetch;
      const hook = new IncomingWebhook(url, {
        retryConfig: { retries: 0 },
        timeout,
        fetch: async (input, init) => {
          const response = await fetchFn(input as string, init as RequestInit);
          const header = response.headers.get('retry-after');
          retryAfterMs = header === null ? null : secondsToMs(header);
          return response;
        },
      });
      await withSlackRetries(
        'slack incoming webhook',
        () => hook.send({ text: message.text, blocks: message.blocks as never, unfurl_links: false }),
        (error) => classifySlackError(error, retryAfterMs),
        retry,
      );
      return { ts: null };
    },
  };
}
