import type { Reason } from './reason.js';
import { keywordTokens, regexTokens } from './rule-tokens.js';
import type { FieldValue } from './ticket.js';

/** A reason with its matchers built once, so classifying a ticket compiles nothing. */
export interface CompiledReason {
  readonly id: string;
  /** Trimmed, lower-cased `match.tags`. */
  readonly tags: ReadonlySet<string>;
  /** `match.fields` in config order; values as trimmed, lower-cased strings. */
  readonly fields: ReadonlyArray<{ readonly fieldId: string; readonly values: ReadonlySet<string> }>;
  /** Distinct keywords in config order (duplicates that differ only in case or spacing dropped). */
  readonly keywords: ReadonlyArray<CompiledKeyword>;
  readonly regexes: ReadonlyArray<CompiledRegex>;
}

export interface CompiledKeyword {
  readonly keyword: string;
  readonly pattern: RegExp;
  /** Words every match holds (see `rule-tokens.ts`); absent when none can be told. */
  readonly tokens?: readonly string[];
}

export interface CompiledRegex {
  readonly source: string;
  readonly pattern: RegExp;
  /** Words every match holds (see `rule-tokens.ts`); absent when none can be told. */
  readonly tokens?: readonly string[];
}

/** The config's reasons, compiled, in config order (which breaks every tie). */
export interface Taxonomy {
  readonly reasons: readonly CompiledReason[];
  readonly ids: ReadonlySet<string>;
  /** Former id (`renamedFrom`) → current id. */
  readonly renames: ReadonlyMap<string, string>;
  /** A ticket tag `<tagPrefix><reason id>` carries that reason; '' turns this off. Lower-cased. */
  readonly tagPrefix: string;
  /**
   * Canonical text of everything in the reasons that can change a verdict or what counts: ids in
   * order, matchers, `countsTowardMetric`, `renamedFrom`. Titles and owners are left out, so
   * handing a reason to another engineer reclassifies nothing.
   */
  readonly fingerprint: string;
}

export interface TaxonomyOptions {
  /** Default `zt_reason_`. */
  tagPrefix?: string;
}

export const DEFAULT_TAG_PREFIX = 'zt_reason_';

/** A reason whose matchers cannot be built; names the reason and the offending pattern. */
export class TaxonomyError extends Error {
  override readonly name = 'TaxonomyError';
  constructor(
    message: string,
    readonly reasonId: string,
    readonly pattern: string | null,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

// A keyword edge may not touch a letter (with its combining marks), a digit or `_`, in any
// script: `\b` only knows ASCII word characters, so it would split "café" or "日本".
const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;

/**
 * Builds the matchers for every reason. Throws {@link TaxonomyError} for a regex that does not
 * compile with flags `iu` (Unicode mode is stricter than legacy mode: `\-` or a lone `{` is
 * an error), a blank keyword, or a duplicate reason id. The config layer calls it to validate.
 */
export function compileTaxonomy(reasons: readonly Reason[], options: TaxonomyOptions = {}): Taxonomy {
  const ids = new Set<string>();
  const compiled = reasons.map((reason) => {
    if (ids.has(reason.id)) {
      throw new TaxonomyError(`reason "${reason.id}" is defined twice`, reason.id, null);
    }
    ids.add(reason.id);
    return compileReason(reason);
  });
  const renames = new Map<string, string>();
  for (const reason of reasons) {
    for (const former of reason.renamedFrom ?? []) {
      if (ids.has(former) || renames.has(former)) {
        throw new TaxonomyError(
          `reason "${reason.id}": renamedFrom "${former}" is a current reason or claimed twice`,
          reason.id,
          null,
        );
      }
      renames.set(former, reason.id);
    }
  }
  return {
    reasons: compiled,
    ids,
    renames,
    tagPrefix: normalizeValue(options.tagPrefix ?? DEFAULT_TAG_PREFIX),
    fingerprint: taxonomyFingerprint(reasons),
  };
}

/** The current id for `reasonId` (itself, or the reason that renamed it), or null when unknown. */
export function resolveReasonId(taxonomy: Taxonomy, reasonId: string): string | null {
  if (taxonomy.ids.has(reasonId)) return reasonId;
  return taxonomy.renames.get(reasonId) ?? null;
}

function taxonomyFingerprint(reasons: readonly Reason[]): string {
  return JSON.stringify(
    reasons.map((r) => ({
      id: r.id,
      tags: r.match.tags ?? [],
      keywords: r.match.keywords ?? [],
      regex: r.match.regex ?? [],
      fields: Object.entries(r.match.fields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      counts: r.countsTowardMetric,
      renamedFrom: r.renamedFrom ?? [],
    })),
  );
}

function compileReason(reason: Reason): CompiledReason {
  const { tags = [], keywords = [], regex = [], fields = {} } = reason.match;
  const seen = new Set<string>();
  const compiledKeywords: CompiledKeyword[] = [];
  for (const keyword of keywords) {
    const key = keyword.normalize('NFC').trim().toLowerCase().split(/\s+/u).join(' ');
    if (key === '') {
      throw new TaxonomyError(`reason "${reason.id}": a keyword is blank`, reason.id, keyword);
    }
    if (seen.has(key)) continue;
    seen.add(key);
    compiledKeywords.push(withTokens({ keyword, pattern: keywordPattern(key) }, keywordTokens(key)));
  }
  return {
    id: reason.id,
    tags: new Set(tags.map(normalizeValue)),
    fields: Object.entries(fields).map(([fieldId, value]) => ({
      fieldId,
      values: new Set(fieldValues(value).map(normalizeValue)),
    })),
    keywords: compiledKeywords,
    regexes: regex.map((source) =>
      withTokens({ source, pattern: compileRegex(reason.id, source) }, regexTokens(source)),
    ),
  };
}

function compileRegex(reasonId: string, source: string): RegExp {
  try {
    return new RegExp(source, 'iu');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TaxonomyError(
      `reason "${reasonId}": invalid regex ${JSON.stringify(source)}: ${why}`,
      reasonId,
      source,
      { cause: error },
    );
  }
}

/**
 * The pattern for one keyword: case-insensitive, not preceded or followed by a letter, digit
 * or `_` (so "refund" matches neither "refundable" nor "refunds": list plural forms
 * explicitly), words of a phrase separated by any run of whitespace, every other character
 * literal ("2fa", "two-factor", "c++", "500"). Scripts written without spaces (Chinese,
 * Japanese, Thai) have no such edges inside a sentence: use `regex` for those.
 */
export function keywordPattern(keyword: string): RegExp {
  const words = keyword
    .normalize('NFC')
    .trim()
    .split(/\s+/u)
    .filter((w) => w !== '');
  const body = words.map(escapeRegExp).join(String.raw`\s+`);
  return new RegExp(`(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`, 'iu');
}

// exactOptionalPropertyTypes: leave `tokens` out rather than set it to undefined.
function withTokens<T extends object>(
  term: T,
  tokens: readonly string[] | undefined,
): T & { tokens?: readonly string[] } {
  return tokens === undefined ? term : { ...term, tokens };
}

// Only syntax characters: in Unicode mode escaping anything else (e.g. `\-`) is an error.
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/gu, String.raw`\$&`);
}

/** A field value as the strings it stands for: none for null, each element of a multi-select. */
export function fieldValues(value: FieldValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

/** Tags and field values compare trimmed and lower-cased. */
export function normalizeValue(value: string): string {
  return value.trim().toLowerCase();
}
