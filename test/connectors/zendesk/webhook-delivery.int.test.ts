import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../../../connectors/connector.js';
import { postWebhook } from '../../../connectors/simulator/zendesk-webhooks.js';
import { COMPANY, type Harness, startHarness, WEBHOOK_SECRET } from './sim-harness.js';

// The simulator posts signed ticket events to a small receiver doing what `serve`'s route does
// with the connector: parseWebhook (401 when refused), then fetchTicket for each id.
let h: Harness | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await h?.close();
  h = undefined;
});

async function receiver(harness: Harness) {
  const refreshed: Array<{ id: string; status: string | null }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      const connector = harness.connector();
      try {
        const event = connector.parseWebhook!({ headers, rawBody: Buffer.concat(chunks) });
        if (event.kind === 'refresh') {
          for (const id of event.ticketIds) {
            const page = await connector.fetchTicket!(id);
            refreshed.push({ id, status: page?.tickets[0]?.status ?? null });
          }
        }
        res.writeHead(200).end('ok');
      } catch (error) {
        res.writeHead(error instanceof WebhookRejectedError ? 401 : 500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zendesk/zd`, refreshed };
}

describe('Zendesk webhooks, end to end with the simulator', () => {
  it('processes a signed delivery, refuses a forged one and a replay', async () => {
    h = await startHarness();
    const { url, refreshed } = await receiver(h);
    const ticket = COMPANY.zendesk.tickets[3]!;
    h.sim.updateTicket(ticket.id, { status: 'solved' });

    const good = await h.sim.deliverWebhook({ url, secret: WEBHOOK_SECRET, ticketId: ticket.id });
    expect(good.status).toBe(200);
    expect(refreshed).toEqual([{ id: String(ticket.id), status: 'solved' }]);

    const forged = await h.sim.deliverWebhook({
      url,
      secret: WEBHOOK_SECRET,
      forgeWith: 'guess',
      ticketId: ticket.id,
    });
    expect(forged.status).toBe(401);

    h.clock.now += 6 * 60_000;
    const replay = await postWebhook(url, good.sent);
    expect(replay.status).toBe(401);
    expect(refreshed).toHaveLength(1);
  });

  it('refreshes a deleted ticket as gone (404 → null)', async () => {
    h = await startHarness();
    const { url, refreshed } = await receiver(h);
    const ticket = COMPANY.zendesk.tickets[5]!;
    h.sim.deleteTicket(ticket.id);
    const sent = await h.sim.deliverWebhook({
      url,
      secret: WEBHOOK_SECRET,
      ticketId: ticket.id,
      change: 'soft_deleted',
    });
    expect(sent.status).toBe(200);
    expect(refreshed).toEqual([{ id: String(ticket.id), status: null }]);
  });
});
