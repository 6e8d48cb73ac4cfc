import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of `message` with `key` used as the literal string, encoded as the vendor expects. */
export function hmac(
  algorithm: 'sha1' | 'sha256',
  key: string,
  message: string | Uint8Array,
  encoding: 'base64' | 'hex',
): string {
  return createHmac(algorithm, key).update(message).digest(encoding);
}

/** Constant-time string comparison; unequal lengths are unequal without a timing hint. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Compare against itself so the time spent does not depend on where they differ.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
