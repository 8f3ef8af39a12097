/**
 * The embedded store: one SQLite file (`${home}/omvee.db`) through the built-in node:sqlite.
 *
 * Several omvee processes may use the same file at once (a render in one shell, `jobs list`
 * in another, scripts in parallel). That is safe because:
 * - WAL mode lets readers run while one writer writes;
 * - every write runs in `BEGIN IMMEDIATE … COMMIT`, so the write lock is taken up front and
 *   SQLite's busy handler (busy_timeout) waits for it instead of failing half-way;
 * - a bounded retry with backoff covers the rare SQLITE_BUSY that escapes the busy handler.
 *
 * node:sqlite is synchronous, so a transaction never interleaves with another call of this
 * process: each public method runs its whole transaction in one synchronous stretch.
 */
import { ensurePrivateDirSync, ensurePrivateFileSync } from './private-files.ts';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DEFAULTS, REQUIRED_ON_INSERT, type Job, type NewRow, type RowPatch, type TableName, type Tables } from '../../core/model.ts';
import { OmveeError, invalidInput, notFound } from '../../core/errors.ts';
import type { ClaimOptions, FailOptions, Filter, JobFeed, JobFeedOptions, JobFeedTarget, JobLease, ListQuery, SchemaInfo, Store } from '../port.ts';
import { openPollingFeed } from '../job-poller.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MIGRATIONS_TABLE_SQL } from './migrations.ts';
import { busyExhaustedError, isBusyError, mapSqliteError } from './sqlite-errors.ts';
import { buildLimit, buildOrder, buildWhere, type SqlParam } from './sql-query.ts';
import { FOREIGN_KEYS, projectScopedKeys, projectScopedReferrers, shapeRow, toSqlValue } from './table-meta.ts';
import {
  JOB_NOT_FOUND_HINT,
  MANAGED_COLUMNS,
  TABLE_LABELS,
  assertColumn,
  assertLease,
  assertPlainObject,
  checkPartialRow,
  checkProgress,
  checkSeconds,
  checkWorkerId,
  formatZodError,
  normalizeTimestamp,
  tableMeta,
  tableSchema,
  type AnyRow,
} from '../row-checks.ts';

export interface LocalStoreOptions {
  /** omvee home folder; created when missing. The database is `${home}/omvee.db`. */
  home: string;
  /** how long SQLite waits for another process's write lock (default 10 s) */
  busyTimeoutMs?: number;
}

const LOCAL_DB_FILE = 'omvee.db';
const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
/** extra attempts after SQLITE_BUSY escaped the busy handler */
const BUSY_RETRIES = 5;

const nowIso = (): string => new Date().toISOString();
const isoIn = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

export async function openLocalStore(options: LocalStoreOptions): Promise<Store> {
  return LocalStore.open(options);
}

/** Run `fn`, retrying with jittered backoff while SQLite reports the database busy/locked. */
async function retryBusy<T>(location: string, fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (attempt >= BUSY_RETRIES) throw busyExhaustedError(location, error);
      await sleep(25 * 2 ** attempt + Math.random() * 25);
    }
  }
}

function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection already rolled back (e.g. after SQLITE_FULL); nothing left to undo
      }
    }
    throw error;
  }
}

function readSchemaVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
  return Number(row.v);
}

function tooNewError(location: string, version: number): OmveeError {
  return new OmveeError(
    'store',
    `the local store at ${location} has schema version ${version}, newer than this omvee knows (${LATEST_SCHEMA_VERSION})`,
    { hint: 'upgrade omvee' },
  );
}

/** Apply pending migrations in one IMMEDIATE transaction (safe when processes race). */
function migrate(db: DatabaseSync, location: string): number {
  try {
    const version = readSchemaVersion(db);
    if (version === LATEST_SCHEMA_VERSION) return version; // fast path: no write lock needed
  } catch {
    // no schema_migrations table yet
  }
  return inTransaction(db, () => {
    db.exec(MIGRATIONS_TABLE_SQL);
    const current = readSchemaVersion(db);
    if (current > LATEST_SCHEMA_VERSION) throw tooNewError(location, current);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, nowIso());
    }
    return readSchemaVersion(db);
  });
}

