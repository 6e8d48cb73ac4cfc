import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The in-process CLI tests run the TypeScript sources through vitest, which forgives
// CommonJS interop that plain Node does not. This file runs the built package's executable
// in a child process, exactly as a user's `npx zerotickets` does.
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/zerotickets.js');
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'zt-bin-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function zerotickets(args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'warn' };
  return run(process.execPath, [bin, ...args], { cwd: dir, env: { ...base, ...env } });
}

describe('the built zerotickets executable', () => {
  it('runs the demo end to end on a fresh SQLite file and reads it back with status', async () => {
    const demo = await zerotickets(['demo']);
    expect(demo.stdout).toContain('Companies with zero support tickets');
    expect(demo.stdout).toMatch(/Synced \d+ tickets, recomputed 300 customers/);
    expect(existsSync(join(dir, 'zerotickets.db'))).toBe(true);

    // The Contract's default database: status reads the demo back without any settings.
    const status = await zerotickets(['status', '--json']);
    const parsed = JSON.parse(status.stdout) as { customers: number; connections: Array<{ id: string }> };
    expect(parsed.customers).toBe(300);
    expect(parsed.connections.map((c) => c.id)).toEqual(['demo-intercom', 'demo-zendesk']);

    // A second demo starts the file afresh instead of stacking a second sample company on it.
    const again = await zerotickets(['demo']);
    expect(again.stdout).toMatch(/recomputed 300 customers/);
  });

  it('exits 1 with one line naming the bad key when the environment is invalid', async () => {
    const failed = await zerotickets(['status'], { DATABASE_URL: 'mysql://nope' }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).toContain('DATABASE_URL');
  });
});
