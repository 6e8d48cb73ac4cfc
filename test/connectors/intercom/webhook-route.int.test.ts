import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntercomConnector } from '../../../connectors/intercom/index.js';
import { signPayload } from '../../../connectors/intercom/webhook.js';
import {
  type IntercomSimulator,
  startIntercomSimulator,
} from '../../../connectors/simulator/intercom-simulator.js';
import { fetchTickets } from '../../../src/jobs/handlers/refresh-tickets.js';
import { silentLogger } from '../../../src/logger.js';
import type { WorkDispatcher } from '../../../src/server/dispatch.js';
import { webhookRoutes } from '../../../src/server/routes/webhooks.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { ConnectionRecord, Store } from '../../../src/store/store.js';
import { fixture, fixtureText } from './nock-setup.js';

/**
 * `POST /webhooks/intercom/:connectionId` as `serve` mounts it, with the Intercom connector, the
 * simulated workspace and a real SQLite store: a signed delivery refreshes its conversation, a
 * forged one is refused with 401 and stores nothing, the test ping is answered.
 */
const SECRET = 'app-client-secret';
let dir: string;
let store: Store;
let simulator: IntercomSimulator;
let routes: ReturnType<typeof webhookRoutes>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-ic-hook-'));
  store = await openSqliteStore({ file: join(dir, 'zt.db') });
  const conversation = fixture<{ conversations: Array<{ id: string }> }>('conversations-search-page1')
    .conversations[0]!;
  simulator = await startIntercomSimulator({
    token: 'tok',
    conversations: [conversation],
    contacts: fixture<{ data: object[] }>('contacts-search-page1').data,
    companies: [fixture('company-acme')],
  });
  await store.saveConnection(
    { id: 'ic', kind: 'intercom', settings: { baseUrl: simulator.baseUrl }, secret: 'x' },
    0,
  );
  const openConnector = (connection: ConnectionRecord) =>
    createIntercomConnector({
      connectionId: connection.id,
      settings: connection.settings,
      credentials: { token: 'tok', webhookSecret: SECRET },
      logger: silentLogger(),
    });
  const dispatcher: WorkDispatcher = {
    mode: 'inline',
    counts: { processed: {}, failed: {} },
    customersChanged: async () => {},
    milestonesChanged: async () => {},
    async refreshTickets(connectionId, ticketIds) {
      await fetchTickets(
        { store, logger: silentLogger(), openConnector, progress: () => {} },
        { connectionId, ticketIds },
      );
    },
    idle: async () => {},
  };
  routes = webhookRoutes({ store, logger: silentLogger(), openConnector, dispatcher });
});

afterEach(async () => {
  await simulator.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string, signature: string) =>
  routes.request('/webhooks/intercom/ic', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
    body,
  });
const storedIds = () => {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    return db.prepare("SELECT ticket_id, requester_email FROM tickets WHERE source = 'intercom'").all();
  } finally {
    db.close();
  }
};

describe('Intercom webhooks through the serve route', () => {
  it('refreshes the conversation of a signed delivery', async () => {
    const body = fixtureText('webhook-conversation-user-replied');
    const response = await post(body, signPayload(body, SECRET));
    expect(response.status).toBe(202);
    expect(storedIds()).toEqual([{ ticket_id: '1001', requester_email: 'ana@acme.example' }]);
    expect(simulator.requests.map((r) => r.path)).toContain('/conversations/1001');
  });

  it('refuses a forged delivery with 401 and stores nothing', async () => {
    const body = fixtureText('webhook-conversation-user-replied');
    const response = await post(body, signPayload(body, 'guessed-secret'));
    expect(response.status).toBe(401);
    expect(storedIds()).toEqual([]);
    expect(simulator.requests).toEqual([]);
  });

  it('answers the test ping with 200', async () => {
    const body = fixtureText('ping');
    const response = await post(body, signPayload(body, SECRET));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ignored: 'ping' });
  });
});
