import type { Customer, Milestone } from '../domain/customer.js';
import { afterBulkChange } from '../store/statistics.js';
import type { Store, UpsertCounts } from '../store/store.js';
import { type FileFormat, type RecordError, readRecords } from './read-records.js';
import { customerRow, issueText, milestoneRow } from './rows.js';

export type ImportKind = 'customers' | 'milestones';

export interface ImportResult extends UpsertCounts {
  kind: ImportKind;
  accepted: number;
  rejected: RecordError[];
}

const COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: ['id', 'name', 'emails', 'domains'],
  milestones: ['customer_id', 'milestone', 'occurred_at'],
};

/**
 * Validates every record and writes the good ones in one store call (one transaction), so a
 * bad row never leaves a half-written import, and re-importing the same file changes nothing.
 */
export async function importRecords(
  store: Store,
  kind: ImportKind,
  text: string,
  format: FileFormat,
): Promise<ImportResult> {
  const { records, errors } = readRecords(text, format, COLUMNS[kind]);
  const rejected = [...errors];
  if (kind === 'customers') {
    const good: Customer[] = [];
    const firstLine = new Map<string, number>();
    for (const { line, value } of records) {
      const parsed = customerRow.safeParse(value);
      if (!parsed.success) {
        rejected.push({ line, message: issueText(parsed.error) });
        continue;
      }
      const seen = firstLine.get(parsed.data.id);
      if (seen !== undefined) {
        rejected.push({ line, message: `id "${parsed.data.id}" already given on line ${seen}` });
        continue;
      }
      firstLine.set(parsed.data.id, line);
      good.push(parsed.data);
    }
    const counts = good.length > 0 ? await store.upsertCustomers(good) : zero();
    await afterBulkChange(store, good.length, ['customers', 'customer_identities']);
    return finish(kind, good.length, counts, rejected);
  }
  const good: Milestone[] = [];
  for (const { line, value } of records) {
    const parsed = milestoneRow.safeParse(value);
    if (parsed.success) good.push(parsed.data);
    else rejected.push({ line, message: issueText(parsed.error) });
  }
  const counts = good.length > 0 ? await store.upsertMilestones(good) : zero();
  await afterBulkChange(store, good.length, ['milestones']);
  return finish(kind, good.length, counts, rejected);
}

function finish(
  kind: ImportKind,
  accepted: number,
  counts: UpsertCounts,
  rejected: RecordError[],
): ImportResult {
  return { kind, accepted, ...counts, rejected: rejected.sort((a, b) => a.line - b.line) };
}

function zero(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}
