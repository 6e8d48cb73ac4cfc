import { classifyTicket, type ReasonModel } from './classify.js';
import {
  type NaiveBayesModel,
  predictNaiveBayes,
  type TrainOptions,
  trainNaiveBayes,
} from './naive-bayes.js';
import type { Taxonomy } from './taxonomy.js';
import { stableHash } from './text-features.js';

/**
 * Quality of a classifier on held-out tickets. The split is by a hash of the ticket key, so it
 * is the same in every run and on every machine, and a ticket never moves between training and
 * evaluation as new tickets arrive.
 */

/** True when the ticket with this key (`zendesk/1161`) belongs to the held-out share. */
export function isHeldOut(key: string, heldOutShare = 0.2): boolean {
  return stableHash(key) % 1000 < Math.round(heldOutShare * 1000);
}

export interface Outcome {
  /** The true reason. */
  actual: string;
  /** The predicted reason, or null when the classifier declined (below threshold, no answer). */
  predicted: string | null;
}

export interface ReasonQuality {
  reasonId: string;
  /** Held-out tickets of this reason. */
  support: number;
  /** Of the tickets predicted as this reason, the share that are (null when none predicted). */
  precision: number | null;
  /** Of this reason's tickets, the share predicted as it (null when it has none). */
  recall: number | null;
}

export interface QualityReport {
  tickets: number;
  /** Correct predictions / all tickets (a declined ticket counts as wrong). */
  accuracy: number | null;
  /** Tickets that got any prediction / all tickets. */
  coverage: number | null;
  /** Correct / predicted: how often an answer that was given is right. */
  answeredAccuracy: number | null;
  perReason: ReasonQuality[];
}

export function qualityReport(outcomes: readonly Outcome[]): QualityReport {
  const reasons = new Set<string>();
  const support = new Map<string, number>();
  const predicted = new Map<string, number>();
  const correct = new Map<string, number>();
  let right = 0;
  let answered = 0;
  for (const { actual, predicted: p } of outcomes) {
    reasons.add(actual);
    support.set(actual, (support.get(actual) ?? 0) + 1);
    if (p === null) continue;
    answered += 1;
    reasons.add(p);
    predicted.set(p, (predicted.get(p) ?? 0) + 1);
    if (p === actual) {
      right += 1;
      correct.set(p, (correct.get(p) ?? 0) + 1);
    }
  }
  const share = (a: number, b: number): number | null => (b === 0 ? null : a / b);
  return {
    tickets: outcomes.length,
    accuracy: share(right, outcomes.length),
    coverage: share(answered, outcomes.length),
    answeredAccuracy: share(right, answered),
    perReason: [...reasons].sort().map((reasonId) => ({
      reasonId,
      support: support.get(reasonId) ?? 0,
      precision: share(correct.get(reasonId) ?? 0, predicted.get(reasonId) ?? 0),
      recall: share(correct.get(reasonId) ?? 0, support.get(reasonId) ?? 0),
    })),
  };
}

export interface EvalExample {
  /** `source/ticketId`: decides the split. */
  key: string;
  text: string;
  /** The true reason (a manual correction, a tag, a field). */
  label: string;
}

export interface ModelEvaluation {
  trained: number;
  heldOut: number;
  /** The model where it clears `threshold` (below it, the ticket counts as declined). */
  model: QualityReport;
  /** The model's best guess on every held-out ticket, threshold ignored. */
  modelUnthresholded: QualityReport;
  /** Keywords and regexes alone on the same tickets (tags and fields left out: they made the labels). */
  rules: QualityReport;
}

/**
 * Trains on the examples outside the held-out share and measures the model, and the rules
 * alone, on the held-out ones. Null when training is impossible (fewer than two reasons among
 * the training examples, or nothing held out).
 */
export function evaluateModel(
  examples: readonly EvalExample[],
  taxonomy: Taxonomy,
  options: { threshold: number; heldOutShare?: number; train?: TrainOptions },
): ModelEvaluation | null {
  const heldOut = examples.filter((e) => isHeldOut(e.key, options.heldOutShare));
  const training = examples.filter((e) => !isHeldOut(e.key, options.heldOutShare));
  if (heldOut.length === 0 || new Set(training.map((e) => e.label)).size < 2) return null;
  const model = trainNaiveBayes(training, options.train);
  const predictions = heldOut.map((e) => ({ example: e, prediction: predictNaiveBayes(model, e.text) }));
  return {
    trained: training.length,
    heldOut: heldOut.length,
    model: qualityReport(
      predictions.map(({ example, prediction }) => ({
        actual: example.label,
        predicted:
          prediction !== null && prediction.confidence >= options.threshold ? prediction.label : null,
      })),
    ),
    modelUnthresholded: qualityReport(
      predictions.map(({ example, prediction }) => ({
        actual: example.label,
        predicted: prediction?.label ?? null,
      })),
    ),
    rules: qualityReport(heldOut.map((e) => ({ actual: e.label, predicted: ruleVerdict(e.text, taxonomy) }))),
  };
}

function ruleVerdict(text: string, taxonomy: Taxonomy): string | null {
  const verdict = classifyTicket({ tags: [], fields: {}, text, manualReasonId: null }, taxonomy);
  return verdict.classifiedBy === 'rule' ? verdict.reasonId : null;
}

/** A trained naive Bayes model as the classifier's {@link ReasonModel}. */
export function asReasonModel(model: NaiveBayesModel, threshold: number): ReasonModel {
  return {
    threshold,
    predict(text) {
      const prediction = predictNaiveBayes(model, text);
      return prediction === null ? null : { reasonId: prediction.label, confidence: prediction.confidence };
    },
  };
}
