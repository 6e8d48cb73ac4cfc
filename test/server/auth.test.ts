import { describe, expect, it } from 'vitest';
import { assertSafeBind, isLoopbackHost } from '../../src/server/auth.js';

describe('the bind rule', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    ['0.0.0.0', null, /without ZT_API_TOKEN/],
    ['10.0.0.5', null, /without ZT_API_TOKEN/],
  ])('refuses %s without a token', (host, token, message) => {
    expect(() => assertSafeBind(host, token)).toThrow(message);
  });

  it.each([
    ['127.0.0.1', null],
    ['0.0.0.0', 'test-token-0123456789abcdef'],
  ])('allows %s (token %s)', (host, token) => {
    expect(() => assertSafeBind(host, token)).not.toThrow();
  });
});
