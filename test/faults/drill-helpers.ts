import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { SampleCompany } from '../../connectors/simulator/sample-company.js';
import { runCli } from '../helpers/cli.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/zerotickets.js');
export const SIM_EMAIL = 'admin@sim.test';
export const SIM_TOKEN = 'sim-token';

/** Compiles the package as `npm run build` does, so the child processes run the current code. */
export function buildPackage(): void {
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

export function drillEnv(dir: string, database = 'zt.db'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    DATABASE_URL: `file:${join(dir, database)}`,
    ZT_CONFIG: join(ROOT, 'zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: 'warn',
  };
}

/** Connects `baseUrl` and imports the company's customers and milestones, in process. */
export async function prepareDatabase(
  dir: string,
  env: Record<string, string>,
  company: SampleCompany,
  baseUrl: string,
  since: number,
): Promise<void> {
  const customers = company.customers
    .map((c) => [c.id, `"${c.name}"`, c.emails.join(';'), c.domains.join(';')].join(','))
    .join('\n');
  writeFileSync(join(dir, 'customers.csv'), `id,name,emails,domains\n${customers}\n`);
  writeFileSync(
    join(dir, 'milestones.jsonl'),
    company.milestones
      .map((m) =>
        JSON.stringify({
          customer_id: m.customerId,
          milestone: m.milestone,
          occurred_at: new Date(m.occurredAt).toISOString(),
        }),
      )
      .join('\n'),
  );
  const cli = (args: string[]) => runCli(args, { env, cwd: dir });
  const connect = await cli([
    'connect',
    'zendesk',
    '--subdomain',
    'sim',
    '--email',
    SIM_EMAIL,
    '--token',
    SIM_TOKEN,
    '--base-url',
    baseUrl,
    '--since',
    new Date(since).toISOString(),
  ]);
  if (connect.code !== 0) throw new Error(`connect failed: ${connect.stderr}`);
  for (const kind of ['customers', 'milestones']) {
    const file = kind === 'customers' ? 'customers.csv' : 'milestones.jsonl';
    const imported = await cli(['import', kind, file]);
    if (imported.code !== 0) throw new Error(`import ${kind} failed: ${imported.stderr}`);
  }
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The built executable in a child process (or `command` with `args`, e.g. a shell that sets
 * limits first); `onSpawn` gets the child (to kill it), `identity` a uid/gid to run as.
 */
export function runBinary(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  onSpawn: (child: ReturnType<typeof spawn>) => void = () => {},
  identity: { uid?: number; gid?: number } = {},
  command?: string,
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const argv = command ? args : [BIN, ...args];
    const child = spawn(command ?? process.execPath, argv, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...identity,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    onSpawn(child);
  });
}

/** Every `zt_*` row, in key order, without the columns that say *when* (they differ per run). */
export function warehouseRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const read = (table: string, order: string) =>
      (db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Array<Record<string, unknown>>).map(
        ({ exported_at: _e, computed_at: _c, ...row }) => row,
      );
    return {
      tickets: read('zt_tickets', 'source, ticket_id'),
      statuses: read('zt_customer_status', 'customer_id'),
      periods: read('zt_metric_periods', 'period_kind, period_start'),
      reasonDaily: read('zt_reason_daily', 'day, reason_id'),
    };
  } finally {
    db.close();
  }
}

export function integrityCheck(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    db.close();
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * A pass-through HTTP proxy in front of the simulator. `onRequest` sees each request first
 * (with its 1-based number) and may answer it itself by returning true.
 */
export async function startProxy(
  target: string,
  onRequest: (n: number, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  let count = 0;
  const server = createServer(async (req, res) => {
    count += 1;
    if (await onRequest(count, req, res)) return;
    try {
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        headers: { authorization: req.headers.authorization ?? '' },
      });
      const headers = Object.fromEntries(
        [...upstream.headers].filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
      );
      res.writeHead(upstream.status, headers);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
