import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type IntercomSimulator,
  startIntercomSimulator,
} from '../../../connectors/simulator/intercom-simulator.js';
import { runCli } from '../../helpers/cli.js';

const TOKEN = 'ic-secret-token-123';
let dir: string;
let simulator: IntercomSimulator;
let env: Record<string, string>;
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: { ...env, ...extra }, cwd: dir });

beforeAll(async () => {
  simulator = await startIntercomSimulator({ token: TOKEN, conversations: [] });
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zt-ic-connect-'));
  env = {
    DATABASE_URL: 'file:./zt.db',
    ZT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('zerotickets connect intercom', () => {
  it('verifies the token and stores it encrypted, with the workspace it belongs to', async () => {
    const run = await cli([
      'connect',
      'intercom',
      '--token',
      TOKEN,
      '--base-url',
      simulator.baseUrl,
      '--webhook-secret',
      'cs-42',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'connected intercom-fn4x2k7q: Intercom Fieldnote (fn4x2k7q), region US as sam@fieldnote.app; rate limit 167 requests/10 s\n',
    );
    const row = new Database(join(dir, 'zt.db'), { readonly: true })
      .prepare("SELECT kind, settings, secret FROM connections WHERE id = 'intercom-fn4x2k7q'")
      .get() as { kind: string; settings: string; secret: string };
    expect(row.kind).toBe('intercom');
    expect(JSON.parse(row.settings)).toEqual({
      region: 'us',
      baseUrl: simulator.baseUrl,
      appId: 'fn4x2k7q',
      tickets: false,
    });
    expect(row.secret).not.toContain(TOKEN);
    expect(row.secret).not.toContain('cs-42');
    expect(simulator.requests.map((r) => [r.path, r.version]).slice(-3)).toEqual([
      ['/me', '2.14'],
      ['/ticket_types', '2.14'],
      ['/me', '2.14'],
    ]);
  });

  it('takes the token from INTERCOM_ACCESS_TOKEN', async () => {
    const run = await cli(['connect', 'intercom', '--base-url', simulator.baseUrl, '--id', 'ic'], {
      INTERCOM_ACCESS_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^connected ic: /);
  });

  it.each([
    [
      ['--token', 'wrong', '--base-url', 'BASE'],
      /^zerotickets: Intercom 127\.0\.0\.1:\d+: the access token was refused \(HTTP 401 — token_not_found: Access Token Invalid\); check the token, and the region/,
    ],
    [['--base-url', 'BASE'], /^zerotickets: --token: required \(or set INTERCOM_ACCESS_TOKEN\)$/],
    [
      ['--token', TOKEN, '--base-url', 'http://127.0.0.1:1/api'],
      /^zerotickets: --base-url: expected scheme:\/\/host\[:port\] with no path/,
    ],
  ])('refuses %j with one line and stores nothing', async (args, message) => {
    const run = await cli([
      'connect',
      'intercom',
      ...args.map((a) => (a === 'BASE' ? simulator.baseUrl : a)),
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stderr).not.toContain(TOKEN);
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout).connections).toEqual([]);
  });

  it('says when Intercom cannot be reached at all', async () => {
    // .invalid never resolves (RFC 6761).
    const run = await cli(['connect', 'intercom', '--token', TOKEN, '--base-url', 'http://nope.invalid']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^zerotickets: could not reach Intercom at http:\/\/nope\.invalid \(.*\); check the network, --region \(us\|eu\|au\) or --base-url\n$/,
    );
  });

  it('refuses a region Intercom does not have, naming the choices', async () => {
    const run = await cli(['connect', 'intercom', '--token', TOKEN, '--region', 'mars']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/'mars' is invalid\. Allowed choices are us, eu, au/);
  });

  it('prints help', async () => {
    const run = await cli(['connect', 'intercom', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--region <region>/);
  });
});
