import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { ConfigError } from '../errors.js';
import { bearerMatches } from './routes/dashboard.js';

/**
 * `ZT_API_TOKEN` guards every route given to this middleware, loopback included: a process on
 * the same machine is not proof of the right to read or write. Without a token nothing is
 * checked, which is only safe because `assertSafeBind` then keeps the server on loopback.
 */
export function requireBearer(token: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (token === null || bearerMatches(c.req.header('authorization'), token)) return next();
    c.header('WWW-Authenticate', 'Bearer realm="zerotickets"');
    return c.json({ error: 'unauthorized: send Authorization: Bearer <ZT_API_TOKEN>' }, 401);
  };
}

/**
 * The queue board is a browser app whose own requests (scripts, JSON) cannot carry a bearer
 * header, so it also takes HTTP Basic with the token as the password (any user name): the
 * browser asks once, then sends it with every request to the board (RFC 7617).
 */
export function requireBearerOrBasic(token: string | null, realm: string): MiddlewareHandler {
  const bearer = requireBearer(token);
  return async (c, next) => {
    if (token === null || basicMatches(c.req.header('authorization'), token)) return next();
    if (/^Bearer\s/i.test(c.req.header('authorization') ?? '')) return bearer(c, next);
    c.header('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    return c.json(
      { error: 'unauthorized: sign in with any user name and ZT_API_TOKEN as the password' },
      401,
    );
  };
}

function basicMatches(header: string | undefined, token: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && bearerMatches(`Bearer ${decoded.slice(colon + 1)}`, token);
}

/** Loopback: `localhost`, 127.0.0.0/8 and ::1 (also as IPv4-mapped IPv6). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/** The Contract: without `ZT_API_TOKEN`, `serve` refuses to listen beyond loopback. */
export function assertSafeBind(host: string, token: string | null): void {
  if (token === null && !isLoopbackHost(host)) {
    throw new ConfigError(
      `--host ${host}: without ZT_API_TOKEN serve listens on loopback only (127.0.0.1, ::1, localhost); set ZT_API_TOKEN to listen on ${host}`,
    );
  }
}
