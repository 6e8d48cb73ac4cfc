import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ConnectorContext, ConnectorPage } from '../../../connectors/connector.js';
import { createMemoryBudget } from '../../../connectors/shared/budget.js';
import { silentLogger } from '../../../src/logger.js';

export const ORIGIN = 'https://api.intercom.io';
export const TOKEN = 'dG9rOmFiYzEyMw==';
/** What every request must carry: the token, and the API version pinned explicitly. */
export const REQ_HEADERS = { authorization: `Bearer ${TOKEN}`, 'intercom-version': '2.14' };
/** The clock every connector test starts at. */
export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const NOW_S = NOW / 1000;
export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

const DIR = fileURLToPath(new URL('../../fixtures/intercom/', import.meta.url));

/** A recorded Intercom payload from test/fixtures/intercom. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as T;
}

export function fixtureText(name: string): string {
  return readFileSync(`${DIR}${name}.json`, 'utf8');
}

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
 * A connector context on a fake clock that moves only when something sleeps (the connector's
 * backoff or the budget's waits), with every sleep recorded instead of waited.
 */
export function context(overrides: Partial<ConnectorContext> = {}) {
  const waits: number[] = [];
  const clock = { now: NOW };
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.now += ms;
  };
  const budget = createMemoryBudget({ windowMs: 10_000, now: () => clock.now, sleep });
  const ctx: ConnectorContext = {
    connectionId: 'intercom-abc1def2',
    settings: { region: 'us', appId: 'abc1def2', tickets: true },
    credentials: { token: TOKEN },
    logger: silentLogger(),
    sleep,
    now: () => clock.now,
    budget,
    ...overrides,
  };
  return { ctx, waits, clock, budget };
}

export async function collect(pages: AsyncIterable<ConnectorPage>): Promise<ConnectorPage[]> {
  const out: ConnectorPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The search body the connector sends: `updated_at >` the watermark less the overlap. */
export function searchBody(since: number, startingAfter?: string) {
  return {
    query: { field: 'updated_at', operator: '>', value: since },
    pagination: { per_page: 150, ...(startingAfter ? { starting_after: startingAfter } : {}) },
  };
}
