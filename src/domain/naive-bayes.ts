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
  const documentFrequency = new Map<string, number>();
  const frequency = new Map<string, number>();
  for (const features of perDocument) {
    for (const f of new Set(features)) documentFrequency.set(f, (documentFrequency.get(f) ?? 0) + 1);
    for (const f of features) frequency.set(f, (frequency.get(f) ?? 0) + 1);
  }
  const minDocuments = options.minDocuments ?? 2;
  const vocabulary = new Set(
    [...frequency.entries()]
      .filter(([f]) => (documentFrequency.get(f) ?? 0) >= minDocuments)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, options.maxFeatures ?? 20_000)
      .map(([f]) => f),
  );
  const counts: Record<string, number[]> = {};
  const totals = labels.map(() => 0);
  examples.forEach((example, i) => {
    const li = labelIndex.get(example.label) as number;
    documents[li] = (documents[li] ?? 0) + 1;
    for (const f of perDocument[i] ?? []) {
      if (!vocabulary.has(f)) continue;
      const row = counts[f] ?? labels.map(() => 0);
      row[li] = (row[li] ?? 0) + 1;
      counts[f] = row;
      totals[li] = (totals[li] ?? 0) + 1;
    }
  });
  return { kind: 'multinomial-naive-bayes', version: 1, alpha, labels, documents, totals, counts };
}

/**
 * The most likely label and its confidence, or null when the text has no feature the model
 * knows (a prior alone is not a prediction).
 */
export function predictNaiveBayes(model: NaiveBayesModel, text: string): Prediction | null {
  const features = textFeatures(text).filter((f) => Object.hasOwn(model.counts, f));
  if (features.length === 0) return null;
  const vocabularySize = Object.keys(model.counts).length;
  const allDocuments = model.documents.reduce((a, b) => a + b, 0);
  const damping = 1 / Math.sqrt(features.length);
  const scores = model.labels.map((_, li) => {
    const denominator = Math.log((model.totals[li] ?? 0) + model.alpha * vocabularySize);
    let likelihood = 0;
    for (const f of features)
      likelihood += Math.log((model.counts[f]?.[li] ?? 0) + model.alpha) - denominator;
    const prior = Math.log(((model.documents[li] ?? 0) + 1) / (allDocuments + model.labels.length));
    return prior + likelihood * damping;
  });
  const best = scores.reduce((bi, s, i) => (s > (scores[bi] ?? -Infinity) ? i : bi), 0);
  const top = scores[best] as number;
  const sum = scores.reduce((acc, s) => acc + Math.exp(s - top), 0);
  return { label: model.labels[best] as string, confidence: 1 / sum };
}
