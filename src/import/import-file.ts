import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Store } from '../store/store.js';
import { type ImportKind, type ImportResult, importRecords } from './import-records.js';
import { formatOf } from './read-records.js';

/**
 * Imports a CSV or JSONL file (by extension), `path` taken relative to `cwd`. File-level
 * problems throw one clear error that names the file as the user gave it.
 */
export async function importFile(
  store: Store,
  kind: ImportKind,
  path: string,
  cwd: string,
): Promise<ImportResult> {
  const format = formatOf(path);
  if (!format) throw new ConfigError(`${path}: expected a .csv or .jsonl file`);
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return await importRecords(store, kind, text, format);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`);
    throw error;
  }
}
