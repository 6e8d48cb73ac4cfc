import type { Classification } from './reason.js';
import { UNCLASSIFIED } from './reason.js';
import { foundAll, type TokenIndex, tokenIndex, tokensFound } from './rule-tokens.js';
import type { CompiledReason, Taxonomy } from './taxonomy.js';
import { fieldValues, normalizeValue, resolveReasonId } from './taxonomy.js';
import type { FieldValue } from './ticket.js';

export type { CompiledReason, Taxonomy } from './taxonomy.js';
export { compileTaxonomy, keywordPattern, resolveReasonId, TaxonomyError } from './taxonomy.js';

/** What classification looks at. `text` is everything to match: the caller joins subject and body. */
export interface ClassifyInput {
  tags: readonly string[];
  fields: Readonly<Record<string, FieldValue>>;
  text: string;
  manualReasonId: string | null;
  /** Who recorded the manual reason (kept in the verdict's detail). */
  manualAuthor?: string | null;
}

/**
 * A learned classifier, consulted only when no manual reason, tag, field or rule decided.
 * Predictions below `threshold`, with a non-finite confidence, or for a reason id the
 * taxonomy does not know are ignored.
 */
export interface ReasonModel {
  predict(text: string): { reasonId: string; confidence: number } | null;
  threshold: number;
}

const NONE: Classification = { reasonId: UNCLASSIFIED, confidence: 0, classifiedBy: 'none', detail: '' };

/**
 * The ticket's reason; the first match wins:
 * 1. `manual`: a manual correction naming a reason in the taxonomy, or one it was renamed from
 *    (an unknown id is ignored here; the caller reports it) — confidence 1, detail
 *    `manual:<author>` (`manual` when the author is unknown);
 * 2. `tag`: a ticket tag `<tagPrefix><reason id>` (an agent's correction from the helpdesk; a
 *    former id counts), else a reason whose `match.tags` holds one of the ticket's tags
 *    (case-insensitive) — confidence 1, detail `tag:<tag>`;
 * 3. `field`: a reason whose `match.fields[id]` holds the ticket's value of field `id`, compared
 *    as trimmed lower-cased strings; a multi-select matches on any element — confidence 1,
 *    detail `field:<id>=<value>`;
 * 4. `rule`: keywords and regexes, scored (see {@link ruleConfidence}) — detail
 *    `rule:keyword:<keyword>` or `rule:regex:<pattern>`, the reason's first matching term in
 *    config order (keywords before regexes);
 * 5. `model`: the model's prediction, when it passes its threshold — detail `model:<confidence>`
 *    (two decimals);
 * 6. `none`: reason `unclassified`, confidence 0.
 * Between reasons at one step, config order decides (for rules: only among equal scores).
 */
export function classifyTicket(
  input: ClassifyInput,
  taxonomy: Taxonomy,
  model?: ReasonModel,
): Classification {
  const manual = byManual(input.manualReasonId, input.manualAuthor ?? null, taxonomy);
  if (manual !== null) return manual;
  const tags = input.tags.map(normalizeValue);
  return (
    byPrefixedTag(tags, taxonomy) ??
    byTag(tags, taxonomy) ??
    byField(input.fields, taxonomy) ??
    byRules(input.text, taxonomy) ??
    byModel(input.text, taxonomy, model) ??
    NONE
  );
}

function byManual(reasonId: string | null, author: string | null, taxonomy: Taxonomy): Classification | null {
  const current = reasonId === null ? null : resolveReasonId(taxonomy, reasonId);
  if (current === null) return null;
  const detail = author === null || author === '' ? 'manual' : `manual:${author}`;
  return { reasonId: current, confidence: 1, classifiedBy: 'manual', detail };
}

/**
 * The first ticket tag `<prefix><id>` whose id is a reason (or a former one), in tag order.
 * `tags` are normalized (see {@link normalizeValue}).
 */
function byPrefixedTag(tags: readonly string[], taxonomy: Taxonomy): Classification | null {
  const prefix = taxonomy.tagPrefix;
  if (prefix === '') return null;
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const reasonId = resolveReasonId(taxonomy, tag.slice(prefix.length));
    if (reasonId !== null) return { reasonId, confidence: 1, classifiedBy: 'tag', detail: `tag:${tag}` };
  }
  return null;
}

/** `tags` are normalized (see {@link normalizeValue}). */
function byTag(tags: readonly string[], taxonomy: Taxonomy): Classification | null {
  for (const reason of taxonomy.reasons) {
    if (reason.tags.size === 0) continue;
    const tag = tags.find((t) => reason.tags.has(t));
    if (tag !== undefined)
      return { reasonId: reason.id, confidence: 1, classifiedBy: 'tag', detail: `tag:${tag}` };
  }
  return null;
}

function byField(fields: Readonly<Record<string, FieldValue>>, taxonomy: Taxonomy): Classification | null {
  for (const reason of taxonomy.reasons) {
    for (const { fieldId, values } of reason.fields) {
      if (!Object.hasOwn(fields, fieldId)) continue;
      const value = fieldValues(fields[fieldId]).find((v) => values.has(normalizeValue(v)));
      if (value !== undefined) {
        return {
          reasonId: reason.id,
          confidence: 1,
          classifiedBy: 'field',
          detail: `field:${fieldId}=${value.trim()}`,
        };
      }
    }
  }
  return null;
}

