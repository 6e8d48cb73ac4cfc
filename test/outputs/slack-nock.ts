import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export const WEBHOOK_ORIGIN = 'https://hooks.slack.com';
export const WEBHOOK_PATH = '/services/T000/B000/XXXXSECRET';
export const WEBHOOK_URL = `${WEBHOOK_ORIGIN}${WEBHOOK_PATH}`;
/** The Web API base the bot tests pass as `slackApiUrl`. */
export const API_ORIGIN = 'https://slack.test';
export const API_URL = `${API_ORIGIN}/api/`;
export const BOT_TOKEN = 'xoxb-test-token';

/** No real network: every request must match an interceptor, and every interceptor be used. */
export function useSlackNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'interceptors left unused').toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/**
 * A Web API request body as Slack receives it: `application/x-www-form-urlencoded`, with object
 * arguments (blocks) JSON-encoded by the SDK; parsed back here so tests compare values.
 */
export function formBody(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> =
    typeof body === 'string'
      ? Object.fromEntries(new URLSearchParams(body))
      : { ...(body as Record<string, unknown>) };
  if (typeof fields.blocks === 'string') fields.blocks = JSON.parse(fields.blocks);
  return fields;
}

/** Sleeps recorded, never waited. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

export const OK_JSON = { 'Content-Type': 'application/json' };