/** The lease guard: only the worker and attempt holding a running job may move it on. */
const LEASE_GUARD = `id = ? AND locked_by = ? AND attempts = ? AND status = 'running'`;
const leaseParams = (lease: JobLease): SqlParam[] => [lease.id, lease.workerId, lease.attempt];

/**
 * The renewed lease end for a heartbeat at `now` (ISO): now + the lease's own length when the
 * holder names it, otherwise now + the length the lease already has (lease_expires_at −
 * heartbeat_at), so a renewal never shortens or stretches what the holder was granted.
 * Two parameters: the explicit new end (or null), then `now`.
 */
const RENEWED_EXPIRY = `COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ',
  julianday(?) + (julianday(lease_expires_at) - julianday(heartbeat_at))))`;
const renewedExpiryParams = (lease: JobLease, now: string): SqlParam[] => [
  lease.leaseSeconds === undefined ? null : new Date(Date.parse(now) + lease.leaseSeconds * 1000).toISOString(),
  now,
];

export class LocalStore implements Store {
  readonly kind = 'local' as const;
  readonly #feeds = new Set<JobFeed>();
  readonly location: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  /** Use LocalStore.open / openLocalStore: opening applies migrations. */
  constructor(db: DatabaseSync, location: string) {
    this.#db = db;
    this.location = location;
  }

