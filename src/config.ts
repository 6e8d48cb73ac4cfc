import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Reason } from './domain/reason.js';
import { UNCLASSIFIED } from './domain/reason.js';
import type { MetricSettings } from './domain/status-types.js';
import { ConfigError } from './errors.js';

/**
 * The one place configuration is read. `parseEnv` and `parseConfigFile` are pure: they take
 * the environment and the file text and return typed values, or throw a `ConfigError` whose
 * message names the bad key and the expected form. Nothing else reads `process.env`.
 */

/** A SQLite file (`file:PATH`, `file:///abs`, a plain path, `:memory:`) or `postgres://…`. */
const databaseUrl = z
  .string()
  .min(1)
  .refine(
    (v) => /^postgres(ql)?:\/\//i.test(v) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.startsWith('file://'),
    'expected file:PATH (SQLite) or postgres://USER@HOST/DB',
  );

const envSchema = z.object({
  /** State store: `file:./zerotickets.db` (SQLite) or `postgres://…`. */
  DATABASE_URL: databaseUrl.default('file:./zerotickets.db'),
  /** Warehouse (`zt_*` tables); defaults to the state store's database. */
  WAREHOUSE_URL: databaseUrl.optional(),
  /** Redis for the BullMQ worker; unset means the embedded, in-process mode. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
    .optional(),
  /** The YAML config file. */
  ZT_CONFIG: z.string().min(1).default('./zerotickets.config.yaml'),
  /** 32 bytes, base64: encrypts helpdesk credentials at rest. */
  ZT_SECRET_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'expected 32 bytes encoded as base64 (openssl rand -base64 32)',
    )
    .optional(),
  SLACK_WEBHOOK_URL: z.url('expected an https URL of a Slack incoming webhook').optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[a-z]-/, 'expected a Slack bot token (xoxb-…)')
    .optional(),
  /** Overrides `slack.channel` of the config file. */
  SLACK_CHANNEL: z.string().min(1).optional(),
  /** BullMQ key prefix; lets deployments or test runs share one Redis. */
  ZT_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - and _')
    .default('zt'),
  /** Bearer token for `serve`'s routes (all but /healthz and signed webhooks). */
  ZT_API_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Used by `connect zendesk` when `--token` is not given. */
  ZENDESK_API_TOKEN: z.string().min(1).optional(),
  /** Used by `connect intercom` when `--token` is not given. */
  INTERCOM_ACCESS_TOKEN: z.string().min(1).optional(),
});

export type EnvConfig = z.infer<typeof envSchema>;

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const reasonId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, - and _')
  .refine((id) => id !== UNCLASSIFIED, `expected another id: "${UNCLASSIFIED}" is reserved`);

/** A sync interval in minutes: at least one, at most a day. */
const syncMinutes = z.number().int().min(1).max(1440);

