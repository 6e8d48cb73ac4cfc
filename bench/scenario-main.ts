import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runScenario } from './scenario.js';

/**
 * One scenario in its own process, so its peak RSS is its own: `node dist/bench/scenario-main.js
 * --store sqlite|postgres --customers C --tickets T --milestones M --seed S --now MS
 * --incremental N [--postgres-url URL]`. Prints one JSON document (the ScenarioResult).
 */
const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    customers: { type: 'string' },
    tickets: { type: 'string' },
    milestones: { type: 'string' },
    seed: { type: 'string', default: '1161' },
    now: { type: 'string' },
    incremental: { type: 'string', default: '1000' },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});

const store = values.store === 'postgres' ? 'postgres' : 'sqlite';
const progressAt = { at: 0 };
const progress = (line: string) => {
  const now = Date.now();
  if (now - progressAt.at < 2000) return;
  progressAt.at = now;
  process.stderr.write(`  ${store}: ${line}\n`);
};

const company = {
  seed: Number(values.seed),
  now: Number(values.now ?? Date.parse('2026-11-30T00:00:00Z')),
  size: {
    customers: Number(values.customers),
    tickets: Number(values.tickets),
    milestones: Number(values.milestones),
  },
};

/** The scenario on a fresh SQLite file or Postgres schema, removed afterwards. */
async function main(): Promise<void> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'zt-bench-'));
    try {
      const result = await runScenario({
        store,
        databaseUrl: `file:${join(dir, 'bench.db')}`,
        company,
        incremental: Number(values.incremental),
        progress,
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const base = values['postgres-url'];
    const schema = `zt_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    try {
      const url = new URL(base);
      url.searchParams.set('schema', schema);
      const result = await runScenario({
        store,
        databaseUrl: url.toString(),
        company,
        incremental: Number(values.incremental),
        progress,
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench scenario (${store}): ${message.split('\n')[0]}\n`);
  process.exitCode = 1;
});
