import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, parseEnv } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const minimal = `
metric:
  completionMilestone: onboarding_completed
reasons:
  - id: billing
    title: Billing
    owner: U1
    match: { keywords: [invoice] }
`;

describe('parseConfigFile', () => {
  it('reads a sync interval per connection beside the default one', () => {
    const config = parseConfigFile(
      `${minimal}sync: { everyMinutes: 30, connections: { zendesk-acme: 5 } }\n`,
      'z.yaml',
    );
    expect(config.sync).toEqual({ everyMinutes: 30, connections: { 'zendesk-acme': 5 } });
  });

  it('fills the documented defaults', () => {
    const config = parseConfigFile(minimal, 'z.yaml');
    expect(config.metric).toEqual({
      startMilestone: null,
      completionMilestone: 'onboarding_completed',
      bufferDays: 14,
      stallAfterDays: 60,
      timezone: 'UTC',
    });
    expect(config.slack).toEqual({
      channel: null,
      postAt: '09:00',
      ownerNotes: true,
      ownerNotesMode: 'dm',
      dashboardUrl: null,
    });
    expect(config.sync).toEqual({ everyMinutes: 15, connections: {} });
    expect(config.reasons[0]).toEqual({
      id: 'billing',
      title: 'Billing',
      owner: 'U1',
      match: { keywords: ['invoice'] },
      countsTowardMetric: true,
    });
  });

  it('accepts the shipped example config', () => {
    const config = parseConfigFile(readFileSync('zerotickets.config.example.yaml', 'utf8'), 'example');
    expect(config.reasons.length).toBeGreaterThanOrEqual(8);
    expect(config.reasons.find((r) => r.id === 'feature_request')?.countsTowardMetric).toBe(false);
  });

  it.each([
    [
      'a typo in a key',
      minimal.replace('completionMilestone', 'completionMilstone'),
      /unknown key "metric.completionMilstone"/,
    ],
    [
      'a missing required key',
      minimal.replace('  completionMilestone: onboarding_completed\n', '  bufferDays: 14\n'),
      /metric.completionMilestone: required/,
    ],
    [
      'a wrong type',
      `${minimal}\n`.replace('metric:\n', 'metric:\n  bufferDays: fourteen\n'),
      /metric.bufferDays: .*number/,
    ],
    [
      'a bad regex',
      minimal.replace('keywords: [invoice]', "regex: ['(unclosed']"),
      /reasons.0.match.regex.0: expected a valid JavaScript regular expression/,
    ],
    [
      'a reserved reason id',
      minimal.replace('id: billing', 'id: unclassified'),
      /reasons.0.id: expected another id/,
    ],
    [
      'duplicate reason ids',
      `${minimal}  - id: billing\n    title: Again\n`,
      /reasons: expected unique reason ids/,
    ],
    [
      'a bad time zone',
      minimal.replace('metric:\n', 'metric:\n  timezone: Mars/Olympus\n'),
      /metric.timezone: expected an IANA time zone/,
    ],
    ['a bad postAt', `${minimal}slack: { postAt: "9am" }\n`, /slack.postAt: expected a time HH:MM/],
    ['an unknown top-level key', `${minimal}metrics: {}\n`, /unknown key "metrics"/],
    [
      'a per-connection sync interval of zero',
      `${minimal}sync: { connections: { zendesk-acme: 0 } }\n`,
      /sync.connections.zendesk-acme: /,
    ],
    ['broken YAML', 'metric: [', /not valid YAML/],
  ])('names the key for %s', (_case, text, message) => {
    expect(() => parseConfigFile(text, 'z.yaml')).toThrow(ConfigError);
    expect(() => parseConfigFile(text, 'z.yaml')).toThrow(message);
  });
});

describe('parseEnv', () => {
  it('applies the Contract defaults', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe('file:./zerotickets.db');
    expect(env.ZT_CONFIG).toBe('./zerotickets.config.yaml');
    expect(env.ZT_QUEUE_PREFIX).toBe('zt');
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.REDIS_URL).toBeUndefined();
  });

  it.each([
    'file:./zt.db',
    'file:///var/lib/zt.db',
    'zt.db',
    ':memory:',
    'postgres://u@h/db',
    'postgresql://h/db',
  ])('accepts the database URL %s', (url) => {
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ REDIS_URL: '', DATABASE_URL: '' }).DATABASE_URL).toBe('file:./zerotickets.db');
  });

  it.each([
    [{ ZT_SECRET_KEY: 'c2hvcnQ=' }, /ZT_SECRET_KEY: expected 32 bytes/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: expected a redis:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ZT_QUEUE_PREFIX: 'a:b' }, /ZT_QUEUE_PREFIX: expected letters/],
    [{ SLACK_BOT_TOKEN: 'abc' }, /SLACK_BOT_TOKEN: expected a Slack bot token/],
    [{ DATABASE_URL: 'mysql://db/zt' }, /DATABASE_URL: expected file:PATH \(SQLite\) or postgres:/],
    [{ WAREHOUSE_URL: 'https://example.com' }, /WAREHOUSE_URL: expected file:PATH/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => parseEnv(env)).toThrow(message);
  });
});
