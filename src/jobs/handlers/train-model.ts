import { z } from 'zod';
import type { ClassificationSettings } from '../../config.js';
import type { ReasonModel } from '../../domain/classify.js';
import { type NaiveBayesModel, naiveBayesModelSchema, trainNaiveBayes } from '../../domain/naive-bayes.js';
import { asReasonModel } from '../../domain/reason-eval.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';

export type ModelSettings = ClassificationSettings['model'];

export const DEFAULT_MODEL_SETTINGS: ModelSettings = {
  enabled: true,
  threshold: 0.7,
  minLabels: 30,
  retrainAfter: 20,
};

/** The state key the trained model lives under (plain JSON; see `naive-bayes.ts`). */
export const MODEL_STATE_KEY = 'reason_model';
/**
 * Tickets classified since the model was trained, as `{ trainedAt, tickets }`: the bound that
 * spares most runs the count of every label (a scan of all tickets; see {@link trainModelIfNeeded}).
 */
export const CLASSIFIED_SINCE_KEY = 'reason_model_classified_since';
/** Newest labelled tickets a model learns from: bounds memory and training time on big accounts. */
const MAX_TRAINING_TICKETS = 20_000;

const storedModelSchema = z.object({
  trainedAt: z.number(),
  /** Labelled tickets per reason when it was trained: the yardstick for "enough new labels". */
  labels: z.record(z.string(), z.number()),
  model: naiveBayesModelSchema,
});
export type StoredModel = z.infer<typeof storedModelSchema>;

export interface TrainModelDeps {
  store: Store;
  logger: Logger;
  now?: () => number;
}

export interface TrainOutcome {
  trained: boolean;
  /** Why it did or did not train, for logs and the CLI. */
  why: string;
  /** Labels counted now; when the count could be skipped, those the model was trained on. */
  labels: number;
}

/** The persisted model, or null when none was trained yet (or it cannot be read: then retrain). */
export async function readStoredModel(store: Store, logger?: Logger): Promise<StoredModel | null> {
  const text = await store.getState(MODEL_STATE_KEY);
  if (text === null) return null;
  const parsed = storedModelSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    logger?.warn(
      { issues: parsed.error.issues.slice(0, 3) },
      'stored reason model unreadable: it will be retrained',
    );
    return null;
  }
  return parsed.data;
}

/** The model the classifier consults, or undefined when it is disabled or not trained yet. */
export async function loadReasonModel(
  store: Store,
  settings: ModelSettings,
  logger?: Logger,
): Promise<ReasonModel | undefined> {
  if (!settings.enabled) return undefined;
  const stored = await readStoredModel(store, logger);
  return stored ? asReasonModel(stored.model, settings.threshold) : undefined;
}

/**
 * Trains the model on the tickets whose reason came from a manual correction, a tag or a field,
 * when there is none yet (and at least `minLabels` labels), when the labels per reason moved by
 * {@link retrainThreshold} or more since the last training, or when `force` is set.
 */
export async function trainModelIfNeeded(
  deps: TrainModelDeps,
  settings: ModelSettings,
  input: { force?: boolean } = {},
): Promise<TrainOutcome> {
  if (settings.enabled && !input.force) {
    const skip = await withinBound(deps, settings);
    if (skip !== null) return skip;
  }
  const counts = await deps.store.countLabels();
  const labels = Object.values(counts).reduce((a, b) => a + b, 0);
  if (!settings.enabled && !input.force) return { trained: false, why: 'the model is disabled', labels };
  const reasons = Object.values(counts).filter((n) => n > 0).length;
  if (reasons < 2) return { trained: false, why: 'labels of at least two reasons are needed', labels };
  const stored = await readStoredModel(deps.store, deps.logger);
  if (!input.force) {
    if (stored === null && labels < settings.minLabels) {
      return {
        trained: false,
        why: `${labels} labels, ${settings.minLabels} needed for a first model`,
        labels,
      };
    }
    const moved = stored === null ? labels : labelChanges(stored.labels, counts);
    const needed = stored === null ? 0 : retrainThreshold(settings, stored.labels);
    if (moved < needed) {
      // Counted exactly now: the bound restarts from here (half the moves, rounded up).
      if (stored !== null) await setClassifiedSince(deps.store, stored.trainedAt, Math.ceil(moved / 2));
      return { trained: false, why: `${moved} new labels, ${needed} trigger a retrain`, labels };
    }
  }
  const examples = await deps.store.listLabelledTickets(MAX_TRAINING_TICKETS);
  const model: NaiveBayesModel = trainNaiveBayes(examples.map((e) => ({ text: e.text, label: e.reasonId })));
  const trainedAt = (deps.now ?? Date.now)();
  await deps.store.setState(MODEL_STATE_KEY, JSON.stringify({ trainedAt, labels: counts, model }));
  await setClassifiedSince(deps.store, trainedAt, 0);
  deps.logger.info(
    { labels: examples.length, reasons: model.labels.length, features: Object.keys(model.counts).length },
    'reason model trained',
  );
  return { trained: true, why: `trained on ${examples.length} labelled tickets`, labels };
}

