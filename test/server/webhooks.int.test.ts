import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connector, WebhookRejectedError } from '../../connectors/connector.js';
import {
  SIGNATURE_HEADER,
  signPayload,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../connectors/zendesk/webhook.js';
import { type App, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { inlineDispatcher, type WorkDispatcher } from '../../src/server/dispatch.js';
import { createServer } from '../../src/server/serve.js';
import { ticket, user } from '../store/fixtures.js';

// The webhook route with Zendesk's real signature scheme (connectors/zendesk/webhook.ts) in a
// stand-in connector whose fetchTicket answers from a table: the route, the refresh pipeline
// and the store are real.
const SECRET = 'whsec-test';
const NOW = Date.parse('2026-11-24T12:00:00Z');
const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let app: App;
let server: Hono;
let dispatcher: WorkDispatcher;
const fetched: string[] = [];

function connector(): Connector {
  return {
    kind: 'zendesk',
    connectionId: 'zd',
    verify: () => Promise.resolve({ account: 'x', actingAs: 'y', rateLimit: null }),
    async *pullChanges() {},
    async fetchTicket(ticketId) {
      fetched.push(ticketId);
      if (ticketId === '404') return null;
      return {
        stream: 'webhook',
        cursor: '',
        tickets: [
          ticket(ticketId, {
            createdAt: NOW - 86_400_000,
            updatedAt: NOW - 3_600_000,
            requester: { id: 'u-1', email: 'ops@acme.test' },
          }),
        ],
        users: [user('u-1', { email: 'ops@acme.test' })],
        organizations: [],
        quarantined: [],
      };
    },
    parseWebhook(delivery) {
      const check = verifySignature(
        delivery.rawBody,
        delivery.headers[TIMESTAMP_HEADER],
        delivery.headers[SIGNATURE_HEADER],
        SECRET,
        Date.now(),
      );
      if (!check.ok) throw new WebhookRejectedError(check.reason);
      const body = JSON.parse(Buffer.from(delivery.rawBody).toString('utf8')) as { ticket_id?: string };
      return body.ticket_id
        ? { kind: 'refresh', ticketIds: [body.ticket_id] }
        : { kind: 'ignore', reason: 'no ticket' };
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-hooks-'));
  app = await createApp({
    env: {
      DATABASE_URL: 'file:./zt.db',
      ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
      ZT_SECRET_KEY: Buffer.alloc(32, 4).toString('base64'),
      ZT_API_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
    },
    cwd: dir,
    out: () => {},
    logger: silentLogger(),
    now: () => NOW,
  });
  await app.store.saveConnection({ id: 'zd', kind: 'zendesk', settings: {}, secret: 'x' }, NOW);
  await app.store.upsertCustomers([{ id: 'c-1', name: 'Acme', emails: ['ops@acme.test'], domains: [] }]);
  dispatcher = inlineDispatcher(
    async () => ({ ...(await app.pipeline()), openConnector: connector }),
    app.logger,
  );
  server = createServer(app, {
    token: TOKEN,
    dispatcher,
    queues: null,
    redis: null,
    openConnector: connector,
  });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function deliver(path: string, body: string, sign: { secret?: string; at?: number } = {}) {
  const timestamp = new Date(sign.at ?? Date.now()).toISOString();
  return server.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signPayload(body, timestamp, sign.secret ?? SECRET),
    },
    body,
  });
}

function storedTickets(): string[] {
  const db = new Database(join(dir, 'zt.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT ticket_id, customer_id FROM zt_tickets ORDER BY ticket_id').all() as Array<{
        ticket_id: string;
        customer_id: string | null;
      }>
    ).map((r) => `${r.ticket_id}:${r.customer_id}`);
  } finally {
    db.close();
  }
}

describe('POST /webhooks/zendesk/:connectionId', () => {
  it('refreshes the ticket a signed delivery names, without a bearer token', async () => {
    const response = await deliver('/webhooks/zendesk/zd', '{"ticket_id":"1161"}');
    expect(response.status).toBe(202);
    await dispatcher.idle();
    expect(fetched).toContain('1161');
    // Fetched, committed, linked to the customer by e-mail, exported.
    expect(storedTickets()).toEqual(['1161:c-1']);
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }],
    ['a stale timestamp', { at: Date.now() - 3_600_000 }],
  ])('answers 401 to %s and stores nothing', async (_name, sign) => {
    const before = fetched.length;
    const response = await deliver('/webhooks/zendesk/zd', '{"ticket_id":"2000"}', sign);
    expect(response.status).toBe(401);
    await dispatcher.idle();
    expect(fetched).toHaveLength(before);
    expect(storedTickets()).not.toContainEqual(expect.stringMatching(/^2000:/));
  });

  it("answers Intercom's HEAD check of the URL without a token", async () => {
    expect((await server.request('/webhooks/intercom/any', { method: 'HEAD' })).status).toBe(200);
  });

  it('acknowledges a delivery about no ticket, and 404s an unknown connection or kind', async () => {
    expect((await deliver('/webhooks/zendesk/zd', '{"type":"ping"}')).status).toBe(200);
    expect((await deliver('/webhooks/zendesk/nope', '{"ticket_id":"1"}')).status).toBe(404);
    expect((await deliver('/webhooks/intercom/zd', '{"ticket_id":"1"}')).status).toBe(404);
  });
});

describe('POST /api/tickets/:source/:id/reason (mounted by serve)', () => {
  it('needs the token, then stores the correction and carries it to zt_tickets', async () => {
    const path = '/api/tickets/zendesk/1161/reason';
    const body = JSON.stringify({ reason: 'billing', author: 'ana' });
    const headers = { 'Content-Type': 'application/json' };
    expect((await server.request(path, { method: 'POST', headers, body })).status).toBe(401);
    const response = await server.request(path, {
      method: 'POST',
      headers: { ...headers, Authorization: `Bearer ${TOKEN}` },
      body,
    });
    expect(response.status).toBe(200);
    await dispatcher.idle();
    const db = new Database(join(dir, 'zt.db'), { readonly: true });
    try {
      expect(
        db.prepare("SELECT reason_id, classified_by FROM zt_tickets WHERE ticket_id = '1161'").get(),
      ).toEqual({
        reason_id: 'billing',
        classified_by: 'manual',
      });
    } finally {
      db.close();
    }
  });
});
