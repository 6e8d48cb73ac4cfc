import type { PacingResult } from './pacing.js';
import type { ScenarioResult } from './scenario.js';

const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));
const mb = (n: number) => (n >= 1024 ? `${(n / 1024).toFixed(1)} GB` : `${n} MB`);
const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);

/** The figures as a plain-text table: one column per scenario, one row per figure. */
export function renderTable(
  scenarios: ScenarioResult[],
  pacing: PacingResult | null,
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string },
): string {
  const header = ['', ...scenarios.map((s) => `${s.store} ${k(s.size.tickets)}`)];
  const rows: string[][] = [
    header,
    ['customers / milestones', ...scenarios.map((s) => `${k(s.size.customers)} / ${k(s.size.milestones)}`)],
    ['tickets/s (target ≥ 20,000)', ...scenarios.map((s) => String(s.ticketsPerSecond))],
    ['  sync (normalize + store)', ...scenarios.map((s) => ms(s.syncMs - s.generationMs))],
    ['  link + classify', ...scenarios.map((s) => ms(s.linkClassifyMs))],
    ['full recompute', ...scenarios.map((s) => ms(s.fullRecomputeMs))],
    ['export to warehouse', ...scenarios.map((s) => ms(s.exportMs))],
    [
      'incremental (target < 1 s)',
      ...scenarios.map((s) => `${ms(s.incrementalMs)} (${s.incrementalTickets} tickets)`),
    ],
    ['  customers recomputed', ...scenarios.map((s) => String(s.incrementalCustomers))],
    ['  then export', ...scenarios.map((s) => ms(s.incrementalExportMs))],
    ['import customers + milestones', ...scenarios.map((s) => ms(s.importMs))],
    ['peak RSS (target < 400 MB)', ...scenarios.map((s) => `${s.peakRssMb} MB`)],
    ['CPU time, whole scenario', ...scenarios.map((s) => `${s.cpuSeconds.toFixed(1)} s`)],
    [
      'written to disk (SQLite file)',
      ...scenarios.map((s) => (s.writtenMb === null ? '—' : mb(s.writtenMb))),
    ],
  ];
  const widths = header.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  const out = [
    `zerotickets bench — ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}`,
    '',
    ...rows.map(line),
  ];
  if (pacing) {
    out.push(
      '',
      `pacing: ${pacing.requests} export pages at a limit of ${pacing.limitPerMinute}/min (time ×${pacing.timeScale}):`,
      `  ${pacing.achievedPerMinute.toFixed(0)}/min used in full minutes = ${pacing.efficiencyPct.toFixed(1)}% of the limit (target ≥ 95%)`,
      `  ${pacing.unplanned429s} unplanned 429s (target 0); budget waits ${pacing.budgetWaits}`,
      `  wall ${ms(pacing.wallMs)} (virtual) vs ${ms(pacing.minimumMs)} minimum at the limit (fixed minute windows allow a burst at each start)`,
    );
    if (pacing.note) out.push(`  ${pacing.note}`);
  } else {
    out.push('', 'pacing: skipped');
  }
  return out.join('\n');
}
