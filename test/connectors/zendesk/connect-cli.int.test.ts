import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startZendeskSimulator,
  type ZendeskSimulator,
} from '../../../connectors/simulator/zendesk-simulator.js';
import { runCli } from '../../helpers/cli.js';
import { ADMIN, COMPANY, NOW } from './sim-harness.js';

// `zerotickets connect zendesk` through the real CLI, against the simulator.
let dir: string;
let sim: ZendeskSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-connect-'));
  sim = await startZendeskSimulator({
    company: COMPANY,
    ...ADMIN,
    oauthToken: 'oauth-abc',
    clock: () => NOW,
    rateLimitPerMinute: 400,
  });
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'debug',
  };
});

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const connect = (...args: string[]) =>
  runCli(['connect', 'zendesk', '--subdomain', 'fieldnote', '--base-url', sim.baseUrl, ...args], {
    env,
    cwd: dir,
    now: () => NOW,
  });

describe('zerotickets connect zendesk', () => {
  it('verifies, reports the rate limit, and stores the token encrypted', async () => {
    const run = await connect('--email', ADMIN.email, '--token', ADMIN.token, '--webhook-secret', 'whsec-1');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^connected zendesk-fieldnote: fieldnote\.zendesk\.com via 127\.0\.0\.1:\d+ as sam@fieldnote\.app \(admin\); rate limit 400 requests\/min \(\d+ left this minute\); exports 10\/min\n$/,
    );
    const db = new Database(join(dir, 'zt.db'), { readonly: true });
    const stored = JSON.stringify(db.prepare('SELECT * FROM connections').all());
    db.close();
    expect(stored).not.toContain(ADMIN.token);
    expect(stored).not.toContain('whsec-1');
    expect(run.stderr).not.toContain(ADMIN.token);
  });

  it('updates the connection when re-run, with an OAuth token', async () => {
    const run = await connect('--oauth', '--token', 'oauth-abc', '--since', '2026-01-01');
    expect(run.code).toBe(0);
    const db = new Database(join(dir, 'zt.db'), { readonly: true });
    const rows = db.prepare('SELECT id, settings FROM connections').all() as Array<{
      id: string;
      settings: string;
    }>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.settings)).toMatchObject({
      subdomain: 'fieldnote',
      since: '2026-01-01T00:00:00.000Z',
    });
    expect(run.stderr).not.toContain('oauth-abc');
  });

  it.each([
    ['a wrong token', ['--email', ADMIN.email, '--token', 'wrong'], /bad credentials/],
    ['no email with an API token', ['--token', 'x'], /--email: required/],
  ])('fails with one line for %s', async (_case, args, message) => {
    const run = await connect(...args);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(message);
    expect(run.stderr).not.toContain('wrong"');
  });
});
