import { Command, CommanderError, Option } from 'commander';
import { connectZendesk } from './cli/connect.js';
import { type CliIo, printJson, withApp } from './cli/context.js';
import { runDemo } from './cli/demo.js';
import { metricStatus, renderStatus } from './cli/status.js';
import { ConfigError, errorMessage, PermanentError } from './errors.js';
import { importFile } from './import/import-file.js';
import { runPipeline } from './jobs/inline-runner.js';

/**
 * The one entry point. Results go to stdout (a digest, one `--json` document); logs and
 * progress go to stderr. Exit 0 on success, non-zero with a one-line reason on failure.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(`zerotickets: ${oneLine(error)}\n`);
    return 1;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('zerotickets')
    .description(
      'Companies with zero support tickets: the share of customers who finish onboarding without a ticket.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  const connect = program
    .command('connect')
    .description('connect a helpdesk once: verify credentials, store them encrypted');
  connect
    .command('zendesk')
    .description(
      'connect a Zendesk account (the token user must be an admin: the incremental export is admin-only)',
    )
    .requiredOption('--subdomain <name>', 'the NAME of https://NAME.zendesk.com')
    .option('--email <email>', 'the agent the API token acts as')
    .option('--token <token>', 'API token (or set ZENDESK_API_TOKEN)')
    .option('--oauth', 'the token is an OAuth access token (sent as Bearer)')
    .option(
      '--base-url <url>',
      'replace https://NAME.zendesk.com with scheme://host[:port] (proxy, simulator)',
    )
    .option('--webhook-secret <secret>', "the Zendesk webhook's signing secret")
    .option('--id <id>', 'connection id (default: zendesk-NAME)')
    .option('--since <date>', 'where the first sync starts (ISO 8601; default: 365 days ago)')
    .action(async (opts) => {
      await withApp(io, async (app) => {
        const { id, verified } = await connectZendesk(app, opts);
        const limit = verified.rateLimit ? `; rate limit ${verified.rateLimit}` : '';
        io.stdout(`connected ${id}: ${verified.account} as ${verified.actingAs}${limit}\n`);
      });
    });
  connect
    .command('intercom')
    .description('connect an Intercom workspace')
    .option('--token <token>', 'access token (or set INTERCOM_ACCESS_TOKEN)')
    .addOption(
      new Option('--region <region>', 'data hosting region').choices(['us', 'eu', 'au']).default('us'),
    )
    .option('--base-url <url>', 'replace https://api.intercom.io with scheme://host[:port]')
    .option('--webhook-secret <secret>', "the Intercom app's client secret")
    .action(() => {
      throw new PermanentError('the Intercom connector is not available in this version yet; Zendesk is');
    });

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

  program
    .command('run')
    .description('sync every connection, link, classify, recompute, export, and post (or print) the digest')
    .requiredOption('--once', 'run the pipeline once and exit (the long-running mode is `worker`)')
    .option('--dry-run', 'print the digest instead of posting it')
    .option('--json', 'print the run summary as one JSON document instead of the digest')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      await withApp(io, async (app) => {
        const deps = await app.pipeline();
        const summary = await runPipeline(opts.json ? { ...deps, out: () => {} } : deps, {
          dryRun: opts.dryRun === true,
        });
        if (opts.json) printJson(io, summary);
        failIfSyncsFailed(summary.failedSyncs);
      });
    });

  program
    .command('sync')
    .description('sync now (without REDIS_URL: inline, like run --once for those connections)')
    .option('--connection <id>', 'only this connection')
    .option('--wait', 'return when the pipeline is done (always true inline)')
    .action(async (opts: { connection?: string }) => {
      await withApp(io, async (app) => {
        if (app.env.REDIS_URL)
          throw new PermanentError('queued syncs (REDIS_URL) are not available in this version yet');
        const deps = await app.pipeline();
        const summary = await runPipeline(deps, {
          dryRun: true,
          digest: false,
          ...(opts.connection ? { connectionIds: [opts.connection] } : {}),
        });
        io.stdout(
          `synced ${summary.syncs.map((s) => `${s.connectionId}: ${s.tickets} tickets`).join(', ') || 'nothing'}\n`,
        );
        failIfSyncsFailed(summary.failedSyncs);
      });
    });

  program
    .command('status')
    .description('the metric, pending counts and last sync per connection')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const status = await withApp(io, (app) => metricStatus(app));
      if (opts.json) printJson(io, status);
      else io.stdout(`${renderStatus(status)}\n`);
    });

  program
    .command('demo')
    .description('simulated Zendesk + sample company, then the whole pipeline once (SQLite, no Redis)')
    .action(() => runDemo(io));

  for (const name of ['worker', 'serve']) {
    program
      .command(name)
      .description(
        name === 'worker'
          ? 'the long-running BullMQ worker (needs REDIS_URL)'
          : 'dashboard, webhooks and ingest API',
      )
      .allowUnknownOption()
      .action(() => {
        throw new PermanentError(
          `\`${name}\` is not available in this version yet; use \`run --once\` on a schedule`,
        );
      });
  }
  return program;
}

function failIfSyncsFailed(failed: Array<{ connectionId: string; error: string }>): void {
  if (failed.length > 0) {
    throw new Error(`sync failed for ${failed.map((f) => `${f.connectionId} (${f.error})`).join(', ')}`);
  }
}

function oneLine(error: unknown): string {
  return errorMessage(error).split('\n')[0] ?? 'unknown error';
}

function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
