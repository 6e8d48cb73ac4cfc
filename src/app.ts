import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connector } from '../connectors/connector.js';
import { createConnector } from '../connectors/index.js';
import type { RequestBudget } from '../connectors/shared/budget.js';
import { openRequestBudget } from '../connectors/shared/open-budget.js';
import { type EnvConfig, type FileConfig, parseConfigFile, parseEnv } from './config.js';
import { compileTaxonomy } from './domain/classify.js';
import { ConfigError } from './errors.js';
import type { PipelineDeps } from './jobs/inline-runner.js';
import type { RedisSettings } from './jobs/queues.js';
import { createLogger, type Logger } from './logger.js';
import { createSlackPoster } from './outputs/slack.js';
import { createSecretBox, resolveSecretKey, type SecretBox } from './secrets.js';
import { openStore, openWarehouse } from './store/open-store.js';
import type { ConnectionRecord, Store, Warehouse } from './store/store.js';

/** The composition root: a validated config turned into dependencies, once. */
export interface App {
  env: EnvConfig;
  /** The config file, when one was found (some commands need none). */
  settings: FileConfig | null;
  settingsPath: string;
  store: Store;
  logger: Logger;
  now: () => number;
  /** BullMQ's Redis (`REDIS_URL`, `ZT_QUEUE_PREFIX`); null in the embedded, in-process mode. */
  redis: RedisSettings | null;
  warehouse(): Promise<Warehouse>;
  secrets(): SecretBox;
  openConnector(connection: ConnectionRecord): Connector;
  /** Requests per helpdesk account, shared by every connector (in Redis when `REDIS_URL` is set). */
  budget: RequestBudget;
  /** Everything the pipeline handlers need; fails when there is no config file. */
  pipeline(): Promise<PipelineDeps>;
  progress(line: string): void;
  close(): Promise<void>;
}

export interface AppOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Results (digests, `--json` documents). */
  out: (text: string) => void;
  /** Human progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  logger?: Logger;
  /** Where JSON logs go when no logger is given (default: stderr). */
  logDestination?: { write(line: string): void };
  now?: () => number;
  fetch?: typeof fetch;
  /** Overrides ZT_CONFIG (the demo uses its bundled example). */
  settingsPath?: string;
}

export async function createApp(options: AppOptions): Promise<App> {
  const env = parseEnv(options.env);
  const logger = options.logger ?? createLogger(env.LOG_LEVEL, options.logDestination);
  const settingsPath = resolve(options.cwd, options.settingsPath ?? env.ZT_CONFIG);
  const settings = existsSync(settingsPath)
    ? parseConfigFile(readFileSync(settingsPath, 'utf8'), settingsPath)
    : null;
  const taxonomy = settings
    ? compileTaxonomy(settings.reasons, { tagPrefix: settings.classification.tagPrefix })
    : null;
  const databaseUrl = absolutizeFileUrl(env.DATABASE_URL, options.cwd);
  const store = await openStore(databaseUrl);
  const now = options.now ?? Date.now;
  const progress = options.progress ?? (() => {});
  let warehouse: Warehouse | null = null;
  let box: SecretBox | null = null;

  const secrets = (): SecretBox => {
    if (!box) {
      const keyFile = sqliteFileOf(databaseUrl);
      const resolved = resolveSecretKey(env.ZT_SECRET_KEY, keyFile === null ? null : `${keyFile}.key`);
      if (resolved.created) {
        logger.warn(
          { keyFile: `${keyFile}.key` },
          'ZT_SECRET_KEY is not set: created a key file beside the database (mode 0600); keep it with the database',
        );
      }
      box = createSecretBox(resolved.key);
    }
    return box;
  };

  const budget = openRequestBudget({ redisUrl: env.REDIS_URL, prefix: env.ZT_QUEUE_PREFIX, now });
  const openConnector = (connection: ConnectionRecord): Connector =>
    createConnector(connection.kind, {
      connectionId: connection.id,
      settings: connection.settings,
      credentials: secrets().open(connection.secret),
      logger: logger.child({ connectionId: connection.id }),
      budget: budget.budget,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });

  const app: App = {
    env,
    settings,
    settingsPath,
    store,
    logger,
    now,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.ZT_QUEUE_PREFIX } : null,
    progress,
    secrets,
    openConnector,
    budget: budget.budget,
    async warehouse() {
      if (!warehouse) {
        warehouse = await openWarehouse(
          absolutizeFileUrl(env.WAREHOUSE_URL ?? env.DATABASE_URL, options.cwd),
          store,
        );
      }
      return warehouse;
    },
    async pipeline() {
      if (!settings || !taxonomy) {
        throw new ConfigError(
          `config file ${settingsPath} not found: copy zerotickets.config.example.yaml there, or set ZT_CONFIG`,
        );
      }
      return {
        store,
        warehouse: await app.warehouse(),
        logger,
        now,
        progress,
        openConnector,
        taxonomy,
        metric: settings.metric,
        reasons: settings.reasons,
        classification: settings.classification,
        timezone: settings.metric.timezone,
        slack: createSlackPoster({
          webhookUrl: env.SLACK_WEBHOOK_URL,
          botToken: env.SLACK_BOT_TOKEN,
          channel: env.SLACK_CHANNEL ?? settings.slack.channel,
          logger: logger.child({ output: 'slack' }),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
        dashboardUrl: settings.slack.dashboardUrl,
        ownerNotes: { enabled: settings.slack.ownerNotes, mode: settings.slack.ownerNotesMode },
        out: options.out,
      };
    },
    async close() {
      if (warehouse) await warehouse.close();
      await budget.close();
      await store.close();
    },
  };
  return app;
}

/** `file:./x.db` is relative to the working directory; make it absolute once, here. */
function absolutizeFileUrl(url: string, cwd: string): string {
  const file = sqliteFileOf(url);
  if (file === null || file === ':memory:') return url;
  return `file:${resolve(cwd, file)}`;
}

/** The SQLite file of a database URL, or null for Postgres. */
export function sqliteFileOf(url: string): string | null {
  if (/^postgres(ql)?:\/\//.test(url)) return null;
  if (url.startsWith('file://')) return new URL(url).pathname;
  if (url.startsWith('file:')) return url.slice('file:'.length);
  return url;
}
