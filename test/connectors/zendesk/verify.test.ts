import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../../connectors/index.js';
import { createZendeskConnector } from '../../../connectors/zendesk/index.js';
import { ConfigError, PermanentError, TransientError } from '../../../src/errors.js';
import { fixtureText } from './fixtures.js';
import { BASIC, context, JSON_HEADERS, ORIGIN, useNock } from './nock-setup.js';

useNock();

const ME = '/api/v2/users/me.json';
const RATE_HEADERS = { ...JSON_HEADERS, 'X-Rate-Limit': '700', 'X-Rate-Limit-Remaining': '699' };

describe('verify', () => {
  it('reports the account, the admin the token acts as, and the rate limit', async () => {
    const scope = nock(ORIGIN, { reqheaders: { authorization: BASIC } })
      .get(ME)
      .reply(200, fixtureText('users-me-admin'), RATE_HEADERS);
    await expect(createZendeskConnector(context().ctx).verify()).resolves.toEqual({
      account: 'acme.zendesk.com',
      actingAs: 'sam@acme.example (admin)',
      rateLimit: '700 requests/min (699 left this minute); exports 10/min',
    });
    scope.done();
  });

  it('names the proxy when the base URL is not Zendesk itself', async () => {
    const { ctx } = context({ settings: { subdomain: 'acme', baseUrl: 'http://127.0.0.1:4010' } });
    nock('http://127.0.0.1:4010').get(ME).reply(200, fixtureText('users-me-admin'), JSON_HEADERS);
    await expect(createZendeskConnector(ctx).verify()).resolves.toMatchObject({
      account: 'acme.zendesk.com via 127.0.0.1:4010',
      rateLimit: 'not reported; exports 10/min',
    });
  });

  it.each([
    ['a wrong token (401)', 401, 'error-401', /bad credentials — HTTP 401 \(Couldn't authenticate you\)/],
    [
      'the anonymous user (200, id null)',
      200,
      'users-me-anonymous',
      /bad credentials — users\/me answered as the anonymous user/,
    ],
    [
      'an agent token',
      200,
      'users-me-agent',
      /priya@acme\.example is an agent; the incremental export API is admin-only/,
    ],
  ])('refuses %s with a PermanentError', async (_case, status, body, message) => {
    nock(ORIGIN).get(ME).reply(status, fixtureText(body), JSON_HEADERS);
    const error = await createZendeskConnector(context().ctx)
      .verify()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a suspended account (403) without retrying', async () => {
    nock(ORIGIN).get(ME).once().reply(403, fixtureText('error-403'), JSON_HEADERS);
    await expect(createZendeskConnector(context().ctx).verify()).rejects.toThrow(/HTTP 403/);
  });
});

describe('verify says which part is wrong', () => {
  it('reports exports at 30/min for a High Volume account (2,500 requests/min)', async () => {
    nock(ORIGIN)
      .get(ME)
      .reply(200, fixtureText('users-me-admin'), { ...JSON_HEADERS, 'X-Rate-Limit': '2500' });
    await expect(createZendeskConnector(context().ctx).verify()).resolves.toMatchObject({
      rateLimit: '2500 requests/min; exports 30/min',
    });
  });

  it('sends an OAuth token as Bearer through node-zendesk', async () => {
    const { ctx } = context({ credentials: { oauthToken: 'oauth-xyz' } });
    const scope = nock(ORIGIN, { reqheaders: { authorization: 'Bearer oauth-xyz' } })
      .get(ME)
      .reply(200, fixtureText('users-me-admin'), RATE_HEADERS);
    await expect(createZendeskConnector(ctx).verify()).resolves.toMatchObject({
      actingAs: 'sam@acme.example (admin)',
    });
    scope.done();
  });

  it.each([
    ['an unknown subdomain (404)', 404, { error: 'InvalidEndpoint' }, /unknown subdomain — HTTP 404/],
    ['token access switched off (403)', 403, { error: 'Forbidden' }, /forbidden — HTTP 403.*token access/],
  ])('names %s', async (_case, status, body, message) => {
    nock(ORIGIN).get(ME).reply(status, body, JSON_HEADERS);
    await expect(createZendeskConnector(context().ctx).verify()).rejects.toThrow(message);
  });

  it('names a subdomain that does not resolve, without retrying', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls += 1;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      });
    }) as unknown as typeof globalThis.fetch;
    const error = await createZendeskConnector(context({ fetch }).ctx)
      .verify()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/unknown subdomain — the name does not resolve \(DNS\)/);
    expect(calls).toBe(1);
  });

  it('names a network failure after backing off', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }) as unknown as typeof globalThis.fetch;
    const { ctx, waits } = context({ fetch });
    const error = await createZendeskConnector(ctx)
      .verify()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/network or server trouble, try again .*ECONNREFUSED/);
    expect(waits).toHaveLength(4);
  });
});

describe('createConnector', () => {
  it('builds the Zendesk connector', () => {
    const connector = createConnector('zendesk', context().ctx);
    expect([connector.kind, connector.connectionId]).toEqual(['zendesk', 'zendesk-acme']);
  });

  it.each([
    ['no credentials', () => createZendeskConnector(context({ credentials: {} }).ctx), /credentials/],
    [
      'no subdomain nor base URL',
      () => createZendeskConnector(context({ settings: {} }).ctx),
      /settings\.subdomain/,
    ],
    [
      'a bad base URL',
      () => createZendeskConnector(context({ settings: { baseUrl: 'not a url' } }).ctx),
      /settings\.baseUrl/,
    ],
  ])('fails fast on %s with a ConfigError', (_case, build, message) => {
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });
});
