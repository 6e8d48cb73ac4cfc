import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { BIN, buildPackage, drillEnv, integrityCheck, runBinary } from './drill-helpers.js';

/**
 * Drills: the SQLite file cannot be written — a read-only file, a read-only folder, a full
 * disk. The real executable runs in a child process (as `nobody` when the tests run as root,
 * since root ignores file modes); each failure must be one clear line, exit 1, and leave the
 * database exactly as it was and intact.
 */
const NOBODY = 65_534;
const isRoot = process.getuid?.() === 0;

let dir: string;
let env: Record<string, string>;
let file: string;

beforeAll(() => buildPackage(), 120_000);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zt-storage-'));
  chmodSync(dir, 0o755);
  env = drillEnv(dir);
  file = join(dir, 'zt.db');
  writeFileSync(join(dir, 'customers.csv'), csv(1, 50));
  writeFileSync(join(dir, 'more.csv'), csv(51, 60));
  const imported = await runCli(['import', 'customers', 'customers.csv'], { env, cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
});

afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function csv(from: number, to: number): string {
  const rows = [];
  for (let i = from; i <= to; i += 1)
    rows.push(`c${i},Customer ${i},ops${i}@c${i}.example.com,c${i}.example.com`);
  return `id,name,emails,domains\n${rows.join('\n')}\n`;
}

function customers(): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The child runs as `nobody` when we are root; `owned` paths are handed to it first. */
function asUnprivileged(...owned: string[]) {
  if (!isRoot) return {};
  for (const path of owned) chownSync(path, NOBODY, NOBODY);
  return { uid: NOBODY, gid: NOBODY };
}

async function importAs(identity: { uid?: number; gid?: number }) {
  return runBinary(['import', 'customers', 'more.csv'], env, dir, () => {}, identity);
}

const READ_ONLY = (file: string) =>
  new RegExp(
    `^zerotickets: database ${file} is read-only \\(attempt to write a readonly database\\); the file and its folder must be writable by this user$`,
  );

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('SQLite that cannot be written', () => {
  it('a read-only database file: one clear line, exit 1, nothing changed', async () => {
    const identity = asUnprivileged(dir, file);
    chmodSync(file, 0o444);
    const run = await importAs(identity);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, READ_ONLY(file));
    chmodSync(file, 0o644);
    expect(integrityCheck(file)).toBe('ok');
    expect(customers()).toBe(50);
  });

  it('a read-only folder: one clear line, exit 1, nothing changed', async () => {
    const identity = asUnprivileged(dir, file);
    chmodSync(dir, 0o555);
    const run = await importAs(identity);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, READ_ONLY(file));
    chmodSync(dir, 0o755);
    expect(integrityCheck(file)).toBe('ok');
    expect(customers()).toBe(50);
  });

  it('a full disk mid-import: one clear line, the import rolled back whole, and a re-run completes', async () => {
    writeFileSync(join(dir, 'big.csv'), csv(1001, 21_000));
    // RLIMIT_FSIZE makes every write past ~1 MB fail (EFBIG), as a full disk makes it fail (ENOSPC).
    const full = await runBinary(
      ['-c', `ulimit -f 2048; trap "" XFSZ; exec "${process.execPath}" "${BIN}" import customers big.csv`],
      env,
      dir,
      () => {},
      {},
      '/bin/sh',
    );
    expect(full.code).toBe(1);
    expectOneLine(
      full.stderr,
      new RegExp(
        `^zerotickets: database ${file}: cannot write — disk full or I/O error \\(disk I/O error\\); free space and run again \\(the last step was rolled back\\)$`,
      ),
    );
    expect(integrityCheck(file)).toBe('ok');
    expect(customers()).toBe(50);

    const again = await runBinary(['import', 'customers', 'big.csv'], env, dir);
    expect(again.code, again.stderr).toBe(0);
    expect(customers()).toBe(50 + 20_000);
    expect(integrityCheck(file)).toBe('ok');
  });
});
