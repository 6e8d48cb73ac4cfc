import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/package-root.js';
import { type PacingResult, runPacing } from './pacing.js';
import { renderTable } from './report.js';
import type { ScenarioResult } from './scenario.js';

/**
 * `npm run bench`: the local pipeline on a synthetic company (SQLite and Postgres, two history
 * sizes each), then the pacing run against the rate-limited simulator. Prints a table and
 * writes bench/results/latest.json. Figures are reported against the targets, never asserted.
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    tickets: { type: 'string', default: '1000000' },
    milestones: { type: 'string', default: '500000' },
    seed: { type: 'string', default: '1161' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    /** The smaller history is the full one divided by this (incremental at two sizes). */
    'small-divisor': { type: 'string', default: '10' },
    /** Postgres runs on the full size divided by this: 10 for a quicker run (see README). */
    'postgres-divisor': { type: 'string', default: '1' },
    incremental: { type: 'string', default: '1000' },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'pacing-limit': { type: 'string', default: '600' },
    'pacing-pages': { type: 'string', default: '1500' },
    /** Virtual minutes per real minute for the pacing run. */
    'pacing-time-scale': { type: 'string', default: '4' },
    'skip-pacing': { type: 'boolean', default: false },
  },
});

const root = packageRoot();
const full = {
  customers: Number(values.customers),
  tickets: Number(values.tickets),
  milestones: Number(values.milestones),
};
const scaled = (divisor: number) => ({
  customers: Math.max(1, Math.round(full.customers / divisor)),
  tickets: Math.max(1, Math.round(full.tickets / divisor)),
  milestones: Math.round(full.milestones / divisor),
});
const smallDivisor = Number(values['small-divisor']);
const pgDivisor = Number(values['postgres-divisor']);
const stores = (values.stores ?? '').split(',').filter((s) => s === 'sqlite' || s === 'postgres');

const plan: Array<{ store: 'sqlite' | 'postgres'; size: typeof full }> = [];
for (const store of stores) {
  const divisor = store === 'postgres' ? pgDivisor : 1;
  plan.push({ store, size: scaled(divisor * smallDivisor) }, { store, size: scaled(divisor) });
}

const started = Date.now();
const scenarios: ScenarioResult[] = [];
const failures: Array<{ store: string; tickets: number; error: string }> = [];
for (const { store, size } of plan) {
  process.stderr.write(`bench: ${store}, ${size.customers} customers, ${size.tickets} tickets…\n`);
  try {
    scenarios.push(await runChild(store, size));
  } catch (error) {
    // A store that cannot be reached (no local Postgres) is reported, and the rest still runs.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    failures.push({ store, tickets: size.tickets, error: message });
    process.stderr.write(`bench: ${store} skipped: ${message}\n`);
  }
}
let pacing: PacingResult | null = null;
if (!values['skip-pacing']) {
  process.stderr.write('bench: pacing against the rate-limited simulator…\n');
  pacing = await runPacing({
    limitPerMinute: Number(values['pacing-limit']),
    pages: Number(values['pacing-pages']),
    timeScale: Number(values['pacing-time-scale']),
  });
}

const primary =
  scenarios.find((s) => s.store === 'sqlite' && s.size.tickets === full.tickets) ?? scenarios.at(-1);
const result = {
  generatedAt: new Date().toISOString(),
  wallMs: Date.now() - started,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
  seed: Number(values.seed),
  store: primary?.store ?? null,
  size: primary?.size ?? null,
  ticketsPerSecond: primary?.ticketsPerSecond ?? null,
  fullRecomputeMs: primary?.fullRecomputeMs ?? null,
  incrementalMs: primary?.incrementalMs ?? null,
  peakRssMb: primary?.peakRssMb ?? null,
  pacingEfficiencyPct: pacing?.efficiencyPct ?? null,
  targets: {
    ticketsPerSecond: '>= 20000',
    incrementalMs: '< 1000, growing with the change, not the history',
    pacingEfficiencyPct: '>= 95 with 0 unplanned 429s',
    peakRssMb: '< 400 at 1M tickets',
  },
  scenarios,
  failures,
  pacing,
};

const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(renderTable(scenarios, pacing, result.machine));
for (const f of failures) console.log(`not measured: ${f.store} at ${f.tickets} tickets (${f.error})`);
console.log(`\nwritten: bench/results/latest.json (${Math.round(result.wallMs / 1000)} s in all)`);

function runChild(store: 'sqlite' | 'postgres', size: typeof full): Promise<ScenarioResult> {
  const args = [
    join(root, 'dist', 'bench', 'scenario-main.js'),
    `--store=${store}`,
    `--customers=${size.customers}`,
    `--tickets=${size.tickets}`,
    `--milestones=${size.milestones}`,
    `--seed=${values.seed}`,
    `--incremental=${values.incremental}`,
    `--postgres-url=${values['postgres-url']}`,
  ];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const why =
        stderr
          .trim()
          .split('\n')
          .filter((line) => !line.startsWith('  '))
          .at(-1) ?? error?.message;
      if (error) reject(new Error(`bench scenario ${store} failed: ${why}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ScenarioResult);
    });
    child.stderr?.pipe(process.stderr);
  });
}
