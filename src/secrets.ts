import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

/**
 * Credentials at rest: AES-256-GCM with a random 96-bit IV per value. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url parts), so a future key or cipher change can be
 * recognised by its prefix.
 */
export interface SecretBox {
  seal(plain: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new ConfigError('ZT_SECRET_KEY: expected 32 bytes encoded as base64');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new ConfigError('stored credentials are not in a known format');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as Record<string, string>;
      } catch {
        throw new ConfigError(
          'stored credentials cannot be decrypted: ZT_SECRET_KEY (or the key file) is not the key they were saved with',
        );
      }
    },
  };
}

/**
 * Where the key comes from: `ZT_SECRET_KEY`, else (embedded SQLite mode only) a key file beside
 * the database, created with mode 0600 on first use. `created` tells the caller to warn.
 */
export function resolveSecretKey(
  envKey: string | undefined,
  keyFile: string | null,
): { key: Buffer; source: 'env' | 'file'; created: boolean } {
  if (envKey) return { key: Buffer.from(envKey, 'base64'), source: 'env', created: false };
  if (!keyFile) {
    throw new ConfigError(
      'ZT_SECRET_KEY: required with a Postgres store (32 bytes, base64: openssl rand -base64 32)',
    );
  }
  if (existsSync(keyFile)) {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new ConfigError(`key file ${keyFile}: expected 32 bytes encoded as base64`);
    return { key, source: 'file', created: false };
  }
  const key = randomBytes(32);
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return { key, source: 'file', created: true };
}
