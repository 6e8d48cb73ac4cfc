import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../helpers/cli.js';
import { NOW, REASONS, seedCompany } from './seed.js';
import { useSlackNock, WEBHOOK_ORIGIN, WEBHOOK_PATH, WEBHOOK_URL } from './slack-nock.js';

useSlackNock();

let dir: string;
const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: 'file:./zt.db',
  ZT_CONFIG: './zt.yaml',
  ZT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
  LOG_LEVEL: 'warn',
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: env(extra), cwd: dir, now: () => NOW });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-digest-cli-'));
  const reasons = REASONS.map((r) => `  - { id: ${r.id}, title: "${r.title}", owner: ${r.owner} }`).join(
    '\n',
  );
  writeFileSync(
    join(dir, 'zt.yaml'),
    `metric: { completionMilestone: onboarding_completed }\nreasons:\n${reasons}\nslack: { dashboardUrl: "https://zt.acme.test/" }\n`,
  );
  const store = await openSqliteStore({ file: join(dir, 'zt.db') });
  await seedCompany(store);
  await store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('zerotickets digest', () => {
  it('--preview --json prints exactly one JSON document: the payload, its text, and the owner notes', async () => {
    const run = await cli(['digest', '--preview', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      day: string;
      digest: { text: string; blocks: unknown[]; rendered: string };
      ownerNotes: Array<{ owner: string; mode: string; blocks: unknown[] }>;
    };
    expect(doc.day).toBe('2026-11-24');
    expect(doc.digest.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Companies with zero support tickets' },
    });
    expect(doc.digest.rendered).toContain('Last closed week (from 2026-11-16): *50.0%* (n=2), ▼ 50.0 pts');
    expect(doc.digest.rendered).toContain('Open the dashboard (https://zt.acme.test/)');
    expect(doc.ownerNotes.map((n) => [n.owner, n.mode])).toEqual([
      ['U_AUTH_OWNER', 'dm'],
      ['U_BILLING_OWNER', 'dm'],
    ]);
  });

  it('--preview prints the readable text, then the Block Kit payload, and posts nothing', async () => {
    const run = await cli(['digest', '--preview'], { SLACK_WEBHOOK_URL: WEBHOOK_URL });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Companies with zero support tickets\n═+\n/);
    expect(run.stdout).toContain(
      '── daily post: Block Kit payload ──\n{\n  "text": "Companies with zero support tickets: 50.0%',
    );
    expect(run.stdout).toContain(
      '── owner note for U_BILLING_OWNER (DM) ──\n*1 new ticket* for the reasons you own:',
    );
  });

  it('run --once --dry-run prints the same preview: text, then the exact payload', async () => {
    // The seeded connection cannot sync (no real Zendesk): the run says so and exits 1, but the
    // rest of the pipeline runs and the digest is printed all the same.
    const run = await cli(['run', '--once', '--dry-run'], { SLACK_WEBHOOK_URL: WEBHOOK_URL });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('zerotickets: sync failed for zd');
    const preview = await cli(['digest', '--preview', '--json']);
    const { digest } = JSON.parse(preview.stdout) as {
      digest: { text: string; blocks: unknown[]; rendered: string };
    };
    const payload = JSON.stringify({ text: digest.text, blocks: digest.blocks }, null, 2);
    expect(
      run.stdout.startsWith(`${digest.rendered}\n\n── daily post: Block Kit payload ──\n${payload}\n`),
    ).toBe(true);
  });

  it('--post posts today once, however often it runs', async () => {
    const scope = nock(WEBHOOK_ORIGIN).post(WEBHOOK_PATH).once().reply(200, 'ok');
    const first = await cli(['digest', '--post'], { SLACK_WEBHOOK_URL: WEBHOOK_URL });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('digest: posted (2026-11-24); owner notes: no_bot, 0 sent');
    scope.done();
    const again = await cli(['digest', '--post'], { SLACK_WEBHOOK_URL: WEBHOOK_URL });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('digest: already_posted');
  });

  it.each([
    [['digest'], 'give exactly one of --preview or --post'],
    [['digest', '--preview', '--force'], '--force goes with --post'],
    [['digest', '--post', '--json'], '--json goes with --preview'],
  ])('%j fails with one line', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`zerotickets: digest: ${message}\n`);
  });
});
