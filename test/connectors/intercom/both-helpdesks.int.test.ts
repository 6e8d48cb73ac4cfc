import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type IntercomSimulator,
  startIntercomSimulator,
} from '../../../connectors/simulator/intercom-simulator.js';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../../connectors/simulator/zendesk-simulator.js';
import { type CliRun, runCli } from '../../helpers/cli.js';

/**
 * One customer writes to support through both Zendesk and Intercom: the real CLI in-process,
 * both simulators over HTTP, a real SQLite file. Every ticket is counted once, outbound and
 * out-of-window ones not at all, whichever helpdesk they came from.
 */
const NOW = Date.parse('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const unix = (ms: number) => Math.floor(ms / 1000);

const zendeskUser = (id: number, email: string, role: string) => ({
  id,
  name: email,
  email,
  role,
  external_id: null,
  organization_id: null,
});
const zendeskTicket = (id: number, requester: number, daysAgo: number, status = 'solved') => ({
  id,
  created_at: iso(NOW - daysAgo * DAY),
  updated_at: iso(NOW - daysAgo * DAY + 3_600_000),
  generated_timestamp: unix(NOW - daysAgo * DAY + 3_600_000),
  status,
  subject: `Zendesk ${id}`,
  description: 'We cannot import our CSV file',
  tags: [],
  custom_fields: [],
  requester_id: requester,
  submitter_id: requester,
  organization_id: null,
});
const conversation = (
  id: string,
  contact: string,
  daysAgo: number,
  deliveredAs: string,
  author = 'user',
) => ({
  type: 'conversation',
  id,
  title: null,
  created_at: unix(NOW - daysAgo * DAY),
  updated_at: unix(NOW - daysAgo * DAY) + 600,
  state: 'closed',
  open: false,
  source: {
    type: 'conversation',
    delivered_as: deliveredAs,
    subject: '',
    body: `<p>Intercom ${id}</p>`,
    author: { type: author, id: author === 'user' ? contact : '77' },
  },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contact, external_id: null }] },
  tags: { type: 'tag.list', tags: [] },
  custom_attributes: {},
});
const intercomTicket = (id: string, contact: string, daysAgo: number, category: string) => ({
  type: 'ticket',
  id,
  ticket_id: String(Number(id) + 1),
  category,
  ticket_attributes: { _default_title_: `Ticket ${id}`, _default_description_: 'Export fails' },
  ticket_state: {
    type: 'ticket_state',
    id: '1',
    category: 'resolved',
    internal_label: 'Resolved',
    external_label: 'Resolved',
  },
  ticket_type: { type: 'ticket_type', id: '51', name: 'Bug', category },
  contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contact, external_id: null }] },
  created_at: unix(NOW - daysAgo * DAY),
  updated_at: unix(NOW - daysAgo * DAY) + 600,
  open: false,
});

let dir: string;
let zendesk: ZendeskSimulator;
let intercom: IntercomSimulator;
let env: Record<string, string>;
let run: CliRun;
const cli = (args: string[]) => runCli(args, { env, cwd: dir, now: () => NOW });
const db = () => new Database(join(dir, 'zt.db'), { readonly: true });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-both-'));
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  zendesk = await startZendeskSimulator({
    email: 'admin@sim.test',
    token: 'zd-token',
    clock: () => NOW,
    users: [
      zendeskUser(1, 'admin@sim.test', 'admin'),
      zendeskUser(2, 'agent@sim.test', 'agent'),
      zendeskUser(3, 'ana@acme.test', 'end-user'),
    ],
    tickets: [
      zendeskTicket(1101, 3, 90), // in Acme's window: counts
      zendeskTicket(1102, 2, 85), // an agent's own ticket: outbound
      zendeskTicket(1103, 3, 30), // after the window closed
      zendeskTicket(1104, 3, 80, 'deleted'),
    ],
  });
  intercom = await startIntercomSimulator({
    token: 'ic-token',
    clock: () => NOW,
    companies: [{ type: 'company', id: 'co-acme', company_id: 'cus_acme', name: 'Acme' }],
    contacts: [
      {
        type: 'contact',
        id: 'c-ana',
        role: 'user',
        email: 'ana@acme.test',
        external_id: null,
        companies: { data: [{ type: 'company', id: 'co-acme' }] },
      },
      {
        type: 'contact',
        id: 'c-carl',
        role: 'user',
        email: 'carl.acme@gmail.com',
        external_id: null,
        companies: { data: [{ type: 'company', id: 'co-acme' }] },
      },
      {
        type: 'contact',
        id: 'c-ben',
        role: 'user',
        email: 'ben@beta.test',
        external_id: 'cus_beta',
        companies: { data: [] },
      },
    ],
    conversations: [
      conversation('9001', 'c-ana', 88, 'customer_initiated'), // counts
      conversation('9002', 'c-ana', 87, 'admin_initiated', 'admin'), // outbound
      conversation('9003', 'c-ben', 80, 'campaigns_initiated', 'admin'), // outbound
      conversation('9004', 'c-ana', 20, 'customer_initiated'), // after the window
      conversation('9005', 'c-carl', 95, 'customer_initiated'), // free mail, linked by company: counts
    ],
    tickets: [
      intercomTicket('9501', 'c-ana', 70, 'Customer'),
      intercomTicket('9502', 'c-ben', 75, 'Back-office'),
    ],
  });
  writeFileSync(
    join(dir, 'customers.jsonl'),
    [
      { id: 'cus_acme', name: 'Acme', emails: ['ops@acme.test'], domains: ['acme.test'] },
      { id: 'cus_beta', name: 'Beta', emails: [], domains: [] },
    ]
      .map((c) => JSON.stringify(c))
      .join('\n'),
  );
  const milestone = (customer_id: string, milestone: string, daysAgo: number) =>
    JSON.stringify({ customer_id, milestone, occurred_at: iso(NOW - daysAgo * DAY) });
  writeFileSync(
    join(dir, 'milestones.jsonl'),
    [
      milestone('cus_acme', 'signed_up', 100),
      milestone('cus_acme', 'onboarding_completed', 60),
      milestone('cus_beta', 'signed_up', 90),
      milestone('cus_beta', 'onboarding_completed', 70),
    ].join('\n'),
  );
  const since = iso(NOW - 365 * DAY);
  const connected = [
    await cli([
      'connect',
      'zendesk',
      '--subdomain',
      'sim',
      '--email',
      'admin@sim.test',
      '--token',
      'zd-token',
      '--base-url',
      zendesk.baseUrl,
      '--since',
      since,
    ]),
    await cli([
      'connect',
      'intercom',
      '--token',
      'ic-token',
      '--base-url',
      intercom.baseUrl,
      '--id',
      'intercom-sim',
      '--since',
      since,
    ]),
    await cli(['import', 'customers', 'customers.jsonl']),
    await cli(['import', 'milestones', 'milestones.jsonl']),
  ];
  for (const step of connected) expect(step.code, step.stderr).toBe(0);
  expect(connected[1]!.stdout).toBe(
    'connected intercom-sim: Intercom Fieldnote (fn4x2k7q), region US as sam@fieldnote.app; rate limit 167 requests/10 s; Tickets API: on\n',
  );
  run = await cli(['run', '--once', '--dry-run']);
});

