import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Makes sure the local Redis and Postgres the integration tests use are reachable. When one
 * is down it starts the machine's own binaries if they are installed (idempotently), and
 * otherwise stops the run with one line that says how to get them.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO =
  'start them with `docker compose up -d redis postgres` (or install redis-server and PostgreSQL)';

export async function ensureServices(): Promise<void> {
  const redis = new URL(TEST_REDIS_URL);
  const pg = new URL(TEST_DATABASE_URL);
  const redisPort = Number(redis.port || 6379);
  const pgPort = Number(pg.port || 5432);
  if (!(await reachable(redis.hostname, redisPort))) {
    startRedis(redisPort);
    await waitFor('Redis', redis.hostname, redisPort);
  }
  if (!(await reachable(pg.hostname, pgPort))) {
    startPostgres();
    await waitFor('Postgres', pg.hostname, pgPort);
  }
}

function startRedis(port: number): void {
  if (!onPath('redis-server')) fail(`Redis is not reachable on port ${port}; ${HOW_TO}`);
  spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

function startPostgres(): void {
  // Debian/Ubuntu clusters (what CI machines have); anything else is the developer's own setup.
  if (onPath('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'ignore',
      });
    }
    return;
  }
  fail(`Postgres is not reachable; ${HOW_TO}`);
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(name: string, host: string, port: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await reachable(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`${name} did not come up on ${host}:${port}; ${HOW_TO}`);
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

function fail(line: string): never {
  throw new Error(line);
}
