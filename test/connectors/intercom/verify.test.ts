import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../../connectors/index.js';
import { createIntercomConnector, discoverIntercomWorkspace } from '../../../connectors/intercom/index.js';
import { ConfigError, PermanentError } from '../../../src/errors.js';
import {
  context,
  fixture,
  fixtureText,
  JSON_HEADERS,
  ORIGIN,
  REQ_HEADERS,
  TOKEN,
  useNock,
} from './nock-setup.js';

useNock();

const RATE = {
  ...JSON_HEADERS,
  'X-RateLimit-Limit': '167',
  'X-RateLimit-Remaining': '166',
  'X-RateLimit-Reset': '1795521610',
};

describe('verify', () => {
  it('names the workspace, its region, the admin the token belongs to, and the rate limit', async () => {
    const scope = nock(ORIGIN, { reqheaders: { ...REQ_HEADERS, accept: 'application/json' } })
      .get('/me')
      .reply(200, fixtureText('me'), RATE);
    await expect(createIntercomConnector(context().ctx).verify()).resolves.toEqual({
      account: 'Intercom Acme Support (abc1def2), region Europe',
      actingAs: 'sam@acme.example',
      rateLimit: '167 requests/10 s',
    });
    scope.done();
  });

  it.each([
    ['us', 'https://api.intercom.io'],
    ['eu', 'https://api.eu.intercom.io'],
    ['au', 'https://api.au.intercom.io'],
  ])('sends region %s to %s', async (region, origin) => {
    const { ctx } = context({ settings: { region } });
    const scope = nock(origin, { reqheaders: REQ_HEADERS })
      .get('/me')
      .reply(200, fixtureText('me'), JSON_HEADERS);
    await createIntercomConnector(ctx).verify();
    scope.done();
  });

  it('uses the base URL of a proxy or simulator instead of the region', async () => {
    const { ctx } = context({ settings: { region: 'eu', baseUrl: 'http://127.0.0.1:4010' } });
    const scope = nock('http://127.0.0.1:4010', { reqheaders: REQ_HEADERS })
      .get('/me')
      .reply(200, fixtureText('me'), JSON_HEADERS);
    await createIntercomConnector(ctx).verify();
    scope.done();
  });

  it('explains a refused token (401), pointing at the region too', async () => {
    nock(ORIGIN).get('/me').reply(401, fixtureText('error-401'), JSON_HEADERS);
    const error = await createIntercomConnector(context().ctx)
      .verify()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      "Intercom api.intercom.io: the access token was refused (HTTP 401 — unauthorized: Access Token Invalid); check the token, and the region: a token works only against its workspace's region (--region us|eu|au)",
    );
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('rejects a bad region and a missing token before any request', () => {
    expect(() => createIntercomConnector(context({ settings: { region: 'mars' } }).ctx)).toThrow(
      new ConfigError('settings.region: expected us, eu or au, got "mars"'),
    );
    expect(() => createIntercomConnector(context({ credentials: {} }).ctx)).toThrow(ConfigError);
  });

  it('is what the registry opens for kind intercom', () => {
    expect(createConnector('intercom', context().ctx).kind).toBe('intercom');
  });

  it('discovers the app id and whether the workspace uses tickets', async () => {
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .get('/me')
      .reply(200, fixtureText('me'), JSON_HEADERS)
      .get('/ticket_types')
      .reply(200, fixtureText('ticket-types'), JSON_HEADERS);
    await expect(discoverIntercomWorkspace(context().ctx)).resolves.toEqual({
      appId: 'abc1def2',
      region: 'Europe',
      usesTickets: true,
    });
    scope.done();
  });
  it('treats ticket types it may not read (403) as no Tickets, so conversations still sync', async () => {
    const scope = nock(ORIGIN)
      .get('/me')
      .reply(200, fixtureText('me'), JSON_HEADERS)
      .get('/ticket_types')
      .reply(
        403,
        { type: 'error.list', errors: [{ code: 'token_unauthorized', message: 'Not authorized' }] },
        JSON_HEADERS,
      );
    await expect(discoverIntercomWorkspace(context().ctx)).resolves.toMatchObject({ usesTickets: false });
    scope.done();
  });
});

describe('fetchTicket', () => {
  it('reads a conversation back for a webhook, on its own stream with no cursor', async () => {
    const conversation = fixture('conversation-1001');
    const scope = nock(ORIGIN, { reqheaders: REQ_HEADERS })
      .get('/conversations/1001')
      .reply(200, conversation, JSON_HEADERS)
      .post('/contacts/search')
      .reply(200, fixtureText('contacts-search-page1'), JSON_HEADERS)
      .get('/companies/6650c0000000000000000a01')
      .reply(200, fixtureText('company-acme'), JSON_HEADERS);
    const page = await createIntercomConnector(context().ctx).fetchTicket!('1001');
    scope.done();
    expect(page).toMatchObject({ stream: 'webhook', cursor: '', quarantined: [] });
    expect(page!.tickets.map((t) => [t.ticketId, t.requester.organizationExternalIds])).toEqual([
      ['1001', ['cus_0007']],
    ]);
  });

  it('falls back to the Tickets API when no conversation has the id, and answers null when neither has it', async () => {
    const tickets = fixture<{ tickets: unknown[] }>('tickets-search-page1-end').tickets;
    const scope = nock(ORIGIN)
      .get('/conversations/2001')
      .reply(404, fixtureText('error-404'), JSON_HEADERS)
      .get('/tickets/2001')
      .reply(200, tickets[0] as object, JSON_HEADERS)
      .post('/contacts/search')
      .reply(200, { type: 'list', data: [] }, JSON_HEADERS)
      .get('/conversations/9')
      .reply(404, fixtureText('error-404'), JSON_HEADERS)
      .get('/tickets/9')
      .reply(404, fixtureText('error-404'), JSON_HEADERS);
    const connector = createIntercomConnector(context().ctx);
    const page = await connector.fetchTicket!('2001');
    expect(page!.tickets.map((t) => [t.ticketId, t.status])).toEqual([['2001', 'in_progress']]);
    await expect(connector.fetchTicket!('9')).resolves.toBeNull();
    scope.done();
  });
});
