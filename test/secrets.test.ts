import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, resolveSecretKey } from '../src/secrets.js';

describe('secret box', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips and never stores the plain text', () => {
    const box = createSecretBox(key);
    const sealed = box.seal({ token: 'very-secret-token' });
    expect(sealed).not.toContain('very-secret-token');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed)).toEqual({ token: 'very-secret-token' });
  });

  it('uses a fresh IV for every value', () => {
    const box = createSecretBox(key);
    expect(box.seal({ a: 'b' })).not.toBe(box.seal({ a: 'b' }));
  });

  it('refuses a wrong key or a tampered value with a clear error', () => {
    const sealed = createSecretBox(key).seal({ token: 't' });
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(
      /not the key they were saved with/,
    );
    const tampered = `${sealed.slice(0, -2)}AA`;
    expect(() => createSecretBox(key).open(tampered)).toThrow(/cannot be decrypted/);
  });
});

describe('resolveSecretKey', () => {
  it('creates a 0600 key file once and then reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zt-key-')), 'db.key');
    const first = resolveSecretKey(undefined, file);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveSecretKey(undefined, file);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('prefers ZT_SECRET_KEY and requires it without a key file', () => {
    const env = Buffer.alloc(32, 1).toString('base64');
    expect(resolveSecretKey(env, null).source).toBe('env');
    expect(() => resolveSecretKey(undefined, null)).toThrow(/ZT_SECRET_KEY: required/);
  });
});