  static async open(options: LocalStoreOptions): Promise<LocalStore> {
    const home = options?.home;
    if (typeof home !== 'string' || home.length === 0) {
      throw invalidInput('the local store needs a home folder', 'set OMVEE_HOME or pass --home');
    }
    const location = join(home, LOCAL_DB_FILE);
    try {
      // private on a shared machine, whatever the umask: the folder 0700, the database 0600
      // (SQLite gives its -wal and -shm files the database's mode)
      ensurePrivateDirSync(home);
      ensurePrivateFileSync(location, true);
      ensurePrivateFileSync(`${location}-wal`);
      ensurePrivateFileSync(`${location}-shm`);
    } catch (error) {
      throw new OmveeError('store', `cannot create the omvee home folder ${home}: ${(error as Error).message}`, {
        hint: 'point OMVEE_HOME at a writable folder',
        cause: error,
      });
    }
    const timeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: DatabaseSync | undefined;
    try {
      db = await retryBusy(location, () => new DatabaseSync(location, { timeout }));
      const conn = db;
      await retryBusy(location, () => {
        conn.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(timeout))}`);
        conn.exec('PRAGMA journal_mode = WAL');
        conn.exec('PRAGMA synchronous = NORMAL');
        conn.exec('PRAGMA foreign_keys = ON');
      });
      await retryBusy(location, () => migrate(conn, location));
      for (const file of [`${location}-wal`, `${location}-shm`]) ensurePrivateFileSync(file);
      return new LocalStore(conn, location);
    } catch (error) {
      try {
        db?.close();
      } catch {
        // already closed
      }
      throw mapSqliteError(error, location);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------

  #stmt(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async #read<T>(table: string | undefined, fn: () => T): Promise<T> {
    try {
      return await retryBusy(this.location, fn);
    } catch (error) {
      throw mapSqliteError(error, this.location, table);
    }
  }

  async #write<T>(table: string | undefined, fn: () => T): Promise<T> {
    try {
      return await retryBusy(this.location, () => inTransaction(this.#db, fn));
    } catch (error) {
      throw mapSqliteError(error, this.location, table);
    }
  }

  /** Reject a reference to a missing parent with a message that names it. */
  #checkParents(table: TableName, row: AnyRow): void {
    for (const fk of FOREIGN_KEYS[table]) {
      const value = row[fk.column];
      if (value === null || value === undefined) continue;
      const found = this.#stmt(`SELECT 1 AS ok FROM "${fk.parent}" WHERE id = ?`).get(value as string);
      if (!found) {
        throw invalidInput(
          `${TABLE_LABELS[fk.parent]} not found: ${String(value)} (${table}.${fk.column})`,
          `create the ${TABLE_LABELS[fk.parent]} first, or check the id`,
        );
      }
    }
  }

  /**
   * A scene, prompt, image or clip may only be referred to from its own project (Supabase: the
   * composite foreign keys on (ref, project_id)). `id` is the row being updated (null on insert);
   * `values` are the new values (the whole row on insert, the patch on update).
   */
  #checkProjectScope(table: TableName, id: string | null, values: AnyRow): void {
    const scoped = projectScopedKeys(table);
    const referrers = projectScopedReferrers(table);
    const touchesProject = values.project_id !== undefined;
    if (!touchesProject && !scoped.some((fk) => values[fk.column] !== undefined)) return;
    let row = values;
    let current: AnyRow | undefined;
    if (id !== null) {
      current = this.#stmt(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as AnyRow | undefined;
      if (!current) return; // the update finds nothing to change
      row = { ...current, ...values };
    }
    for (const fk of scoped) {
      const ref = row[fk.column];
      if (ref === null || ref === undefined) continue;
      const parent = this.#stmt(`SELECT project_id FROM "${fk.parent}" WHERE id = ?`).get(ref as string) as
        | { project_id: string }
        | undefined;
      if (parent && parent.project_id !== row.project_id) {
        throw invalidInput(
          `${TABLE_LABELS[fk.parent]} ${String(ref)} belongs to another project than ${table}.project_id ${String(row.project_id)} (${table}.${fk.column})`,
          `a row may only refer to scenes, prompts, images and clips of its own project`,
        );
      }
    }
    if (current && touchesProject && current.project_id !== row.project_id) {
      for (const ref of referrers) {
        const child = this.#stmt(`SELECT id FROM "${ref.table}" WHERE "${ref.column}" = ? AND project_id <> ? LIMIT 1`).get(
          id,
          row.project_id as string,
        ) as { id: string } | undefined;
        if (child) {
          throw invalidInput(
            `cannot move ${TABLE_LABELS[table]} ${String(id)} to another project: ${TABLE_LABELS[ref.table]} ${child.id} refers to it (${ref.table}.${ref.column})`,
            `delete or move the rows that refer to it first`,
          );
        }
      }
    }
  }

  #insertSync(table: TableName, input: AnyRow, now: string): AnyRow {
    const meta = tableMeta(table);
    assertPlainObject(input, `a new ${table} row`);
    const row: AnyRow = {};
    for (const column of meta.columns) row[column] = null;
    Object.assign(row, DEFAULTS[table]);
    if (table === 'jobs') row.run_after = now;
    for (const [column, value] of Object.entries(input)) {
      if (value === undefined) continue;
      assertColumn(table, column);
      row[column] = meta.timestamp.has(column) && value !== null ? normalizeTimestamp(table, column, value) : value;
    }
    for (const column of REQUIRED_ON_INSERT[table] as readonly string[]) {
      if (row[column] === null || row[column] === undefined) {
        throw invalidInput(`${table}.${column} is required`, `give a value for "${column}"`);
      }
    }
    if (row.id === null) row.id = randomUUID();
    if (row.created_at === null) row.created_at = now;
    if (row.updated_at === null) row.updated_at = now;
    const parsed = tableSchema(table).safeParse(row);
    if (!parsed.success) throw invalidInput(formatZodError(table, parsed.error));
    this.#checkParents(table, row);
    this.#checkProjectScope(table, null, row);
    const columns = meta.columns;
    const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`;
    const raw = this.#stmt(sql).get(...columns.map((c) => toSqlValue(table, c, row[c]))) as AnyRow;
    return shapeRow(table, raw);
  }

  #updateSync(table: TableName, id: string, patch: AnyRow, expect: AnyRow | undefined, now: string): AnyRow | null {
    const meta = tableMeta(table);
    assertPlainObject(patch, `a ${table} patch`);
    if (typeof id !== 'string') throw invalidInput(`${table} id must be a string`);
    const clean: AnyRow = {};
    for (const [column, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      assertColumn(table, column);
      if (MANAGED_COLUMNS.has(column)) throw invalidInput(`${table}.${column} cannot be changed by an update`);
      clean[column] = meta.timestamp.has(column) && value !== null ? normalizeTimestamp(table, column, value) : value;
    }
    checkPartialRow(table, clean);
    this.#checkParents(table, clean);
    this.#checkProjectScope(table, id, clean);
    const columns = Object.keys(clean);
    const sets = [...columns.map((c) => `"${c}" = ?`), '"updated_at" = ?'].join(', ');
    const where = buildWhere(table, expect);
    const sql = `UPDATE "${table}" SET ${sets} WHERE id = ? AND (${where.sql}) RETURNING *`;
    const raw = this.#stmt(sql).get(...columns.map((c) => toSqlValue(table, c, clean[c])), now, id, ...where.params) as
      | AnyRow
      | undefined;
    return raw ? shapeRow(table, raw) : null;
  }

  // ---- rows -----------------------------------------------------------------------------

  async insert<K extends TableName>(table: K, row: NewRow<K>): Promise<Tables[K]> {
    tableMeta(table);
    return (await this.#write(table, () => this.#insertSync(table, row as AnyRow, nowIso()))) as unknown as Tables[K];
  }

  async insertMany<K extends TableName>(table: K, rows: readonly NewRow<K>[]): Promise<Tables[K][]> {
    tableMeta(table);
    if (!Array.isArray(rows)) throw invalidInput(`insertMany(${table}) needs an array of rows`);
    if (rows.length === 0) return [];
    const inserted = await this.#write(table, () => {
      const now = nowIso();
      return rows.map((row) => this.#insertSync(table, row as AnyRow, now));
    });
    return inserted as unknown as Tables[K][];
  }

  async get<K extends TableName>(table: K, id: string): Promise<Tables[K] | null> {
    tableMeta(table);
    if (typeof id !== 'string') throw invalidInput(`${table} id must be a string`);
    const raw = await this.#read(table, () => this.#stmt(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as AnyRow | undefined);
    return raw ? (shapeRow(table, raw) as unknown as Tables[K]) : null;
  }

  async list<K extends TableName>(table: K, query: ListQuery<Tables[K]> = {}): Promise<Tables[K][]> {
    tableMeta(table);
    const where = buildWhere(table, query.where as AnyRow | undefined);
    const order = buildOrder(table, query.order as never);
    const limit = buildLimit(query.limit, query.offset);
    const sql = `SELECT * FROM "${table}" WHERE ${where.sql} ORDER BY ${order}${limit.sql}`;
    const rows = await this.#read(table, () => this.#stmt(sql).all(...where.params, ...limit.params) as AnyRow[]);
    return rows.map((raw) => shapeRow(table, raw)) as unknown as Tables[K][];
  }

  async count<K extends TableName>(table: K, where?: Filter<Tables[K]>): Promise<number> {
    tableMeta(table);
    const w = buildWhere(table, where as AnyRow | undefined);
    const row = await this.#read(table, () => this.#stmt(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${w.sql}`).get(...w.params) as { n: number });
    return Number(row.n);
  }

  async update<K extends TableName>(table: K, id: string, patch: RowPatch<K>): Promise<Tables[K]> {
    tableMeta(table);
    const row = await this.#write(table, () => this.#updateSync(table, id, patch as AnyRow, undefined, nowIso()));
    if (!row) throw notFound(TABLE_LABELS[table], String(id));
    return row as unknown as Tables[K];
  }

  async updateIf<K extends TableName>(
    table: K,
    id: string,
    expect: Filter<Tables[K]>,
    patch: RowPatch<K>,
  ): Promise<Tables[K] | null> {
    tableMeta(table);
    assertPlainObject(expect, `updateIf(${table}) expectation`);
    const row = await this.#write(table, () => this.#updateSync(table, id, patch as AnyRow, expect as AnyRow, nowIso()));
    return row as unknown as Tables[K] | null;
  }

  async delete<K extends TableName>(table: K, id: string): Promise<boolean> {
    tableMeta(table);
    if (typeof id !== 'string') throw invalidInput(`${table} id must be a string`);
    const result = await this.#write(table, () => this.#stmt(`DELETE FROM "${table}" WHERE id = ?`).run(id));
    return Number(result.changes) > 0;
  }

  async deleteWhere<K extends TableName>(table: K, where: Filter<Tables[K]>): Promise<number> {
    tableMeta(table);
    assertPlainObject(where, `deleteWhere(${table}) filter`);
    const w = buildWhere(table, where as AnyRow);
    if (w.count === 0) {
      throw invalidInput(`deleteWhere(${table}) needs at least one condition`, 'refusing to delete every row');
    }
    const result = await this.#write(table, () => this.#stmt(`DELETE FROM "${table}" WHERE ${w.sql}`).run(...w.params));
    return Number(result.changes);
  }

  async replaceScenes(projectId: string, scenes: readonly NewRow<'selected_scenes'>[]): Promise<Tables['selected_scenes'][]> {
    if (typeof projectId !== 'string') throw invalidInput('project id must be a string');
    if (!Array.isArray(scenes)) throw invalidInput('replaceScenes needs an array of scenes');
    const rows = await this.#write('selected_scenes', () => {
      if (!this.#stmt('SELECT 1 AS ok FROM projects WHERE id = ?').get(projectId)) throw notFound('project', projectId);
      const now = nowIso();
      this.#stmt('DELETE FROM selected_scenes WHERE project_id = ?').run(projectId);
      return scenes.map((scene, index) => {
        assertPlainObject(scene, `scene ${index}`);
        if (scene.project_id !== undefined && scene.project_id !== projectId) {
          throw invalidInput(`scene ${index} belongs to project ${String(scene.project_id)}, not ${projectId}`);
        }
        return this.#insertSync('selected_scenes', { ...scene, project_id: projectId }, now);
      });
    });
    return rows as unknown as Tables['selected_scenes'][];
  }

