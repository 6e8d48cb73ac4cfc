import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type LabelledText,
  type NaiveBayesModel,
  naiveBayesModelSchema,
  type Prediction,
  predictNaiveBayes,
  type TrainOptions,
  trainNaiveBayes,
} from '../../src/domain/naive-bayes.js';
import { textFeatures } from '../../src/domain/text-features.js';
import { FUZZ } from '../fuzz/fuzz-settings.js';

const corpus = [
  { text: 'refund my invoice please', label: 'billing' },
  { text: 'invoice shows the wrong amount', label: 'billing' },
  { text: 'charged twice, need a refund', label: 'billing' },
  { text: 'cannot log in, password reset fails', label: 'login' },
  { text: 'password reset link expired', label: 'login' },
  { text: 'locked out after password change', label: 'login' },
];

describe('trainNaiveBayes / predictNaiveBayes', () => {
  const model = trainNaiveBayes(corpus);

  it.each([
    ['a refund for the invoice', 'billing'],
    ['my password reset does not work', 'login'],
  ])('%s → %s', (text, label) => {
    expect(predictNaiveBayes(model, text)?.label).toBe(label);
  });

  it('gives no prediction for text with no known feature', () => {
    expect(predictNaiveBayes(model, 'the weather is lovely')).toBeNull();
  });

  it('is more confident with more evidence, and always within (0, 1]', () => {
    const weak = predictNaiveBayes(model, 'refund')?.confidence ?? 0;
    const strong = predictNaiveBayes(model, 'refund invoice charged twice refund')?.confidence ?? 0;
    expect(weak).toBeGreaterThan(0.5);
    expect(strong).toBeGreaterThan(weak);
    expect(strong).toBeLessThanOrEqual(1);
  });

  it('drops features seen in fewer than minDocuments documents', () => {
    expect(Object.keys(model.counts)).toContain('password');
    expect(Object.keys(model.counts)).not.toContain('locked');
    expect(Object.keys(trainNaiveBayes(corpus, { minDocuments: 1 }).counts)).toContain('locked');
  });

  it('caps the vocabulary at maxFeatures, keeping the most frequent (ties alphabetically)', () => {
    const capped = trainNaiveBayes(corpus, { minDocuments: 1, maxFeatures: 2 });
    // password: 3 times; invoice, refund, reset, "password reset": twice each.
    expect(Object.keys(capped.counts).sort()).toEqual(['invoice', 'password']);
  });

  it('survives a JSON round trip (the store keeps it as text) and is deterministic', () => {
    const again = naiveBayesModelSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(predictNaiveBayes(again, 'refund please')).toEqual(predictNaiveBayes(model, 'refund please'));
    expect(trainNaiveBayes([...corpus].reverse())).toEqual(model);
  });

  it('needs two labels', () => {
    expect(() => trainNaiveBayes(corpus.filter((c) => c.label === 'billing'))).toThrow(/two labels/);
  });
});

/** Training as first written (a Set per document, counts straight into the object). */
function referenceTraining(examples: readonly LabelledText[], options: TrainOptions): NaiveBayesModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const perDocument = examples.map((e) => textFeatures(e.text));
  const documentFrequency = new Map<string, number>();
  const frequency = new Map<string, number>();
  for (const features of perDocument) {
    for (const f of new Set(features)) documentFrequency.set(f, (documentFrequency.get(f) ?? 0) + 1);
    for (const f of features) frequency.set(f, (frequency.get(f) ?? 0) + 1);
  }
  const vocabulary = new Set(
    [...frequency.entries()]
      .filter(([f]) => (documentFrequency.get(f) ?? 0) >= (options.minDocuments ?? 2))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, options.maxFeatures ?? 20_000)
      .map(([f]) => f),
  );
  const counts: Record<string, number[]> = {};
  const documents = labels.map(() => 0);
  const totals = labels.map(() => 0);
  examples.forEach((example, i) => {
    const li = labels.indexOf(example.label);
    documents[li] = (documents[li] ?? 0) + 1;
    for (const f of perDocument[i] ?? []) {
      if (!vocabulary.has(f)) continue;
      const row = counts[f] ?? labels.map(() => 0);
      row[li] = (row[li] ?? 0) + 1;
      counts[f] = row;
      totals[li] = (totals[li] ?? 0) + 1;
    }
  });
  const alpha = options.alpha ?? 1;
  return { kind: 'multinomial-naive-bayes', version: 1, alpha, labels, documents, totals, counts };
}

/** The formula read straight off the model, nothing prepared: prediction must give the same bits. */
function referencePrediction(model: NaiveBayesModel, text: string): Prediction | null {
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

describe('predictNaiveBayes agrees exactly with the formula', () => {
  const word = fc.constantFrom(
    ...'refund invoice charged twice password reset link locked out the a please 12345 café 500 42'.split(
      ' ',
    ),
  );
  const text = fc.array(word, { maxLength: 12 }).map((w) => w.join(' '));
  const labels = fc.constantFrom('billing', 'login', 'import');

  it('trains the same model, down to the order of its JSON, as the first implementation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text, label: labels }), { minLength: 2, maxLength: 12 }),
        fc.record({
          minDocuments: fc.integer({ min: 1, max: 3 }),
          maxFeatures: fc.integer({ min: 1, max: 30 }),
        }),
        (examples, options) => {
          fc.pre(new Set(examples.map((e) => e.label)).size >= 2);
          expect(JSON.stringify(trainNaiveBayes(examples, options))).toBe(
            JSON.stringify(referenceTraining(examples, options)),
          );
        },
      ),
      FUZZ,
    );
  });

  it('for any model trained on any texts, and for it read back from JSON', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text, label: labels }), { minLength: 2, maxLength: 12 }),
        fc.array(text, { maxLength: 5 }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (examples, queries, alpha) => {
          fc.pre(new Set(examples.map((e) => e.label)).size >= 2);
          const model = trainNaiveBayes(examples, { alpha, minDocuments: 1 });
          const stored = naiveBayesModelSchema.parse(JSON.parse(JSON.stringify(model)));
          for (const query of queries) {
            expect(predictNaiveBayes(model, query)).toStrictEqual(referencePrediction(model, query));
            expect(predictNaiveBayes(stored, query)).toStrictEqual(referencePrediction(stored, query));
          }
        },
      ),
      FUZZ,
    );
  });
});
