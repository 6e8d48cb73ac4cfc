import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  describeRateLimit,
  fetchWithRetry,
  type RequestJsonOptions,
  rateLimitFromHeaders,
  requestJson,
  retryAfterMs,
} from '../../../connectors/shared/http.js';
import {
  InvalidPayloadError,
  PermanentError,
  RateLimitedError,
  TransientError,
} from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';

type Step = Response | Error;

/** A fetch that answers from a script, one step per call, and records what it was sent. */
function scriptedFetch(steps: Step[]) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const step = steps.shift();
    if (!step) throw new Error('scriptedFetch: no more steps');
    if (step instanceof Error) throw step;
    return step;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function sleepRecorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

function options(steps: Step[], extra: Partial<RequestJsonOptions> = {}) {
  const script = scriptedFetch(steps);
  const recorder = sleepRecorder();
  const opts: RequestJsonOptions = {
    fetch: script.fetch,
    url: 'https://acme.zendesk.com/api/v2/users/me.json',
    headers: { Authorization: 'Basic c2VjcmV0LXRva2Vu' },
    sleep: recorder.sleep,
    random: () => 0.5,
    ...extra,
  };
  return { opts, calls: script.calls, waits: recorder.waits };
}

/** A fetch that never answers: it only ends when its signal aborts, as undici's does. */
function silentFetch() {
  let calls = 0;
  const fetch = ((_url: string | URL | Request, init?: RequestInit) => {
    calls += 1;
    return new Promise<Response>((_resolve, reject) => {
      if (init?.signal?.aborted) reject(init.signal.reason);
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls: () => calls };
}

describe('a helpdesk that never answers', () => {
  it('times each attempt out, retries, then fails as a transient error', async () => {
    const silent = silentFetch();
    const { waits, sleep } = sleepRecorder();
    const failure = requestJson({
      fetch: silent.fetch,
      url: 'https://acme.zendesk.com/api/v2/users/me.json',
      sleep,
      random: () => 0.5,
      maxAttempts: 3,
      timeoutMs: 20,
    });
    await expect(failure).rejects.toBeInstanceOf(TransientError);
    await expect(failure).rejects.toThrow(/network error after 3 attempts.*\(timeout\)/);
    expect(silent.calls()).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const silent = silentFetch();
    const controller = new AbortController();
    const failure = requestJson({
      fetch: silent.fetch,
      url: 'https://acme.zendesk.com/api/v2/users/me.json',
      sleep: async () => {},
      signal: controller.signal,
      timeoutMs: 60_000,
    });
    controller.abort(new Error('shutting down'));
    await expect(failure).rejects.toThrow('shutting down');
    expect(silent.calls()).toBe(1);
  });
});

describe('requestJson', () => {
  it('returns the parsed body, status and headers of a 2xx, sending the given headers', async () => {
    const { opts, calls } = options([json(200, { ok: true }, { 'x-rate-limit': '700' })]);
    const response = await requestJson(opts);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(response.headers.get('x-rate-limit')).toBe('700');
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Basic c2VjcmV0LXRva2Vu');
  });

  it('waits exactly Retry-After seconds on a 429, then retries', async () => {
    const { opts, calls, waits } = options([json(429, {}, { 'retry-after': '7' }), json(200, { ok: 1 })]);
    await expect(requestJson(opts)).resolves.toMatchObject({ status: 200, body: { ok: 1 } });
    expect(waits).toEqual([7000]);
    expect(calls).toHaveLength(2);
  });

  it('throws RateLimitedError with the wait still owed when out of attempts', async () => {
    const { opts, waits } = options(
      [json(429, {}, { 'retry-after': '3' }), json(429, {}, { 'retry-after': '5' })],
      { maxAttempts: 2 },
    );
    const error = await requestJson(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(5000);
    expect(waits).toEqual([3000]);
  });

  it('does not sleep through a Retry-After longer than maxWaitMs', async () => {
    const { opts, waits } = options([json(429, {}, { 'retry-after': '600' })], { maxWaitMs: 60_000 });
    await expect(requestJson(opts)).rejects.toMatchObject({
      name: 'RateLimitedError',
      retryAfterMs: 600_000,
    });
    expect(waits).toEqual([]);
  });

  it('backs off on 5xx with full jitter, then succeeds', async () => {
    const { opts, waits } = options([json(503, {}), json(502, {}), json(200, { ok: true })], {
      baseDelayMs: 1000,
    });
    await expect(requestJson(opts)).resolves.toMatchObject({ status: 200 });
    // random() = 0.5 of 1000 * 2^(n-1): 500, then 1000.
    expect(waits).toEqual([500, 1000]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const { opts, waits } = options([json(500, {}), json(500, {}), json(500, {}), json(200, {})], {
      baseDelayMs: 1000,
      maxDelayMs: 1500,
      random: () => 0.999,
    });
    await requestJson(opts);
    expect(waits).toEqual([999, 1498, 1498]);
  });

  it('throws TransientError when 5xx outlasts the attempts', async () => {
    const { opts, calls, waits } = options([json(500, {}), json(500, {}), json(503, { error: 'Down' })], {
      maxAttempts: 3,
    });
    const error = await requestJson(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/HTTP 503 after 3 attempts — Down/);
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('retries network errors and gives up with TransientError', async () => {
    const { opts } = options([new TypeError('fetch failed'), json(200, { ok: true })]);
    await expect(requestJson(opts)).resolves.toMatchObject({ status: 200 });
    const exhausted = options([new TypeError('fetch failed'), new TypeError('fetch failed')], {
      maxAttempts: 2,
    });
    await expect(requestJson(exhausted.opts)).rejects.toBeInstanceOf(TransientError);
  });

  it.each([
    [401, { error: "Couldn't authenticate you" }, /HTTP 401 \(not authenticated.*Couldn't authenticate you/],
    [
      403,
      { error: 'Forbidden', description: 'You do not have access' },
      /HTTP 403 \(forbidden.*Forbidden: You do not have access/,
    ],
    [404, { error: 'InvalidEndpoint', description: 'Not found' }, /HTTP 404 \(not found.*InvalidEndpoint/],
    [422, { error: 'InvalidValue' }, /HTTP 422/],
  ])('fails at once with PermanentError on %i', async (status, body, message) => {
    const { opts, calls } = options([json(status, body)]);
    const error = await requestJson(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(message);
    expect(calls).toHaveLength(1);
  });

  it('returns a pass-through status instead of throwing', async () => {
    const { opts } = options([json(404, { error: 'RecordNotFound' })], { passThrough: [404] });
    await expect(requestJson(opts)).resolves.toMatchObject({
      status: 404,
      body: { error: 'RecordNotFound' },
    });
  });

  it('throws InvalidPayloadError with the first 200 characters of a non-JSON 2xx body', async () => {
    const html = `<html><body>${'Maintenance '.repeat(40)}</body></html>`;
    const { opts } = options([new Response(html, { status: 200, headers: { 'content-type': 'text/html' } })]);
    const error = await requestJson(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).payload).toBe(html.slice(0, 200));
    expect((error as Error).message).toContain('<html><body>Maintenance');
  });

  it('reads an empty 2xx body as null', async () => {
    const { opts } = options([new Response(null, { status: 204 })]);
    await expect(requestJson(opts)).resolves.toMatchObject({ status: 204, body: null });
  });

  it('never logs the Authorization header or the query string', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { opts } = options([json(503, {}), json(429, {}, { 'retry-after': '1' }), json(200, {})], {
      url: 'https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=abc',
      logger: createLogger('debug', sink),
    });
    await requestJson(opts);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const logged = lines.join('\n');
    expect(logged).toContain('acme.zendesk.com/api/v2/incremental/tickets/cursor.json');
    expect(logged).not.toContain('c2VjcmV0LXRva2Vu');
    expect(logged).not.toContain('cursor=abc');
  });
});

describe('fetchWithRetry hooks (the request budget)', () => {
  it('acquires before every attempt, observes every response, and blocks on a 429', async () => {
    const events: string[] = [];
    const { opts } = options(
      [json(429, {}, { 'Retry-After': '4' }), json(503, {}), json(200, { ok: true })],
      {
        beforeAttempt: async () => void events.push('acquire'),
        onResponse: async (r) => void events.push(`observe ${r.status}`),
        onRateLimited: async (ms) => void events.push(`block ${ms}`),
      },
    );
    await requestJson(opts);
    expect(events).toEqual([
      'acquire',
      'observe 429',
      'block 4000',
      'acquire',
      'observe 503',
      'acquire',
      'observe 200',
    ]);
  });

  it('does not retry a host that does not resolve', async () => {
    const notFound = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND nope.zendesk.com'), { code: 'ENOTFOUND' }),
    });
    const { opts, calls, waits } = options([notFound, notFound]);
    await expect(fetchWithRetry(opts.url, {}, opts)).rejects.toThrow(/host not found \(DNS ENOTFOUND\)/);
    expect([calls.length, waits]).toEqual([1, []]);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['30', 30_000],
    ['0', 0],
    ['1.5', 1500],
    ['Tue, 24 Nov 2026 12:00:10 GMT', 10_000],
    ['soon', null],
  ])('reads %j', (value, expected) => {
    const now = () => Date.parse('2026-11-24T12:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': value }), now)).toBe(expected);
  });
});

describe('rateLimitFromHeaders', () => {
  it.each([
    [
      { 'x-rate-limit': '700', 'x-rate-limit-remaining': '699' },
      { limit: 700, remaining: 699, resetSeconds: null },
    ],
    [
      { 'ratelimit-limit': '400', 'ratelimit-remaining': '384', 'ratelimit-reset': '50' },
      { limit: 400, remaining: 384, resetSeconds: 50 },
    ],
    [
      { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '998' },
      { limit: 1000, remaining: 998, resetSeconds: null },
    ],
    [{ 'content-type': 'application/json' }, null],
  ])('reads %j', (headers, expected) => {
    expect(rateLimitFromHeaders(new Headers(headers))).toEqual(expected);
  });

  it('describes a rate limit for connect output', () => {
    expect(describeRateLimit({ limit: 700, remaining: 699, resetSeconds: null })).toBe(
      '700 requests/min, 699 remaining',
    );
    expect(describeRateLimit(null)).toBeNull();
  });
});