  // ---- the job queue --------------------------------------------------------------------

  async claimJob(options: ClaimOptions): Promise<Job | null> {
    assertPlainObject(options, 'claim options');
    checkWorkerId(options.workerId);
    checkSeconds('leaseSeconds', options.leaseSeconds, false);
    if (options.types !== undefined && options.types.length === 0) return null;
    const conditions = [`status = 'pending'`, 'run_after <= ?'];
    const filterParams: SqlParam[] = [];
    if (options.types !== undefined) {
      conditions.push(`type IN (${options.types.map(() => '?').join(', ')})`);
      filterParams.push(...options.types);
    }
    if (options.projectId !== undefined) {
      conditions.push('project_id = ?');
      filterParams.push(options.projectId);
    }
    if (options.jobId !== undefined) {
      conditions.push('id = ?');
      filterParams.push(options.jobId);
    }
    const select = `SELECT id FROM jobs WHERE ${conditions.join(' AND ')} ORDER BY created_at ASC, rowid ASC LIMIT 1`;
    const row = await this.#write('jobs', () => {
      const now = nowIso();
      const candidate = this.#stmt(select).get(now, ...filterParams) as { id: string } | undefined;
      if (!candidate) return null;
      const expires = new Date(Date.parse(now) + options.leaseSeconds * 1000).toISOString();
      return this.#stmt(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, locked_at = ?, heartbeat_at = ?,
           lease_expires_at = ?, started_at = ?, finished_at = NULL, updated_at = ? WHERE id = ? RETURNING *`,
      ).get(options.workerId, now, now, expires, now, now, candidate.id) as AnyRow;
    });
    return row ? (shapeRow('jobs', row) as unknown as Job) : null;
  }

  async heartbeatJob(lease: JobLease, progress?: number): Promise<boolean> {
    assertLease(lease);
    const p = progress === undefined ? null : checkProgress(progress);
    const result = await this.#write('jobs', () => {
      const now = nowIso();
      return this.#stmt(
        `UPDATE jobs SET lease_expires_at = ${RENEWED_EXPIRY}, heartbeat_at = ?, progress = COALESCE(?, progress), updated_at = ?
           WHERE ${LEASE_GUARD}`,
      ).run(...renewedExpiryParams(lease, now), now, p, now, ...leaseParams(lease));
    });
    return Number(result.changes) > 0;
  }

  async updateJobProgress(lease: JobLease, progress: number, result?: Record<string, unknown>): Promise<boolean> {
    assertLease(lease);
    const p = checkProgress(progress);
    if (result !== undefined) assertPlainObject(result, 'job result');
    const outcome = await this.#write('jobs', () => {
      const now = nowIso();
      // SET expressions read the row as it was, so the renewed expiry sees the previous heartbeat_at
      if (result === undefined) {
        return this.#stmt(
          `UPDATE jobs SET lease_expires_at = ${RENEWED_EXPIRY}, progress = ?, heartbeat_at = ?, updated_at = ? WHERE ${LEASE_GUARD}`,
        ).run(...renewedExpiryParams(lease, now), p, now, now, ...leaseParams(lease));
      }
      return this.#stmt(
        `UPDATE jobs SET lease_expires_at = ${RENEWED_EXPIRY}, progress = ?, result = ?, heartbeat_at = ?, updated_at = ?
           WHERE ${LEASE_GUARD}`,
      ).run(...renewedExpiryParams(lease, now), p, JSON.stringify(result), now, now, ...leaseParams(lease));
    });
    return Number(outcome.changes) > 0;
  }

  async completeJob(lease: JobLease, result: Record<string, unknown>, costUsd?: number): Promise<Job | null> {
    assertLease(lease);
    assertPlainObject(result, 'job result');
    if (costUsd !== undefined && (typeof costUsd !== 'number' || !Number.isFinite(costUsd))) {
      throw invalidInput(`job cost must be a number, got ${String(costUsd)}`);
    }
    const row = await this.#write('jobs', () => {
      const now = nowIso();
      return this.#stmt(
        `UPDATE jobs SET status = 'completed', progress = 100, result = ?, cost_usd = COALESCE(?, cost_usd), error = NULL,
           finished_at = ?, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL, updated_at = ? WHERE ${LEASE_GUARD} RETURNING *`,
      ).get(JSON.stringify(result), costUsd ?? null, now, now, ...leaseParams(lease)) as AnyRow | undefined;
    });
    return row ? (shapeRow('jobs', row) as unknown as Job) : null;
  }

  async failJob(lease: JobLease, error: string, options: FailOptions): Promise<Job | null> {
    assertLease(lease);
    assertPlainObject(options, 'fail options');
    const message = typeof error === 'string' && error.length > 0 ? error : String(error || 'failed');
    const backoff = checkSeconds('backoffSeconds', options.backoffSeconds ?? 0, true);
    const row = await this.#write('jobs', () => {
      const now = nowIso();
      const job = this.#stmt(`SELECT attempts, max_attempts FROM jobs WHERE ${LEASE_GUARD}`).get(...leaseParams(lease)) as
        | { attempts: number; max_attempts: number }
        | undefined;
      if (!job) return undefined;
      if (options.retry && job.attempts < job.max_attempts) {
        return this.#stmt(
          `UPDATE jobs SET status = 'pending', run_after = ?, error = ?, locked_by = NULL, locked_at = NULL,
             heartbeat_at = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? RETURNING *`,
        ).get(isoIn(backoff), message, now, lease.id) as AnyRow;
      }
      return this.#stmt(
        `UPDATE jobs SET status = 'failed', error = ?, finished_at = ?, locked_by = NULL, locked_at = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE id = ? RETURNING *`,
      ).get(message, now, now, lease.id) as AnyRow;
    });
    return row ? (shapeRow('jobs', row) as unknown as Job) : null;
  }

  async releaseJob(lease: JobLease): Promise<boolean> {
    assertLease(lease);
    const result = await this.#write('jobs', () =>
      this.#stmt(
        `UPDATE jobs SET status = 'pending', attempts = MAX(attempts - 1, 0), locked_by = NULL, locked_at = NULL,
           heartbeat_at = NULL, lease_expires_at = NULL, updated_at = ? WHERE ${LEASE_GUARD}`,
      ).run(nowIso(), ...leaseParams(lease)),
    );
    return Number(result.changes) > 0;
  }

  async recoverExpiredJobs(leaseSeconds: number): Promise<number> {
    checkSeconds('leaseSeconds', leaseSeconds, false);
    const result = await this.#write('jobs', () => {
      const now = nowIso();
      const cutoff = isoIn(-leaseSeconds);
      // a stored lease end decides; leaseSeconds only judges rows claimed before it was stored
      return this.#stmt(
        `UPDATE jobs SET
           status = CASE WHEN attempts < max_attempts THEN 'pending' ELSE 'failed' END,
           finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE ? END,
           error = 'lease expired: the worker stopped sending heartbeats',
           locked_by = NULL, locked_at = NULL, heartbeat_at = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE status = 'running' AND (
           (lease_expires_at IS NOT NULL AND lease_expires_at < ?)
           OR (lease_expires_at IS NULL AND (heartbeat_at IS NULL OR heartbeat_at < ?)))`,
      ).run(now, now, now, cutoff);
    });
    return Number(result.changes);
  }

  async cancelJob(id: string, reason?: string): Promise<Job> {
    if (typeof id !== 'string') throw invalidInput('job id must be a string');
    const row = await this.#write('jobs', () => {
      const job = this.#stmt('SELECT * FROM jobs WHERE id = ?').get(id) as AnyRow | undefined;
      if (!job) throw notFound('job', id, JOB_NOT_FOUND_HINT);
      if (job.status === 'canceled') return job;
      if (job.status === 'completed' || job.status === 'failed') {
        throw new OmveeError('conflict', `job ${id} is already ${String(job.status)}; only pending or running jobs can be canceled`, {
          hint: job.status === 'failed' ? 'run it again with `omvee jobs retry`' : undefined,
        });
      }
      const now = nowIso();
      return this.#stmt(
        `UPDATE jobs SET status = 'canceled', error = ?, finished_at = ?, locked_by = NULL, locked_at = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE id = ? RETURNING *`,
      ).get(reason ?? 'canceled', now, now, id) as AnyRow;
    });
    return shapeRow('jobs', row) as unknown as Job;
  }

  async retryJob(id: string, options: { resetAttempts?: boolean } = {}): Promise<Job> {
    if (typeof id !== 'string') throw invalidInput('job id must be a string');
    const row = await this.#write('jobs', () => {
      const job = this.#stmt('SELECT status FROM jobs WHERE id = ?').get(id) as { status: string } | undefined;
      if (!job) throw notFound('job', id, JOB_NOT_FOUND_HINT);
      if (job.status !== 'failed' && job.status !== 'canceled') {
        throw new OmveeError('conflict', `job ${id} is ${job.status}; only failed or canceled jobs can be retried`);
      }
      const now = nowIso();
      return this.#stmt(
        `UPDATE jobs SET status = 'pending', run_after = ?, progress = 0, error = NULL, finished_at = NULL,
           locked_by = NULL, locked_at = NULL, heartbeat_at = NULL, lease_expires_at = NULL,
           attempts = CASE WHEN ? THEN 0 ELSE attempts END, updated_at = ? WHERE id = ? RETURNING *`,
      ).get(now, options.resetAttempts ? 1 : 0, now, id) as AnyRow;
    });
    return shapeRow('jobs', row) as unknown as Job;
  }

  // ---- following jobs -------------------------------------------------------------------

  /**
   * Polls this store (other processes write to the same file): the rows updated since the last
   * look, so a job that starts and ends between two polls is still delivered.
   */
  async subscribeJobs(target: JobFeedTarget, options: JobFeedOptions): Promise<JobFeed> {
    const feed = await openPollingFeed(this, target, options);
    this.#feeds.add(feed);
    return {
      mode: feed.mode,
      close: async () => {
        this.#feeds.delete(feed);
        await feed.close();
      },
    };
  }

  // ---- lifecycle ------------------------------------------------------------------------

  async schemaInfo(): Promise<SchemaInfo> {
    const version = await this.#read(undefined, () => readSchemaVersion(this.#db));
    return { version, latest: LATEST_SCHEMA_VERSION };
  }

  async close(): Promise<void> {
    for (const feed of this.#feeds) await feed.close();
    this.#feeds.clear();
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }
}