/**
 * Labels live only in saved classifications, and a ticket gets one only by going through
 * classification (a sync, a correction or a new taxonomy marks it pending first). One ticket
 * reclassified moves the per-reason counts by 2 at most (one off a reason, one onto another),
 * so while twice the tickets classified since training stays under the retrain threshold no
 * count can reach it: the outcome is known without counting. Null when it has to be counted.
 */
async function withinBound(deps: TrainModelDeps, settings: ModelSettings): Promise<TrainOutcome | null> {
  const stored = await readStoredModel(deps.store, deps.logger);
  if (stored === null) return null;
  const since = await classifiedSince(deps.store, stored.trainedAt);
  const needed = retrainThreshold(settings, stored.labels);
  if (since === null || 2 * since >= needed) return null;
  const trainedOn = Object.values(stored.labels).reduce((a, b) => a + b, 0);
  return {
    trained: false,
    why: `at most ${2 * since} labels changed since training, ${needed} trigger a retrain`,
    labels: trainedOn,
  };
}

/**
 * Adds `tickets` to the tickets classified since the stored model was trained. While that is
 * not known (no model, or one trained before this was kept), it stays unknown until counted.
 */
export async function noteClassified(store: Store, tickets: number): Promise<void> {
  if (tickets === 0) return;
  const stored = await readStoredModel(store);
  if (stored === null) return;
  const since = await classifiedSince(store, stored.trainedAt);
  if (since !== null) await setClassifiedSince(store, stored.trainedAt, since + tickets);
}

async function setClassifiedSince(store: Store, trainedAt: number, tickets: number): Promise<void> {
  await store.setState(CLASSIFIED_SINCE_KEY, JSON.stringify({ trainedAt, tickets }));
}

/** Tickets classified since the model trained at `trainedAt`, or null when not known. */
async function classifiedSince(store: Store, trainedAt: number): Promise<number | null> {
  const text = await store.getState(CLASSIFIED_SINCE_KEY);
  const parsed = z
    .object({ trainedAt: z.number(), tickets: z.number().int().nonnegative() })
    .safeParse(text === null ? null : safeJson(text));
  return parsed.success && parsed.data.trainedAt === trainedAt ? parsed.data.tickets : null;
}

/**
 * New labels that trigger a retrain: `retrainAfter`, or a tenth of what the model learned from
 * when that is more. On a busy account tags add labels every run, and each retrain sends every
 * unclassified and model-made ticket through classification again; the tenth keeps that rare.
 */
export function retrainThreshold(settings: ModelSettings, trainedOn: Record<string, number>): number {
  const trained = Object.values(trainedOn).reduce((a, b) => a + b, 0);
  return Math.max(settings.retrainAfter, Math.ceil(trained / 10));
}

/** Labels added, removed or moved between reasons, as the sum of per-reason differences. */
export function labelChanges(before: Record<string, number>, after: Record<string, number>): number {
  const reasons = new Set([...Object.keys(before), ...Object.keys(after)]);
  let changes = 0;
  for (const reason of reasons) changes += Math.abs((after[reason] ?? 0) - (before[reason] ?? 0));
  return changes;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