interface RuleScore {
  reason: CompiledReason;
  score: number;
  /** `rule:<first matching term>`. */
  detail: string;
}

function byRules(text: string, taxonomy: Taxonomy): Classification | null {
  const rules = preparedRules(taxonomy);
  // NFC so a keyword typed with "é" matches a body that spells it "e" + combining accent.
  const normalized = text.normalize('NFC');
  const found = tokensFound(rules.index, normalized);
  let best: RuleScore | null = null;
  let runnerUp = 0;
  for (const { reason, terms } of rules.reasons) {
    const scored = scoreReason(reason, terms, normalized, found);
    if (scored === null) continue;
    // Strictly greater: on equal scores the earlier reason in config order keeps the lead.
    if (best === null || scored.score > best.score) {
      runnerUp = Math.max(runnerUp, best?.score ?? 0);
      best = scored;
    } else {
      runnerUp = Math.max(runnerUp, scored.score);
    }
  }
  if (best === null) return null;
  return {
    reasonId: best.reason.id,
    confidence: ruleConfidence(best.score, runnerUp),
    classifiedBy: 'rule',
    detail: best.detail,
  };
}

/**
 * Distinct keywords found plus regexes that match; null when nothing matched. A term whose
 * tokens are not all `found` cannot match (see `rule-tokens.ts`): its regex is not run.
 */
function scoreReason(
  reason: CompiledReason,
  terms: readonly RuleTerm[],
  text: string,
  found: Uint8Array,
): RuleScore | null {
  let score = 0;
  let detail: string | null = null;
  for (const { pattern, needs, termDetail } of terms) {
    if (needs !== null && !foundAll(found, needs)) continue;
    if (!pattern.test(text)) continue;
    score += 1;
    detail ??= termDetail;
  }
  return detail === null ? null : { reason, score, detail };
}

/** A keyword or regex of a reason, ready to score. */
interface RuleTerm {
  pattern: RegExp;
  /** Ids of the tokens every match holds; null when none are known (the regex always runs). */
  needs: readonly number[] | null;
  /** `rule:keyword:<keyword>` or `rule:regex:<pattern>`. */
  termDetail: string;
}

interface PreparedRules {
  index: TokenIndex;
  /** Per reason in config order, its keywords then its regexes, in config order. */
  reasons: ReadonlyArray<{ reason: CompiledReason; terms: readonly RuleTerm[] }>;
}

/** Built on a taxonomy's first ticket and kept with it: a compiled taxonomy never changes. */
const rulesByTaxonomy = new WeakMap<Taxonomy, PreparedRules>();

function preparedRules(taxonomy: Taxonomy): PreparedRules {
  const known = rulesByTaxonomy.get(taxonomy);
  if (known !== undefined) return known;
  const index = tokenIndex(
    taxonomy.reasons.flatMap((r) => [...r.keywords, ...r.regexes].flatMap((t) => t.tokens ?? [])),
  );
  const needs = (tokens: readonly string[] | undefined) =>
    tokens === undefined ? null : tokens.map((t) => index.ids.get(t) as number);
  const reasons = taxonomy.reasons.map((reason) => ({
    reason,
    terms: [
      ...reason.keywords.map((k) => ({
        pattern: k.pattern,
        needs: needs(k.tokens),
        termDetail: `rule:keyword:${k.keyword}`,
      })),
      ...reason.regexes.map((r) => ({
        pattern: r.pattern,
        needs: needs(r.tokens),
        termDetail: `rule:regex:${r.source}`,
      })),
    ],
  }));
  const prepared = { index, reasons };
  rulesByTaxonomy.set(taxonomy, prepared);
  return prepared;
}

/**
 * Confidence of a rule verdict with winning score `score` (≥ 1) and runner-up score
 * `runnerUp` (0 ≤ runnerUp ≤ score): `(2·score − runnerUp) / (2·score + 2)`, i.e.
 * `score / (score + 1)` scaled by `1 − runnerUp / (2·score)`. So a lone match is 0.5, three
 * uncontested matches 0.75, and a tie halves the uncontested value. Always in (0, 1);
 * rises with the score and with the margin over the runner-up.
 */
export function ruleConfidence(score: number, runnerUp: number): number {
  return (2 * score - runnerUp) / (2 * score + 2);
}

function byModel(text: string, taxonomy: Taxonomy, model: ReasonModel | undefined): Classification | null {
  const prediction = model?.predict(text);
  if (!model || !prediction) return null;
  const { confidence } = prediction;
  // A model trained before a rename still names the old id; it means the same reason.
  const reasonId = resolveReasonId(taxonomy, prediction.reasonId);
  if (reasonId === null || !Number.isFinite(confidence) || confidence < model.threshold) return null;
  const capped = Math.min(1, confidence);
  return { reasonId, confidence: capped, classifiedBy: 'model', detail: `model:${capped.toFixed(2)}` };
}
