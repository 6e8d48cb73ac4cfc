import { z } from 'zod';
import { textFeatures } from './text-features.js';

/**
 * A multinomial naive Bayes text classifier over words and adjacent word pairs
 * (see `text-features.ts`), with add-α (Laplace) smoothing. It is small, trains in one pass,
 * needs no tuning and explains itself; the model is plain JSON, kept in the store.
 *
 * Confidence: naive Bayes multiplies one likelihood per feature as if features were
 * independent, and word pairs overlap their words, so raw posteriors are extreme (0.9999…
 * on a one-line ticket). The log-likelihood is therefore divided by `sqrt(features)` before the
 * softmax: a long ticket still speaks louder than a short one, but a handful of shared words
 * no longer reads as certainty, which is what makes a threshold mean something.
 */
export interface LabelledText {
  text: string;
  label: string;
}

export const naiveBayesModelSchema = z.object({
  kind: z.literal('multinomial-naive-bayes'),
  version: z.literal(1),
  alpha: z.number().positive(),
  labels: z.array(z.string()),
  /** Training documents per label. */
  documents: z.array(z.number().int().min(0)),
  /** Feature occurrences per label (all features, vocabulary-capped). */
  totals: z.array(z.number().min(0)),
  /** Feature → occurrences per label (same order as `labels`). */
  counts: z.record(z.string(), z.array(z.number().min(0))),
});

export type NaiveBayesModel = z.infer<typeof naiveBayesModelSchema>;

export interface TrainOptions {
  /** Smoothing; default 1 (Laplace). */
  alpha?: number;
  /** A feature seen in fewer documents is dropped (noise, names, ids). Default 2. */
  minDocuments?: number;
  /** Keep at most this many features, the most frequent. Default 20 000. */
  maxFeatures?: number;
}

export interface Prediction {
  label: string;
  /** 0..1, see the module comment. */
  confidence: number;
}

/** Trains on `examples`; throws when fewer than two distinct labels are given. */
export function trainNaiveBayes(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): NaiveBayesModel {
  const alpha = options.alpha ?? 1;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error('naive Bayes needs examples of at least two labels');
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const documents = labels.map(() => 0);
  const perDocument = examples.map((e) => textFeatures(e.text));
  // Occurrences and documents per feature in one pass: a document counts once per feature, told
  // by the last document that counted it.
  const stats = new Map<string, { occurrences: number; documents: number; lastDocument: number }>();
  perDocument.forEach((features, d) => {
    for (const f of features) {
      const seen = stats.get(f);
      if (seen === undefined) {
        stats.set(f, { occurrences: 1, documents: 1, lastDocument: d });
        continue;
      }
      seen.occurrences += 1;
      if (seen.lastDocument !== d) {
        seen.documents += 1;
        seen.lastDocument = d;
      }
    }
  });
  const minDocuments = options.minDocuments ?? 2;
  const vocabulary = new Set(
    [...stats.entries()]
      .filter(([, s]) => s.documents >= minDocuments)
      .sort(([a, x], [b, y]) => y.occurrences - x.occurrences || (a < b ? -1 : 1))
      .slice(0, options.maxFeatures ?? 20_000)
      .map(([f]) => f),
  );
  // Rows in a Map, then the object: its keys go in the same first-seen order either way.
  const rows = new Map<string, number[]>();
  const totals = labels.map(() => 0);
  examples.forEach((example, i) => {
    const li = labelIndex.get(example.label) as number;
    documents[li] = (documents[li] ?? 0) + 1;
    for (const f of perDocument[i] ?? []) {
      if (!vocabulary.has(f)) continue;
      let row = rows.get(f);
      if (row === undefined) {
        row = labels.map(() => 0);
        rows.set(f, row);
      }
      row[li] = (row[li] ?? 0) + 1;
      totals[li] = (totals[li] ?? 0) + 1;
    }
  });
  const counts: Record<string, number[]> = {};
  for (const [f, row] of rows) counts[f] = row;
  return { kind: 'multinomial-naive-bayes', version: 1, alpha, labels, documents, totals, counts };
}

/**
 * The most likely label and its confidence, or null when the text has no feature the model
 * knows (a prior alone is not a prediction).
 */
export function predictNaiveBayes(model: NaiveBayesModel, text: string): Prediction | null {
  const { weights, priors } = prepared(model);
  const rows: Float64Array[] = [];
  for (const f of textFeatures(text)) {
    const row = weights.get(f);
    if (row !== undefined) rows.push(row);
  }
  if (rows.length === 0) return null;
  const damping = 1 / Math.sqrt(rows.length);
  // Summed feature by feature, in text order, per label: the same additions as ever, so the
  // same floating-point result.
  const scores = priors.map((prior, li) => {
    let likelihood = 0;
    for (const row of rows) likelihood += row[li] as number;
    return prior + likelihood * damping;
  });
  const best = scores.reduce((bi, s, i) => (s > (scores[bi] ?? -Infinity) ? i : bi), 0);
  const top = scores[best] as number;
  const sum = scores.reduce((acc, s) => acc + Math.exp(s - top), 0);
  return { label: model.labels[best] as string, confidence: 1 / sum };
}

/** What prediction needs of a model that does not depend on the text, worked out once. */
interface PreparedModel {
  /** Known feature → per label `log(count + α) − log(total + α·vocabulary)`. */
  weights: ReadonlyMap<string, Float64Array>;
  /** Per label, the log prior. */
  priors: readonly number[];
}

/** Models are plain data never changed once trained or read, so their preparation is kept. */
const preparedModels = new WeakMap<NaiveBayesModel, PreparedModel>();

function prepared(model: NaiveBayesModel): PreparedModel {
  const known = preparedModels.get(model);
  if (known !== undefined) return known;
  const features = Object.keys(model.counts);
  const vocabularySize = features.length;
  const allDocuments = model.documents.reduce((a, b) => a + b, 0);
  const denominators = model.labels.map((_, li) =>
    Math.log((model.totals[li] ?? 0) + model.alpha * vocabularySize),
  );
  const weights = new Map<string, Float64Array>();
  for (const f of features) {
    const counts = model.counts[f];
    weights.set(
      f,
      Float64Array.from(
        denominators,
        (denominator, li) => Math.log((counts?.[li] ?? 0) + model.alpha) - denominator,
      ),
    );
  }
  const priors = model.labels.map((_, li) =>
    Math.log(((model.documents[li] ?? 0) + 1) / (allDocuments + model.labels.length)),
  );
  const result = { weights, priors };
  preparedModels.set(model, result);
  return result;
}
