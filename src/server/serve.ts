import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Connector } from '../../connectors/connector.js';
import type { App } from '../app.js';
import { metricStatus } from '../cli/status.js';
import { closeQueues, openQueues, openRedis, type Queues } from '../jobs/queues.js';
import type { ConnectionRecord } from '../store/store.js';
import { assertSafeBind, requireBearer, requireBearerOrBasic } from './auth.js';
import { inlineDispatcher, queuedDispatcher, type WorkDispatcher } from './dispatch.js';
import { BOARD_PATH, boardRoutes } from './routes/board.js';
import { DASHBOARD_OPEN_PATH, dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { reasonRoutes } from './routes/reasons.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface ServerParts {
  /** `ZT_API_TOKEN`, or null when unset (then only loopback may listen). */
  token: string | null;
  dispatcher: WorkDispatcher;
  queues: Queues | null;
  redis: Redis | null;
  /** Defaults to the app's connector registry; tests pass their own. */
  openConnector?: (connection: ConnectionRecord) => Connector;
}

/**
 * The routes of `serve` (Contract). Open: `GET /healthz`, the signed webhooks and the
 * dashboard's shell page (`GET /`, which answers 401 with a token prompt by itself). Every
 * other route needs `Authorization: Bearer <ZT_API_TOKEN>` when a token is set.
 */
export function createServer(app: App, parts: ServerParts): Hono {
  const server = new Hono();
  server.onError((err, c) => {
    app.logger.error({ err, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  server.route('/', healthRoutes({ store: app.store, redis: parts.redis }));
  server.route(
    '/',
    webhookRoutes({
      store: app.store,
      logger: app.logger,
      openConnector: parts.openConnector ?? app.openConnector,
      dispatcher: parts.dispatcher,
    }),
  );
  const guard = requireBearer(parts.token);
  const boardGuard = requireBearerOrBasic(parts.token, 'zerotickets queues');
  server.use('*', async (c, next) => {
    if (c.req.method === 'GET' && c.req.path === DASHBOARD_OPEN_PATH) return next();
    if (c.req.path === BOARD_PATH || c.req.path.startsWith(`${BOARD_PATH}/`)) return boardGuard(c, next);
    return guard(c, next);
  });
  server.get('/api/metric', async (c) => c.json(await metricStatus(app)));
  server.route('/', ingestRoutes({ store: app.store, dispatcher: parts.dispatcher }));
  server.route(
    '/',
    metricsRoutes({
      store: app.store,
      now: app.now,
      queues: parts.queues,
      redis: parts.redis,
      prefix: app.redis?.prefix ?? app.env.ZT_QUEUE_PREFIX,
      dispatcher: parts.dispatcher,
    }),
  );
  server.route(
    '/',
    reasonRoutes({
      store: app.store,
      reasons: app.settings?.reasons ?? [],
      now: app.now,
      onCorrected: () => parts.dispatcher.customersChanged(),
    }),
  );
  if (parts.queues) server.route(BOARD_PATH, boardRoutes(parts.queues));
  server.route('/', dashboardRoutes(app, { apiToken: parts.token ?? undefined }));
  return server;
}

export interface RunningServer {
  url: string;
  dispatcher: WorkDispatcher;
  /** Stops accepting requests, finishes accepted inline work, closes Redis connections. */
  close(): Promise<void>;
}

/** Starts `serve` on host:port (port 0: any free port). */
export async function startServe(
  app: App,
  options: { host: string; port: number; openConnector?: (connection: ConnectionRecord) => Connector },
): Promise<RunningServer> {
  const token = app.env.ZT_API_TOKEN ?? null;
  assertSafeBind(options.host, token);
  const queues = app.redis ? openQueues(app.redis, app.logger) : null;
  const redis = app.redis ? openRedis(app.redis, app.logger) : null;
  const pipeline = async () => {
    const deps = await app.pipeline();
    return options.openConnector ? { ...deps, openConnector: options.openConnector } : deps;
  };
  const dispatcher = queues ? queuedDispatcher(queues) : inlineDispatcher(pipeline, app.logger);
  const hono = createServer(app, {
    token,
    dispatcher,
    queues,
    redis,
    ...(options.openConnector ? { openConnector: options.openConnector } : {}),
  });
  const server = await listen(hono, options.host, options.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  app.logger.info({ host: address.address, port: address.port, mode: dispatcher.mode }, 'serve listening');
  return {
    url: `http://${host}:${address.port}`,
    dispatcher,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open for their whole timeout.
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await closed;
      await dispatcher.idle();
      if (queues) await closeQueues(queues);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function listen(hono: Hono, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: hono.fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
