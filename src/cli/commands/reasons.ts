import type { Command } from 'commander';
import type { App } from '../../app.js';
import { compileTaxonomy } from '../../domain/classify.js';
import { evaluateModel } from '../../domain/reason-eval.js';
import { suggestReasons } from '../../domain/suggest-reasons.js';
import { ticketKey } from '../../domain/ticket.js';
import { ConfigError } from '../../errors.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { enqueueJob } from '../../jobs/enqueue.js';
import { exportWarehouse } from '../../jobs/handlers/export-warehouse.js';
import { linkAndClassify } from '../../jobs/handlers/link-classify.js';
import { recomputeStatuses } from '../../jobs/handlers/recompute.js';
import { trainModelIfNeeded } from '../../jobs/handlers/train-model.js';
import { closeQueues, openQueues } from '../../jobs/queues.js';
import { correctTicketReason } from '../../reasons/correct-ticket.js';
import { reasonReport } from '../../reasons/reason-report.js';
import {
  renderEvaluation,
  renderReasonReport,
  renderSuggestions,
  renderTickets,
} from '../../reasons/render.js';
import { parseTicketRef } from '../../reasons/ticket-ref.js';
import { type CliIo, printJson, withApp } from '../context.js';

const DAY = 86_400_000;
/** Labelled tickets `reasons eval` reads at most (newest first). */
const EVAL_TICKETS = 20_000;

/**
 * `zerotickets reasons …`: the reason loop. Owners read their reason (`reasons`,
 * `reasons tickets`), correct a ticket (`reasons set`), and see what the model and the rules
 * miss (`reasons eval`, `reasons suggest`).
 */
export function registerReasons(program: Command, io: CliIo): void {
  const reasons = program
    .command('reasons')
    .description('the reason loop: owners and trends, corrections, the model, candidate new reasons');

  reasons
    .command('list', { isDefault: true })
    .description('reasons and owners: tickets this week vs last, lost zero-ticket customers, milestone')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await withApp(io, async (app) => {
        const report = await reasonReport(app.store, settingsOf(app).reasons, app.now());
        if (opts.json) printJson(io, report);
        else io.stdout(`${renderReasonReport(report)}\n`);
      });
    });

  reasons
    .command('set <ticket> <reason>')
    .description("correct a ticket's reason (e.g. zendesk/1161 billing); it wins over every rule, for good")
    .option('--author <name>', 'who corrected it (kept as manual:<name>)', 'cli')
    .option('--no-apply', 'only record it; the next run applies it')
    .action(async (ref: string, reason: string, opts: { author: string; apply: boolean }) => {
      await withApp(io, async (app) => correct(io, app, ref, reason, opts));
    });

  reasons
    .command('unset <ticket>')
    .description("remove a ticket's manual reason: the rules decide again")
    .option('--no-apply', 'only record it; the next run applies it')
    .action(async (ref: string, opts: { apply: boolean }) => {
      await withApp(io, async (app) => correct(io, app, ref, null, { author: 'cli', apply: opts.apply }));
    });

  reasons
    .command('tickets <reason>')
    .description('the tickets of one reason, newest first, with why each got it')
    .option('--days <n>', 'created in the last N days', positiveInt('--days'), 28)
    .option('--limit <n>', 'at most N tickets', positiveInt('--limit'), 50)
    .option('--json', 'print one JSON document')
    .action(async (reason: string, opts: { days: number; limit: number; json?: boolean }) => {
      await withApp(io, async (app) => {
        const rows = await app.store.listClassifiedTickets({
          reasonId: reason,
          from: app.now() - opts.days * DAY,
          limit: opts.limit,
        });
        if (opts.json)
          printJson(
            io,
            rows.map(({ text: _text, ...row }) => row),
          );
        else io.stdout(`${renderTickets(rows)}\n`);
      });
    });

  reasons
    .command('eval')
    .description("the model's accuracy and per-reason precision/recall on held-out labelled tickets")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await withApp(io, async (app) => {
        const settings = settingsOf(app);
        const labelled = await app.store.listLabelledTickets(EVAL_TICKETS);
        const taxonomy = compileTaxonomy(settings.reasons, { tagPrefix: settings.classification.tagPrefix });
        const threshold = settings.classification.model.threshold;
        const evaluation = evaluateModel(
          labelled.map((t) => ({ key: ticketKey(t), text: t.text, label: t.reasonId })),
          taxonomy,
          { threshold },
        );
        if (evaluation === null) {
          throw new ConfigError(
            `not enough labelled tickets to evaluate (${labelled.length}): correct tickets with \`reasons set\`, or tag them in the helpdesk`,
          );
        }
        if (opts.json) printJson(io, { threshold, ...evaluation });
        else io.stdout(`${renderEvaluation(evaluation, threshold)}\n`);
      });
    });

  reasons
    .command('train')
    .description('retrain the model on manual, tag and field labels now')
    .action(async () => {
      await withApp(io, async (app) => {
        const settings = settingsOf(app);
        const outcome = await trainModelIfNeeded(app, settings.classification.model, { force: true });
        if (!outcome.trained) throw new ConfigError(`model not trained: ${outcome.why}`);
        io.stdout(`${outcome.why}; unclassified tickets are reclassified on the next run\n`);
        await app.store.markTicketsPendingClassifiedBy(['none', 'model']);
      });
    });

  reasons
    .command('suggest')
    .description('candidate new reasons: groups of recent unclassified tickets sharing distinctive words')
    .option('--days <n>', 'tickets created in the last N days', positiveInt('--days'), 28)
    .option('--limit <n>', 'at most N suggestions', positiveInt('--limit'), 5)
    .option('--min-tickets <n>', 'smallest group worth a reason', positiveInt('--min-tickets'), 3)
    .option('--json', 'print one JSON document')
    .action(async (opts: { days: number; limit: number; minTickets: number; json?: boolean }) => {
      await withApp(io, async (app) => {
        const from = app.now() - opts.days * DAY;
        const unclassified = await app.store.listClassifiedTickets({
          reasonId: 'unclassified',
          from,
          limit: 5000,
        });
        const recent = await app.store.listClassifiedTickets({ from, limit: 20_000 });
        const suggestions = suggestReasons(
          unclassified.map((t) => ({ key: ticketKey(t), subject: t.subject, text: t.text })),
          recent.filter((t) => t.reasonId !== 'unclassified').map((t) => t.text),
          { limit: opts.limit, minTickets: opts.minTickets },
        );
        if (opts.json) printJson(io, { days: opts.days, unclassified: unclassified.length, suggestions });
        else io.stdout(`${renderSuggestions(suggestions, unclassified.length, opts.days)}\n`);
      });
    });
}

