import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// `zerotickets serve` through the real CLI: the bind rule, and a clean stop on SIGTERM.
let dir: string;
const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: 'file:./zt.db',
  ZT_CONFIG: resolve('zerotickets.config.example.yaml'),
  ZT_SECRET_KEY: Buffer.alloc(32, 8).toString('base64'),
  LOG_LEVEL: 'silent',
  ...extra,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zt-serve-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('zerotickets serve', () => {
  it('refuses a non-loopback --host without ZT_API_TOKEN, naming it', async () => {
    const run = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { env: env(), cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^zerotickets: --host 0\.0\.0\.0: without ZT_API_TOKEN/m);
  });

  it('rejects a bad --port', async () => {
    const run = await runCli(['serve', '--port', 'eighty'], { env: env(), cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('expected a port');
  });

  it('serves until SIGTERM, then exits 0', async () => {
    const others = process.listeners('SIGTERM');
    process.removeAllListeners('SIGTERM');
    let stderr = '';
    try {
      const { main } = await import('../../src/cli.js');
      const done = main(['serve', '--port', '0'], {
        env: env({ ZT_API_TOKEN: 'test-token-0123456789abcdef' }),
        cwd: dir,
        stdout: () => {},
        stderr: (text) => {
          stderr += text;
        },
      });
      for (let i = 0; i < 200 && !/serving on (\S+)/.test(stderr); i++)
        await new Promise((r) => setTimeout(r, 25));
      const url = /serving on (\S+)/.exec(stderr)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/metric`)).status).toBe(401);
      process.emit('SIGTERM', 'SIGTERM');
      expect(await done).toBe(0);
    } finally {
      for (const listener of others) process.on('SIGTERM', listener as NodeJS.SignalsListener);
    }
  });
});
