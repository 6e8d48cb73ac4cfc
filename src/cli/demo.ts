import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIntercomSimulator } from '../../connectors/simulator/intercom-simulator.js';
import { generateSampleCompany, SAMPLE_SEED } from '../../connectors/simulator/sample-company.js';
import { startZendeskSimulator } from '../../connectors/simulator/zendesk-simulator.js';
import { parseEnv } from '../config.js';
import type { Customer, Milestone } from '../domain/customer.js';
import { ConfigError } from '../errors.js';
import { importFile } from '../import/import-file.js';
import { runPipeline } from '../jobs/inline-runner.js';
import { packageRoot } from '../package-root.js';
import { openStore, parseDatabaseUrl } from '../store/open-store.js';
import { connectZendesk } from './connect.js';
import { connectIntercom } from './connect-intercom.js';
import { type CliIo, withApp } from './context.js';

export const DEMO_CONNECTION_ID = 'demo-zendesk';
export const DEMO_INTERCOM_CONNECTION_ID = 'demo-intercom';
const DEMO_CONNECTIONS = new Set([DEMO_CONNECTION_ID, DEMO_INTERCOM_CONNECTION_ID]);
const DEMO_EMAIL = 'demo-admin@example.com';
const DEMO_TOKEN = 'demo-token';

/**
 * The whole product on one machine: a simulated Zendesk and a simulated Intercom workspace
 * (some customers write to one, some to both) over a generated sample company,
 * imported customers and milestones, one pipeline run, and the digest printed. It uses the
 * database DATABASE_URL names (the Contract's default `./zerotickets.db`), so `status`,
 * `serve` and the warehouse tables show the demo afterwards. A SQLite file that holds only an
 * earlier demo is started afresh; a database with anything else in it is refused, so the demo
 * never mixes with real data.
 */
export async function runDemo(io: CliIo): Promise<void> {
  const databaseUrl = parseEnv(io.env).DATABASE_URL;
  await prepareDemoDatabase(databaseUrl, io.cwd);
  const now = (io.now ?? Date.now)();
  const company = generateSampleCompany({ seed: SAMPLE_SEED, now });
  const simulator = await startZendeskSimulator({ company, email: DEMO_EMAIL, token: DEMO_TOKEN });
  const intercom = await startIntercomSimulator({ company, token: DEMO_TOKEN });
  const files = mkdtempSync(join(tmpdir(), 'zerotickets-demo-'));
  try {
    await withApp(
      io,
      async (app) => {
        app.progress(`demo: simulated Zendesk at ${simulator.baseUrl}, Intercom at ${intercom.baseUrl}`);
        const customersFile = join(files, 'customers.csv');
        const milestonesFile = join(files, 'milestones.jsonl');
        writeFileSync(customersFile, customersCsv(company.customers));
        writeFileSync(milestonesFile, milestonesJsonl(company.milestones));
        const customers = await importFile(app.store, 'customers', customersFile, io.cwd);
        const milestones = await importFile(app.store, 'milestones', milestonesFile, io.cwd);
        app.progress(`demo: imported ${customers.accepted} customers and ${milestones.accepted} milestones`);
        const since = Math.min(...company.milestones.map((m) => m.occurredAt));
        await connectZendesk(app, {
          subdomain: 'demo',
          email: DEMO_EMAIL,
          token: DEMO_TOKEN,
          baseUrl: simulator.baseUrl,
          id: DEMO_CONNECTION_ID,
          since: new Date(since).toISOString(),
        });
        await connectIntercom(app, {
          token: DEMO_TOKEN,
          baseUrl: intercom.baseUrl,
          id: DEMO_INTERCOM_CONNECTION_ID,
          since: new Date(since).toISOString(),
        });
        app.progress('demo: connected Zendesk and Intercom; running the pipeline');
        const summary = await runPipeline(await app.pipeline(), { dryRun: true });
        const synced = summary.syncs.reduce((n, s) => n + s.tickets, 0);
        io.stdout(
          [
            '',
            `Synced ${synced} tickets, recomputed ${summary.recomputed} customers, exported ${summary.exported.tickets} ticket rows.`,
            `Connections: ${summary.syncs.map((s) => `${s.connectionId} (${s.tickets} tickets)`).join(', ')}`,
            `Database: ${databaseUrl} (the zt_* tables are the warehouse)`,
            `Next: ${io.env.DATABASE_URL ? `DATABASE_URL=${databaseUrl} ` : ''}npx zerotickets status`,
            '',
          ].join('\n'),
        );
      },
      { settingsPath: join(packageRoot(), 'zerotickets.config.example.yaml') },
    );
  } finally {
    await simulator.close();
    await intercom.close();
    rmSync(files, { recursive: true, force: true });
  }
}

/**
 * Makes sure the demo may use `databaseUrl`: empty, or holding only an earlier demo. An earlier
 * demo in a SQLite file is deleted (with its key file) so every demo starts from the same
 * state; in Postgres it is refused, since dropping a schema is the operator's call.
 */
async function prepareDemoDatabase(databaseUrl: string, cwd: string): Promise<void> {
  const target = parseDatabaseUrl(databaseUrl, cwd);
  if (target.dialect === 'sqlite' && target.file !== ':memory:' && !existsSync(target.file)) return;
  const store = await openStore(target.dialect === 'sqlite' ? `file:${target.file}` : databaseUrl);
  let contents: { connections: string[]; customers: number };
  try {
    const connections = await store.listConnections();
    contents = { connections: connections.map((c) => c.id), customers: await store.countCustomers() };
  } finally {
    await store.close();
  }
  const onlyDemo =
    contents.connections.length > 0 && contents.connections.every((id) => DEMO_CONNECTIONS.has(id));
  const empty = contents.connections.length === 0 && contents.customers === 0;
  if (empty) return;
  if (onlyDemo && target.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '.key']) rmSync(`${target.file}${suffix}`, { force: true });
    return;
  }
  const what = onlyDemo
    ? 'an earlier demo'
    : `real data (${contents.customers} customers; connections: ${contents.connections.join(', ') || 'none'})`;
  throw new ConfigError(
    `DATABASE_URL already holds ${what}; run the demo on another database, e.g. DATABASE_URL=file:./zerotickets-demo.db`,
  );
}

function customersCsv(customers: Customer[]): string {
  const rows = customers.map((c) =>
    [c.id, c.name, c.emails.join(';'), c.domains.join(';')].map(csvField).join(','),
  );
  return `id,name,emails,domains\n${rows.join('\n')}\n`;
}

function milestonesJsonl(milestones: Milestone[]): string {
  return milestones
    .map((m) =>
      JSON.stringify({
        customer_id: m.customerId,
        milestone: m.milestone,
        occurred_at: new Date(m.occurredAt).toISOString(),
      }),
    )
    .join('\n');
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
