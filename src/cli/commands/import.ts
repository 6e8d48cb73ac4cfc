import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { importFile } from '../../import/import-file.js';
import { type CliIo, printJson, withApp } from '../context.js';

/** `zerotickets import customers|milestones FILE` (Contract). */
export function registerImport(program: Command, io: CliIo): void {
  const imports = program
    .command('import')
    .description('import customers or milestones (CSV or JSONL, by extension)');
  for (const kind of ['customers', 'milestones'] as const) {
    imports
      .command(`${kind} <file>`)
      .description(
        kind === 'customers'
          ? 'CSV header id,name,emails,domains (emails/domains ;-separated), or JSONL {"id","name","emails":[],"domains":[]}'
          : 'CSV header customer_id,milestone,occurred_at (ISO 8601), or JSONL with the same keys',
      )
      .option('--json', 'print the result as one JSON document')
      .action(async (file: string, opts: { json?: boolean }) => {
        const result = await withApp(io, (app) => importFile(app.store, kind, file, io.cwd));
        if (opts.json) printJson(io, result);
        else {
          for (const r of result.rejected) io.stderr(`${file}:${r.line}: ${r.message}\n`);
          io.stdout(
            `${kind}: ${result.accepted} accepted (${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged), ${result.rejected.length} rejected\n`,
          );
        }
        if (result.rejected.length > 0) {
          throw new ConfigError(
            `${result.rejected.length} ${kind} rows rejected; the good rows were imported`,
          );
        }
      });
  }
}
