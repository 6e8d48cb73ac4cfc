import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ConnectorContext, ConnectorPage } from '../../../connectors/connector.js';
import { silentLogger } from '../../../src/logger.js';

export const ORIGIN = 'https://acme.zendesk.com';
export const EMAIL = 'ops@acme.example';
export const TOKEN = 'abc123token';
export const BASIC = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
/** The clock every connector test runs at. */
export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=UTF-8' };

/** No real network in connector tests: every request must match an interceptor. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'interceptors left unused').toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/**
 * A connector context on a fake clock: it starts at NOW and moves only when the connector
 * sleeps, and every sleep is recorded instead of waited.
 */
export function context(overrides: Partial<ConnectorContext> = {}) {
  const waits: number[] = [];
  const clock = { now: NOW };
  const ctx: ConnectorContext = {
    connectionId: 'zendesk-acme',
    settings: { subdomain: 'acme' },
    credentials: { email: EMAIL, token: TOKEN },
    logger: silentLogger(),
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
    now: () => clock.now,
    ...overrides,
  };
  return { ctx, waits, clock };
}

export async function collect(pages: AsyncIterable<ConnectorPage>): Promise<ConnectorPage[]> {
  const out: ConnectorPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
