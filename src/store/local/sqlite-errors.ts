/** Turning node:sqlite errors into OmveeErrors, and spotting "database is locked". */
import { OmveeError, isOmveeError } from '../../core/errors.ts';

// https://sqlite.org/rescode.html (primary codes are the low byte of extended codes)
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT = 19;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

function errcode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : undefined;
}

export function isBusyError(error: unknown): boolean {
  const code = errcode(error);
  if (code !== undefined) return (code & 0xff) === SQLITE_BUSY || (code & 0xff) === SQLITE_LOCKED;
  return error instanceof Error && /database is locked|database table is locked/i.test(error.message);
}

export function busyExhaustedError(location: string, cause: unknown): OmveeError {
  return new OmveeError('store', `the local database stayed locked by another process for too long (${location})`, {
    hint: 'another omvee process is writing heavily; retry in a moment',
    cause,
  });
}

/** Map an error thrown while talking to SQLite; OmveeErrors pass through unchanged. */
export function mapSqliteError(error: unknown, location: string, table?: string): OmveeError {
  if (isOmveeError(error)) return error;
  const code = errcode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY) {
    const columns = /constraint failed: (.*)$/i.exec(message)?.[1]?.split(',').map((c) => c.trim().replace(/^\w+\./, ''));
    const what = columns ? `(${columns.join(', ')})` : 'key';
    return new OmveeError('conflict', `a ${table ?? ''} row with the same ${what} already exists`.replace('  ', ' '), {
      hint: 'update the existing row instead, or delete it first',
      cause: error,
    });
  }
  if (code === SQLITE_CONSTRAINT_FOREIGNKEY) {
    return new OmveeError('invalid_input', `${table ?? 'row'}: a referenced row does not exist`, {
      hint: 'create the parent row (project, scene, …) first',
      cause: error,
    });
  }
  if (code !== undefined && (code & 0xff) === SQLITE_CONSTRAINT) {
    return new OmveeError('invalid_input', `${table ?? 'row'}: ${message}`, { cause: error });
  }
  if (isBusyError(error)) return busyExhaustedError(location, error);
  return new OmveeError('store', `local store error: ${message}`, {
    hint: `check that ${location} is readable and writable and the disk is not full`,
    cause: error,
  });
}
