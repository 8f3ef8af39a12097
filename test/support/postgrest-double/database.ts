/**
 * Real Postgres for the test double: PGlite (Postgres compiled to WASM, in-process), with the
 * Supabase bootstrap and then the project's own supabase/migrations/*.sql applied unchanged.
 *
 * PGlite has one connection, so every request runs as one serialized transaction, exactly like
 * PostgREST's per-request transaction: BEGIN; SET LOCAL ROLE; set_config('request.jwt.claims');
 * ...; COMMIT. Row level security is therefore really evaluated for the request's role and user.
 */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { JwtClaims } from './jwt.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = path.resolve(here, '../../../supabase/migrations');

export type DbRole = 'anon' | 'authenticated' | 'service_role';

export interface DoubleDatabase {
  readonly pg: PGlite;
  /** run `fn` in one transaction as `role` with the given JWT claims (rolled back on throw) */
  asRole<T>(role: DbRole, claims: JwtClaims, fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** run `fn` in one transaction as the database owner (bypasses RLS; bootstrap and helpers) */
  asOwner<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** run `fn` alone on the connection: several transactions back to back, nothing in between */
  exclusive<T>(fn: (pg: PGlite) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** apply supabase/migrations (default true); false leaves a bare Supabase database */
  migrate?: boolean;
  /** SQL run after the bootstrap and before the migrations (e.g. another app's tables) */
  beforeMigrations?: string;
}

export async function openDoubleDatabase(options: DatabaseOptions = {}): Promise<DoubleDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create();
  await pg.exec(await readFile(path.join(here, 'bootstrap.sql'), 'utf8'));
  if (options.beforeMigrations) await pg.exec(options.beforeMigrations);
  if (options.migrate !== false) {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) await pg.exec(await readFile(path.join(MIGRATIONS_DIR, file), 'utf8'));
  }
  // row changes of published tables feed the Realtime endpoint (see bootstrap.sql)
  await pg.exec('select realtime.double_attach_capture()');

  // one request at a time: PGlite is a single connection
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    pg,
    asRole: (role, claims, fn) =>
      serialize(() =>
        pg.transaction(async (tx) => {
          await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
          await tx.exec(`set local role ${role}`);
          return fn(tx);
        }),
      ),
    asOwner: (fn) => serialize(() => pg.transaction(fn)),
    exclusive: (fn) => serialize(() => fn(pg)),
    close: () => serialize(() => pg.close()),
  };
}
