import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zt-cli-'));
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
    ZT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'warn',
  };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli(args, { env: { ...env, ...extraEnv }, cwd: dir });

describe('the command line', () => {
  it.each([
    [['--help']],
    [['connect', 'zendesk', '--help']],
    [['import', 'customers', '--help']],
    [['run', '--help']],
    [['status', '--help']],
    [['sync', '--help']],
    [['demo', '--help']],
  ])('%j prints help and exits 0', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: zerotickets/);
  });

  it('rejects an unknown command with a non-zero exit', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('imports the good rows of a file with bad ones, lists the bad by line and exits 1', async () => {
    writeFileSync(
      join(dir, 'customers.csv'),
      'id,name,emails,domains\ncus_1,Acme,ops@acme.com,acme.com\ncus_2,Beta,not-an-email,\ncus_3,Gamma,,gamma.io\ncus_1,Dup,,\n',
    );
    const run = await cli(['import', 'customers', 'customers.csv']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('customers.csv:3: emails.0: expected e-mail addresses');
    expect(run.stderr).toContain('customers.csv:5: id "cus_1" already given on line 2');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'zerotickets: 2 customers rows rejected; the good rows were imported',
    );
    const rows = new Database(join(dir, 'zt.db'), { readonly: true })
      .prepare('SELECT id FROM customers ORDER BY id')
      .all();
    expect(rows).toEqual([{ id: 'cus_1' }, { id: 'cus_3' }]);
    const again = await cli(['import', 'customers', 'customers.csv', '--json']);
    const doc = JSON.parse(again.stdout);
    expect({ inserted: doc.inserted, updated: doc.updated, unchanged: doc.unchanged }).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
  });

  it('rejects a milestone with an unknown time format by line', async () => {
    writeFileSync(
      join(dir, 'milestones.jsonl'),
      '{"customer_id":"c1","milestone":"signed_up","occurred_at":"2026-01-05T10:00:00Z"}\n{"customer_id":"c1","milestone":"onboarding_completed","occurred_at":"last tuesday"}\n',
    );
    const run = await cli(['import', 'milestones', 'milestones.jsonl']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('milestones.jsonl:2: occurred_at: expected an ISO 8601 time');
    expect(run.stdout).toContain('milestones: 1 accepted (1 new');
  });

  it('refuses a file that is neither CSV nor JSONL', async () => {
    writeFileSync(join(dir, 'x.xlsx'), '');
    const run = await cli(['import', 'customers', 'x.xlsx']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('zerotickets: x.xlsx: expected a .csv or .jsonl file\n');
  });

  it('stops on a config with a typo, naming the key in one line', async () => {
    const text = readFileSync('zerotickets.config.example.yaml', 'utf8').replace('bufferDays:', 'bufferDay:');
    writeFileSync(join(dir, 'bad.yaml'), text);
    const run = await cli(['run', '--once', '--dry-run'], { ZT_CONFIG: 'bad.yaml' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/bad\.yaml: unknown key "metric\.bufferDay"/);
  });

  it('refuses to run the demo on a database that holds real data', async () => {
    writeFileSync(
      join(dir, 'c.jsonl'),
      '{"id":"acme","name":"Acme","emails":["ops@acme.test"],"domains":[]}\n',
    );
    expect((await cli(['import', 'customers', 'c.jsonl'])).code).toBe(0);
    const run = await cli(['demo']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^zerotickets: DATABASE_URL already holds real data \(1 customers/);
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout).connections).toEqual([]);
  });

  it('stops on a bad environment variable, naming it', async () => {
    const run = await cli(['status'], { LOG_LEVEL: 'chatty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^zerotickets: environment: LOG_LEVEL: /);
  });

  describe('against a helpdesk that answers garbage', () => {
    let server: Server;
    let baseUrl: string;
    let exportBody = 'not json at all';

    beforeEach(async () => {
      server = createServer((req, res) => {
        if (req.url?.startsWith('/api/v2/users/me')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ user: { id: 1, name: 'Admin', email: 'a@x.io', role: 'admin' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(exportBody);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
      await new Promise((r) => server.close(r));
    });

    it('fails the run with one line, keeps the cursor, and still runs the rest of the pipeline', async () => {
      exportBody = '<html>maintenance</html>';
      const connect = await cli([
        'connect',
        'zendesk',
        '--subdomain',
        'acme',
        '--email',
        'a@x.io',
        '--token',
        'tkn',
        '--base-url',
        baseUrl,
      ]);
      expect(connect.code).toBe(0);
      writeFileSync(join(dir, 'c.jsonl'), '{"id":"c1","name":"C1","emails":["a@c1.io"]}\n');
      expect((await cli(['import', 'customers', 'c.jsonl'])).code).toBe(0);
      const run = await cli(['run', '--once', '--dry-run']);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').at(-1)).toMatch(
        /^zerotickets: sync failed for zendesk-acme \(.*JSON/,
      );
      expect(run.stdout).toContain('Companies with zero support tickets');
      const conn = new Database(join(dir, 'zt.db'), { readonly: true });
      // No tickets cursor was pinned; the garbage pages are kept in quarantine with their error.
      expect(conn.prepare("SELECT COUNT(*) AS n FROM sync_state WHERE stream = 'tickets'").get()).toEqual({
        n: 0,
      });
      const kept = conn.prepare('SELECT kind, error FROM quarantine').all() as Array<{
        kind: string;
        error: string;
      }>;
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((q) => q.kind === 'page' && /JSON/.test(q.error))).toBe(true);
      expect(conn.prepare('SELECT status FROM zt_customer_status').all()).toEqual([
        { status: 'not_started' },
      ]);
    });
  });
});
