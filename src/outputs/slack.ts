import slackWebApi, { WebClient } from '@slack/web-api';
import { IncomingWebhook } from '@slack/webhook';

/** Where the daily digest goes: an incoming webhook or a bot token + channel. */
// `retryPolicies` is not among the names Node's CommonJS interop can see in @slack/web-api,
// so it comes from the default export (a named import works under vitest but not in Node).
const { retryPolicies } = slackWebApi;

export interface SlackPoster {
  /** The key a post is recorded under (one digest per channel per day). */
  readonly channel: string;
  post(message: { text: string; blocks: unknown[] }): Promise<void>;
}

export function createSlackPoster(options: {
  webhookUrl: string | undefined;
  botToken: string | undefined;
  channel: string | null;
}): SlackPoster | null {
  if (options.botToken && options.channel) {
    // A worker must not sit for half an hour in the SDK's default retry policy.
    const client = new WebClient(options.botToken, {
      retryConfig: retryPolicies.fiveRetriesInFiveMinutes,
      timeout: 15_000,
    });
    const channel = options.channel;
    return {
      channel,
      async post({ text, blocks }) {
        await client.chat.postMessage({ channel, text, blocks: blocks as never });
      },
    };
  }
  if (options.webhookUrl) {
    const hook = new IncomingWebhook(options.webhookUrl, { retryConfig: { retries: 2 } });
    return {
      channel: 'webhook',
      async post({ text, blocks }) {
        await hook.send({ text, blocks: blocks as never });
      },
    };
  }
  return null;
}
