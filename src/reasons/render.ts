import type { ModelEvaluation, QualityReport } from '../domain/reason-eval.js';
import type { ReasonSuggestion } from '../domain/suggest-reasons.js';
import { describeTaxonomyChange } from '../domain/taxonomy-change.js';
import type { ClassifiedTicketRow } from '../store/store.js';
import type { ReasonReport } from './reason-report.js';

/** Plain-text tables for the `reasons` commands (stdout; `--json` prints the objects instead). */

export function renderReasonReport(report: ReasonReport): string {
  const header = ['reason', 'owner', 'last 7d', 'prior 7d', 'lost zero', 'most at milestone'];
  const rows = report.reasons.map((r) => [
    r.countsTowardMetric ? r.reasonId : `${r.reasonId} (not counted)`,
    r.unowned ? '⚠ UNOWNED' : (r.owner ?? '—'),
    String(r.thisWeek),
    String(r.lastWeek),
    String(r.lostZero),
    r.topPhase ? `${r.topPhase.phase ?? '(before any milestone)'} (${r.topPhase.tickets})` : '—',
  ]);
  const lines = [table(header, rows)];
  const unowned = report.reasons.filter((r) => r.unowned).map((r) => r.reasonId);
  if (unowned.length > 0)
    lines.push('', `Reasons without an owner (nobody hears of them): ${unowned.join(', ')}`);
  if (report.orphanedCorrections.length > 0) {
    lines.push('', 'Manual corrections naming a reason the config no longer has (kept, not applied):');
    for (const c of report.orphanedCorrections) lines.push(`  ${c.ticket} → ${c.reasonId} (by ${c.author})`);
  }
  if (report.lastTaxonomyChange) lines.push('', ...describeTaxonomyChange(report.lastTaxonomyChange));
  lines.push(
    '',
    report.model
      ? `Model: trained ${new Date(report.model.trainedAt).toISOString()} on ${report.model.labels} labels (${report.model.reasons.length} reasons)`
      : 'Model: not trained yet (it learns from manual corrections, tags and fields)',
  );
  return lines.join('\n');
}

export function renderEvaluation(evaluation: ModelEvaluation, threshold: number): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const summary = (name: string, q: QualityReport) =>
    `${name.padEnd(24)} accuracy ${pct(q.accuracy).padStart(6)}   answered ${pct(q.coverage).padStart(6)}   right when answering ${pct(q.answeredAccuracy).padStart(6)}`;
  const lines = [
    `Held-out split by ticket key: trained on ${evaluation.trained}, evaluated on ${evaluation.heldOut} labelled tickets.`,
    summary(`model (≥ ${threshold})`, evaluation.model),
    summary('model (any confidence)', evaluation.modelUnthresholded),
    summary('keyword/regex rules', evaluation.rules),
    '',
  ];
  const rows = evaluation.model.perReason.map((r) => [
    r.reasonId,
    String(r.support),
    pct(r.precision),
    pct(r.recall),
  ]);
  lines.push(table(['reason', 'held out', 'precision', 'recall'], rows));
  return lines.join('\n');
}

export function renderSuggestions(
  suggestions: ReasonSuggestion[],
  unclassified: number,
  days: number,
): string {
  if (suggestions.length === 0) {
    return `No group of similar unclassified tickets among ${unclassified} from the last ${days} days.`;
  }
  const lines = [`Candidate reasons among ${unclassified} unclassified tickets from the last ${days} days:`];
  for (const s of suggestions) {
    lines.push('', `- id: ${s.id}   (${s.tickets} tickets)`, `  keywords: [${s.terms.join(', ')}]`);
    for (const subject of s.exampleSubjects) lines.push(`  e.g. "${subject}"`);
  }
  return lines.join('\n');
}

export function renderTickets(rows: ClassifiedTicketRow[]): string {
  if (rows.length === 0) return 'No tickets.';
  return table(
    ['ticket', 'created', 'customer', 'milestone', 'why', 'subject'],
    rows.map((t) => [
      `${t.source}/${t.ticketId}`,
      new Date(t.createdAt).toISOString().slice(0, 10),
      t.customerId ?? '—',
      t.milestonePhase ?? '—',
      t.detail === '' ? t.classifiedBy : t.detail,
      shorten(t.subject.trim() || (t.text.trim().split('\n')[0] ?? ''), 60),
    ]),
  );
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