const reasonSchema = z.strictObject({
  id: reasonId,
  title: z.string().min(1),
  owner: z.string().min(1).nullable().default(null),
  match: z
    .strictObject({
      tags: z.array(z.string().min(1)).optional(),
      keywords: z.array(z.string().min(1)).optional(),
      regex: z
        .array(z.string().min(1).refine(isRegex, 'expected a valid JavaScript regular expression'))
        .optional(),
      fields: z.record(z.string(), fieldValue).optional(),
    })
    .default({}),
  countsTowardMetric: z.boolean().default(true),
  /** Former ids of this reason: their tickets and corrections move here without a change of meaning. */
  renamedFrom: z
    .union([reasonId, z.array(reasonId)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
});

const MODEL_DEFAULTS = { enabled: true, threshold: 0.7, minLabels: 30, retrainAfter: 20 };

/** How classification reads helpdesk tags and when the learned model may answer. */
const classificationSchema = z
  .strictObject({
    /** A helpdesk tag `<tagPrefix><reason id>` sets the reason (agents correct from the helpdesk). */
    tagPrefix: z
      .string()
      .regex(/^[a-z0-9_:-]+$/, 'expected lower-case letters, digits, _, : and -')
      .default('zt_reason_'),
    model: z
      .strictObject({
        enabled: z.boolean().default(MODEL_DEFAULTS.enabled),
        /** Below this confidence (0–1) a ticket the rules left alone stays unclassified. */
        threshold: z.number().min(0).max(1).default(MODEL_DEFAULTS.threshold),
        /** Labelled tickets (manual, tag, field) needed before a model is trained at all. */
        minLabels: z.number().int().min(2).default(MODEL_DEFAULTS.minLabels),
        /** New labels that trigger a retrain (or a tenth of those it learned from, if more). */
        retrainAfter: z.number().int().min(1).default(MODEL_DEFAULTS.retrainAfter),
      })
      .default(() => ({ ...MODEL_DEFAULTS })),
  })
  .default(() => ({ tagPrefix: 'zt_reason_', model: { ...MODEL_DEFAULTS } }));

export type ClassificationSettings = z.infer<typeof classificationSchema>;

const fileSchema = z.strictObject({
  metric: z.strictObject({
    startMilestone: z.string().min(1).nullable().default(null),
    completionMilestone: z.string().min(1),
    bufferDays: z.number().int().min(0).default(14),
    stallAfterDays: z.number().int().min(1).default(60),
    timezone: z
      .string()
      .refine(isTimeZone, 'expected an IANA time zone such as UTC or Europe/Berlin')
      .default('UTC'),
  }),
  reasons: z
    .array(reasonSchema)
    .min(1)
    .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, 'expected unique reason ids')
    .refine(
      renamesAreValid,
      'expected each renamedFrom id to be a former id: not a current reason, not claimed twice',
    ),
  classification: classificationSchema,
  slack: z
    .strictObject({
      channel: z.string().min(1).nullable().default(null),
      postAt: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM (24-hour)')
        .default('09:00'),
      /** Each reason owner's daily note of new tickets (needs SLACK_BOT_TOKEN). */
      ownerNotes: z.boolean().default(true),
      /** `dm` (im:write scope; owners must be Slack user ids) or `thread` under the digest. */
      ownerNotesMode: z.enum(['dm', 'thread']).default('dm'),
      /** The public URL of `serve`'s dashboard, linked from the daily post. */
      dashboardUrl: z
        .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
        .nullable()
        .default(null),
    })
    .default({ channel: null, postAt: '09:00', ownerNotes: true, ownerNotesMode: 'dm', dashboardUrl: null }),
  /**
   * How often the BullMQ worker syncs each connection (`zerotickets worker`): `everyMinutes`
   * for all, `connections: {ID: minutes}` for the ones that differ (a busy helpdesk more often,
   * a quiet one less, to spare its rate limit).
   */
  sync: z
    .strictObject({
      everyMinutes: syncMinutes.default(15),
      connections: z.record(z.string().min(1), syncMinutes).default({}),
    })
    .default({ everyMinutes: 15, connections: {} }),
});

export interface FileConfig {
  metric: MetricSettings & { timezone: string };
  reasons: Reason[];
  slack: {
    channel: string | null;
    postAt: string;
    ownerNotes: boolean;
    ownerNotesMode: 'dm' | 'thread';
    dashboardUrl: string | null;
  };
  sync: { everyMinutes: number; connections: Record<string, number> };
  classification: ClassificationSettings;
}

export function parseEnv(env: Record<string, string | undefined>): EnvConfig {
  // An empty variable means unset, the way shells and compose files usually mean it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) throw new ConfigError(describe('environment', result.error));
  return result.data;
}

export function parseConfigFile(text: string, path: string): FileConfig {
  let raw: unknown;
  try {
    // logLevel 'error': a YAML warning (an unknown `!tag`) must not reach stderr as stray text.
    raw = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    throw new ConfigError(`config ${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = fileSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(describe(`config ${path}`, result.error));
  const { metric, reasons, slack, sync, classification } = result.data;
  return {
    metric,
    reasons: reasons.map(
      (r) => stripUndefined({ ...r, match: stripUndefined(r.match) as Reason['match'] }) as Reason,
    ),
    slack,
    sync,
    classification,
  };
}

function describe(where: string, error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
      return `unknown key ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')}`;
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `${key}: required`;
    return `${key}: ${issue.message}`;
  });
  return `${where}: ${lines.join('; ')}`;
}

function renamesAreValid(
  reasons: ReadonlyArray<{ id: string; renamedFrom?: string[] | undefined }>,
): boolean {
  const current = new Set(reasons.map((r) => r.id));
  const claimed = new Set<string>();
  for (const former of reasons.flatMap((r) => r.renamedFrom ?? [])) {
    if (current.has(former) || claimed.has(former)) return false;
    claimed.add(former);
  }
  return true;
}

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu');
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
