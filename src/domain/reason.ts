import type { FieldValue } from './ticket.js';

/** One ticket reason from the config's taxonomy, owned by one engineer. */
export interface Reason {
  id: string;
  title: string;
  /** Slack user id (`U…`) or any handle; shown as `<@owner>`. */
  owner: string | null;
  match: {
    /** Helpdesk tags that carry this reason (case-insensitive). */
    tags?: string[];
    /** Words or phrases, matched case-insensitively on word boundaries. */
    keywords?: string[];
    /** Regular expressions (JavaScript syntax), matched case-insensitively. */
    regex?: string[];
    /** Custom field id (or attribute name) → the value(s) that carry this reason. */
    fields?: Record<string, FieldValue>;
  };
  /** False for reasons that never count against the metric (e.g. feature requests). */
  countsTowardMetric: boolean;
  /**
   * Ids this reason had before: their tickets, manual corrections and `<tagPrefix><old id>` tags
   * move to this reason, and a taxonomy change does not count that as a move.
   */
  renamedFrom?: string[];
}

export type ClassifiedBy = 'manual' | 'tag' | 'field' | 'rule' | 'model' | 'none';

export const UNCLASSIFIED = 'unclassified';

export interface Classification {
  /** A reason id, or `unclassified` when `classifiedBy` is `none`. */
  reasonId: string;
  /** 0..1; 1 for manual, tag and field. */
  confidence: number;
  classifiedBy: ClassifiedBy;
  /** Why: the rule, tag, field or model that decided it (e.g. `rule:keyword:refund`). */
  detail: string;
}