afterAll(async () => {
  await zendesk?.close();
  await intercom?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a customer with tickets in Zendesk and Intercom', () => {
  it('runs the pipeline over both connections', () => {
    expect(run.code, run.stderr).toBe(0);
  });

  it('keeps one zt_tickets row per ticket of either helpdesk', () => {
    const rows = db()
      .prepare(
        'SELECT source, ticket_id, customer_id, counts_toward_metric FROM zt_tickets ORDER BY source, ticket_id',
      )
      .all();
    expect(rows).toEqual([
      { source: 'intercom', ticket_id: '9001', customer_id: 'cus_acme', counts_toward_metric: 1 },
      { source: 'intercom', ticket_id: '9002', customer_id: 'cus_acme', counts_toward_metric: 0 },
      { source: 'intercom', ticket_id: '9003', customer_id: 'cus_beta', counts_toward_metric: 0 },
      { source: 'intercom', ticket_id: '9004', customer_id: 'cus_acme', counts_toward_metric: 0 },
      { source: 'intercom', ticket_id: '9005', customer_id: 'cus_acme', counts_toward_metric: 1 },
      { source: 'intercom', ticket_id: '9501', customer_id: 'cus_acme', counts_toward_metric: 1 },
      { source: 'intercom', ticket_id: '9502', customer_id: 'cus_beta', counts_toward_metric: 0 },
      { source: 'zendesk', ticket_id: '1101', customer_id: 'cus_acme', counts_toward_metric: 1 },
      { source: 'zendesk', ticket_id: '1102', customer_id: null, counts_toward_metric: 0 },
      { source: 'zendesk', ticket_id: '1103', customer_id: 'cus_acme', counts_toward_metric: 0 },
      { source: 'zendesk', ticket_id: '1104', customer_id: 'cus_acme', counts_toward_metric: 0 },
    ]);
  });

  it('links Intercom requesters by external id, e-mail domain and company', () => {
    const methods = db()
      .prepare("SELECT ticket_id, link_method FROM zt_tickets WHERE source = 'intercom' ORDER BY ticket_id")
      .all();
    expect(methods).toEqual([
      { ticket_id: '9001', link_method: 'domain' },
      { ticket_id: '9002', link_method: 'domain' },
      { ticket_id: '9003', link_method: 'external_id' },
      { ticket_id: '9004', link_method: 'domain' },
      { ticket_id: '9005', link_method: 'organization' },
      { ticket_id: '9501', link_method: 'domain' },
      { ticket_id: '9502', link_method: 'external_id' },
    ]);
  });

  it('gives each customer the status and count both helpdesks imply', () => {
    const statuses = db()
      .prepare(
        'SELECT customer_id, status, counting_tickets, first_ticket_id FROM zt_customer_status ORDER BY customer_id',
      )
      .all();
    expect(statuses).toEqual([
      { customer_id: 'cus_acme', status: 'had_tickets', counting_tickets: 4, first_ticket_id: '9005' },
      // Only the company wrote to Beta (a campaign, a back-office task): still zero tickets.
      { customer_id: 'cus_beta', status: 'zero_tickets', counting_tickets: 0, first_ticket_id: null },
    ]);
  });

  it('reports both connections in status', async () => {
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as {
      connections: Array<{ id: string; kind: string }>;
    };
    expect(status.connections.map((c) => [c.id, c.kind])).toEqual([
      ['intercom-sim', 'intercom'],
      ['zendesk-sim', 'zendesk'],
    ]);
  });
});
