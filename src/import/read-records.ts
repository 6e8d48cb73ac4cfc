import { parse as parseCsv } from 'csv-parse/sync';
import { ConfigError } from '../errors.js';

/** One input record with the line it came from, for line-numbered error reports. */
export interface SourceRecord {
  line: number;
  value: Record<string, unknown>;
}

export interface RecordError {
  line: number;
  message: string;
}

export type FileFormat = 'csv' | 'jsonl';

export function formatOf(path: string): FileFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/**
 * Splits a CSV (with a header row) or JSONL text into records. A file-level problem (missing
 * header column, unreadable CSV) throws; a bad line becomes an error and the rest goes on.
 */
export function readRecords(
  text: string,
  format: FileFormat,
  requiredColumns: readonly string[],
): { records: SourceRecord[]; errors: RecordError[] } {
  return format === 'csv' ? readCsv(text, requiredColumns) : readJsonl(text);
}

function readCsv(text: string, requiredColumns: readonly string[]) {
  const errors: RecordError[] = [];
  const rows = parseCsv(text, {
    // A malformed row (an unclosed quote, say) is reported with its line; the rest goes on.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error)
        errors.push({
          line: Number(error.lines),
          message: `malformed CSV (the record ends here): ${error.message}`,
        });
    },
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const [header, ...body] = rows;
  if (!header) return { records: [], errors: [] };
  const columns = header.record.map((c) => c.toLowerCase());
  const missing = requiredColumns.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new ConfigError(
      `header must contain ${requiredColumns.join(',')} (missing: ${missing.join(', ')})`,
    );
  }
  const records: SourceRecord[] = [];
  for (const { record, info } of body) {
    if (record.length > columns.length) {
      errors.push({ line: info.lines, message: `${record.length} values for ${columns.length} columns` });
      continue;
    }
    const value: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      value[column] = record[i] ?? '';
    });
    records.push({ line: info.lines, value });
  }
  return { records, errors };
}

function readJsonl(text: string) {
  const records: SourceRecord[] = [];
  const errors: RecordError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    try {
      const value: unknown = JSON.parse(raw);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        errors.push({ line, message: 'expected a JSON object' });
      } else {
        records.push({ line, value: value as Record<string, unknown> });
      }
    } catch (error) {
      errors.push({ line, message: `not valid JSON (${(error as Error).message})` });
    }
  });
  return { records, errors };
}
