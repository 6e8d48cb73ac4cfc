import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { parseConfigFile, parseEnv } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { FUZZ } from './fuzz-settings.js';

/**
 * Property tests of the configuration: the YAML file and the environment. Whatever they hold,
 * the result is a config or one ConfigError line that names where the problem is.
 */
const example = parseYaml(readFileSync('zerotickets.config.example.yaml', 'utf8')) as Record<string, unknown>;

function expectConfigError(error: unknown, mentions: string): void {
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toContain(mentions);
}

/** Every path to a value in the example config, e.g. ['reasons', 2, 'match', 'keywords']. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function replaced(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = replaced(copy[head!], rest, value);
  return copy;
}

describe('config file never crashes', () => {
  it('any text: a config, or one ConfigError line naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `metric:\n  ${s}\nreasons: ${s}`),
        ),
        (text) => {
          try {
            parseConfigFile(text, 'fuzz.yaml');
          } catch (error) {
            expectConfigError(error, 'config fuzz.yaml: ');
          }
        },
      ),
      FUZZ,
    );
  });

  it('the example with any one value replaced: a config, or an error naming that part of it', () => {
    const all = paths(example).filter((p) => p.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.oneof(fc.jsonValue(), fc.string(), fc.constant(undefined)),
        (path, value) => {
          const text = stringify(replaced(example, path, value));
          try {
            parseConfigFile(text, 'fuzz.yaml');
          } catch (error) {
            expectConfigError(error, String(path[0]));
          }
        },
      ),
      FUZZ,
    );
  });

  it('an unknown key anywhere in the example is refused by name', () => {
    const objects = paths(example).filter((p) => {
      const at = p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example);
      return at !== null && typeof at === 'object' && !Array.isArray(at) && p[p.length - 2] !== 'fields';
    });
    const key = fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/).map((k) => `zz${k}`);
    fc.assert(
      fc.property(fc.constantFrom(...objects), key, (path, unknown) => {
        const at = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example);
        const text = stringify(replaced(example, path, { ...(at as object), [unknown]: 1 }));
        expect(() => parseConfigFile(text, 'fuzz.yaml')).toThrow(ConfigError);
        try {
          parseConfigFile(text, 'fuzz.yaml');
        } catch (error) {
          expectConfigError(error, `unknown key "${[...path, unknown].join('.')}"`);
        }
      }),
      FUZZ,
    );
  });
});

describe('environment never crashes', () => {
  const KEYS = [
    'DATABASE_URL',
    'WAREHOUSE_URL',
    'REDIS_URL',
    'ZT_CONFIG',
    'ZT_SECRET_KEY',
    'SLACK_WEBHOOK_URL',
    'SLACK_BOT_TOKEN',
    'ZT_QUEUE_PREFIX',
    'ZT_API_TOKEN',
    'LOG_LEVEL',
  ];
  it('any values: a config, or one ConfigError line naming a variable that was set', () => {
    const env = fc.dictionary(
      fc.constantFrom(...KEYS),
      fc.oneof(fc.string(), fc.webUrl(), fc.constant('postgres://x')),
    );
    fc.assert(
      fc.property(env, (values) => {
        try {
          parseEnv(values);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const message = (error as Error).message;
          expect(message).not.toContain('\n');
          expect(Object.keys(values).some((k) => message.includes(k))).toBe(true);
        }
      }),
      FUZZ,
    );
  });
});
