import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/open-store.js';

describe('parseDatabaseUrl', () => {
  it.each([
    ['file:./zerotickets.db', { dialect: 'sqlite', file: '/srv/zt/zerotickets.db' }],
    ['file:data/zt.db', { dialect: 'sqlite', file: '/srv/zt/data/zt.db' }],
    ['file:/var/lib/zt.db', { dialect: 'sqlite', file: '/var/lib/zt.db' }],
    ['file:///var/lib/zt.db', { dialect: 'sqlite', file: '/var/lib/zt.db' }],
    ['zt.db', { dialect: 'sqlite', file: '/srv/zt/zt.db' }],
    ['/abs/zt.db', { dialect: 'sqlite', file: '/abs/zt.db' }],
    [':memory:', { dialect: 'sqlite', file: ':memory:' }],
    ['file::memory:', { dialect: 'sqlite', file: ':memory:' }],
    [
      'postgres://u:p@db:5432/zt',
      { dialect: 'postgres', url: 'postgres://u:p@db:5432/zt', schema: 'public' },
    ],
    [
      'postgresql://db/zt?schema=analytics&sslmode=require',
      { dialect: 'postgres', url: 'postgresql://db/zt?sslmode=require', schema: 'analytics' },
    ],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url, '/srv/zt')).toEqual(expected);
  });
});
