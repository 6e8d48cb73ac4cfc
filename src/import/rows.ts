import { z } from 'zod';
import type { Customer, Milestone } from '../domain/customer.js';

/**
 * The shapes of a customer and a milestone as they arrive from outside: CSV rows, JSONL lines
 * and the ingest API share them. In CSV, emails and domains are `;`-separated.
 */

const list = z
  .union([z.array(z.string()), z.string()])
  .default([])
  .transform((v) => (Array.isArray(v) ? v : v.split(';')))
  .transform((v) => [...new Set(v.map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))]);

const email = z.email({ message: 'expected e-mail addresses like ops@acme.com' });
const domain = z
  .string()
  .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected domains like acme.com (no @, no scheme)');

export const customerRow = z
  .object({
    id: z.coerce.string().trim().min(1, 'expected a non-empty id'),
    name: z.coerce.string().trim().default(''),
    emails: list.pipe(z.array(email)),
    domains: list.pipe(z.array(domain)),
  })
  .transform((row): Customer => ({ ...row, name: row.name === '' ? row.id : row.name }));

/**
 * ISO 8601: a date, or a date and time with an optional offset. A time without an offset is
 * read as UTC, so the same file means the same instants on every machine.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseIsoInstant(value: string): number | null {
  const text = value.trim();
  if (!ISO_8601.test(text)) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) && text.length > 10;
  const normalized = text.length === 10 ? `${text}T00:00:00Z` : hasZone ? text : `${text}Z`;
  const ms = Date.parse(normalized.replace(' ', 'T'));
  return Number.isNaN(ms) || !isCalendarDate(text.slice(0, 10)) ? null : ms;
}

/** Date.parse rolls 2026-02-30 over to March; a file that says so has a typo. */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const milestoneRow = z
  .object({
    customer_id: z.coerce.string().trim().min(1, 'expected a non-empty customer_id'),
    milestone: z.string().trim().min(1, 'expected a non-empty milestone name'),
    occurred_at: z.string().transform((value, ctx) => {
      const ms = parseIsoInstant(value);
      if (ms === null) {
        ctx.addIssue({
          code: 'custom',
          message: `expected an ISO 8601 time like 2026-03-01T09:30:00Z, got "${value}"`,
        });
        return z.NEVER;
      }
      return ms;
    }),
  })
  .transform(
    (row): Milestone => ({
      customerId: row.customer_id,
      milestone: row.milestone,
      occurredAt: row.occurred_at,
    }),
  );

export function issueText(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.');
      return key === '' ? issue.message : `${key}: ${issue.message}`;
    })
    .join('; ');
}
