import type { ClassifiedBy } from '../../domain/reason.js';

/**
 * Why a ticket has its reason, in words a reader of the dashboard understands, from the
 * classification's `detail` (see `classifyTicket` in src/domain/classify.ts for its forms):
 *
 * | classifiedBy | detail                   | words                           |
 * | ------------ | ------------------------ | ------------------------------- |
 * | manual       | `manual:ana` / `manual`  | `manual (by ana)` / `manual`    |
 * | tag          | `tag:zt_reason_billing`  | `tag zt_reason_billing`         |
 * | field        | `field:plan=enterprise`  | `field plan = enterprise`       |
 * | rule         | `rule:keyword:refund`    | `rule: keyword 'refund'`        |
 * | rule         | `rule:regex:charged \d+` | `rule: pattern /charged \d+/`   |
 * | model        | `model:0.91`             | `model, 91% confident`          |
 * | none         | `''`                     | `unclassified`                  |
 *
 * `classifiedBy` decides the wording; a detail in an unexpected form (e.g. written by an older
 * version) still yields the kind of classification, with the detail as is when there is one.
 */
export function describeReasonWhy(classifiedBy: ClassifiedBy, detail: string, confidence: number): string {
  const rest = afterPrefix(detail, `${classifiedBy}:`) ?? (detail === classifiedBy ? '' : detail);
  switch (classifiedBy) {
    case 'manual':
      return rest === '' ? 'manual' : `manual (by ${rest})`;
    case 'tag':
      return rest === '' ? 'tag' : `tag ${rest}`;
    case 'field': {
      if (rest === '') return 'field';
      const eq = rest.indexOf('=');
      return eq < 0 ? `field ${rest}` : `field ${rest.slice(0, eq)} = ${rest.slice(eq + 1)}`;
    }
    case 'rule':
      return rest === '' ? 'rule' : `rule: ${describeRuleTerm(rest)}`;
    case 'model': {
      const stated = rest === '' ? Number.NaN : Number(rest);
      const value = Number.isFinite(stated) ? stated : confidence;
      return Number.isFinite(value) && value > 0 ? `model, ${Math.round(value * 100)}% confident` : 'model';
    }
    case 'none':
      return 'unclassified';
  }
}

function describeRuleTerm(term: string): string {
  const keyword = afterPrefix(term, 'keyword:');
  if (keyword !== null) return `keyword '${keyword}'`;
  const regex = afterPrefix(term, 'regex:');
  if (regex !== null) return `pattern /${regex}/`;
  return `'${term}'`;
}

/** The text after `prefix`, or null when `text` does not start with it. */
function afterPrefix(text: string, prefix: string): string | null {
  return text.startsWith(prefix) ? text.slice(prefix.length) : null;
}