async function correct(
  io: CliIo,
  app: App,
  ref: string,
  reason: string | null,
  opts: { author: string; apply: boolean },
): Promise<void> {
  const key = parseTicketRef(ref);
  if ('error' in key) throw new ConfigError(key.error);
  const outcome = await correctTicketReason(
    { store: app.store, reasons: settingsOf(app).reasons, now: app.now },
    { key, reasonId: reason, author: opts.author },
  );
  if (!outcome.ok) throw new ConfigError(outcome.error);
  const what = reason === null ? 'correction removed' : `reason ${outcome.reasonId} (manual:${opts.author})`;
  if (!opts.apply) {
    io.stdout(`${ref}: ${what}; applied on the next run\n`);
    return;
  }
  if (app.redis) {
    // The workers own the pipeline here: hand them link+classify (recompute and export follow).
    const queues = openQueues(app.redis, app.logger);
    try {
      await enqueueJob(queues, jobCatalog, 'link-classify', {});
    } finally {
      await closeQueues(queues);
    }
    io.stdout(`${ref}: ${what}; queued for the workers\n`);
    return;
  }
  // Apply now, so `zerotickets status` and the warehouse show the move at once.
  const deps = await app.pipeline();
  await linkAndClassify(deps);
  await recomputeStatuses(deps);
  await exportWarehouse(deps);
  io.stdout(`${ref}: ${what}; applied\n`);
}

function settingsOf(app: App): NonNullable<App['settings']> {
  if (!app.settings) {
    throw new ConfigError(
      `config file ${app.settingsPath} not found: copy zerotickets.config.example.yaml there, or set ZT_CONFIG`,
    );
  }
  return app.settings;
}

function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError(`${flag}: expected a positive whole number, got "${value}"`);
    return n;
  };
}
