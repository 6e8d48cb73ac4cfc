import { PermanentError } from '../../errors.js';

/**
 * SQLite's own words for a file it cannot write ("attempt to write a readonly database", "disk
 * I/O error") name neither the file nor the fix. These say both, in one line. A failed write
 * transaction has been rolled back by then, so the file holds the last committed state.
 */
export function describeStorageError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const raw = (error as Error).message;
  const where = `database ${file}`;
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new PermanentError(
      `${where} is read-only (${raw}); the file and its folder must be writable by this user`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'ENOSPC') {
    return new PermanentError(
      `${where}: cannot write — disk full or I/O error (${raw}); free space and run again (the last step was rolled back)`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new PermanentError(
      `${where}: cannot open (${raw}); check the path and that its folder is writable`,
      {
        cause: error,
      },
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new PermanentError(`${where} is not a usable SQLite database (${raw})`, { cause: error });
  }
  return error;
}
