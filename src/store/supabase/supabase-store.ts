/**
 * The Store port on a Supabase project: tables through PostgREST (supabase-js), the job queue
 * and the atomic scene swap through the SQL functions of supabase/migrations (supabase.rpc).
 *
 * Semantics match the local store: values are checked against the model before anything is
 * sent (unknown columns, wrong types, missing required columns → invalid_input), timestamps come
 * back as ISO strings in UTC, and lists page past PostgREST's 1000-row cap.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { OmveeError, invalidInput, notFound } from '../../core/errors.ts';
import { isUuid } from '../../core/projects.ts';
import { REQUIRED_ON_INSERT, type Job, type NewRow, type RowPatch, type TableName, type Tables } from '../../core/model.ts';
import type { ClaimOptions, FailOptions, Filter, JobFeed, JobFeedOptions, JobFeedTarget, JobLease, ListQuery, Order, SchemaInfo, Store } from '../port.ts';
import { createOmveeClient, displayUrl, type SupabaseConnectOptions } from './client.ts';
import { mapRemoteError } from './errors.ts';
import { openSupabaseJobFeed } from './job-feed.ts';
import { normalizeRow } from './rows.ts';
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
  tableMeta,
  type AnyRow,
} from '../row-checks.ts';

/** the schema version this build of omvee expects (omvee_schema_version() in the migrations) */
export const SUPABASE_SCHEMA_VERSION = 4;

/** PostgREST's default max-rows on Supabase; larger lists are fetched page by page, until an empty page */
const PAGE_SIZE = 1000;

export type SupabaseStoreOptions = SupabaseConnectOptions;

type Query = any; // postgrest-js builders are deeply generic; we keep our own typing at the port

interface PgResult {
  data: unknown;
  error: { code?: string; message?: string; details?: string | null; hint?: string | null } | null;
  status: number;
}

/** a filter that can match nothing (e.g. a non-UUID id), so no request is needed */
const IMPOSSIBLE = Symbol('impossible');

function checkColumns(table: TableName, keys: Iterable<string>): void {
  for (const key of keys) assertColumn(table, key);
}

/** a new row: the model's required columns, then the same value checks as a patch */
function checkNewRow(table: TableName, row: AnyRow, what: string): void {
  assertPlainObject(row, `${what}: a row`);
  for (const column of REQUIRED_ON_INSERT[table] as readonly string[]) {
    if (row[column] === undefined || row[column] === null) throw invalidInput(`${what}: ${table}.${column} is required`, `give a value for "${column}"`);
  }
  checkPartialRow(table, row);
}

/** drop undefined values: JSON has no undefined, and "not given" must mean "use the default" */
function defined(row: AnyRow): AnyRow {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
}

class SupabaseStore implements Store {
  readonly kind = 'supabase' as const;
  readonly location: string;
  readonly #db: SupabaseClient;
  readonly #feeds = new Set<JobFeed>();

  constructor(db: SupabaseClient, url: string) {
    this.#db = db;
    this.location = displayUrl(url);
  }

  #fail(result: PgResult, what: string): never {
    const e = result.error ?? { message: 'no response' };
    throw mapRemoteError({ status: result.status, code: e.code, message: e.message, details: e.details, hint: e.hint }, what, this.location);
  }

  async #run<T>(builder: PromiseLike<PgResult>, what: string): Promise<T> {
    const result = await builder;
    if (result.error) this.#fail(result, what);
    return result.data as T;
  }

  #applyFilter(query: Query, table: TableName, where: Filter<AnyRow> | undefined): Query | typeof IMPOSSIBLE {
    if (!where) return query;
    checkColumns(table, Object.keys(where));
    let q = query;
    for (const [column, cond] of Object.entries(where)) {
      if (cond === undefined) continue;
      const uuid = tableMeta(table).uuid.has(column);
      const badId = (v: unknown): boolean => uuid && !(typeof v === 'string' && isUuid(v));
      if (cond === null) q = q.is(column, null);
      else if (typeof cond === 'object' && !Array.isArray(cond)) {
        const [op, value] = Object.entries(cond as AnyRow)[0] ?? [];
        if (op === 'in') {
          const values = (value as unknown[]).filter((v) => !badId(v));
          if (values.length === 0) return IMPOSSIBLE;
          q = q.in(column, values);
        } else if (op === 'neq') q = badId(value) ? q.not(column, 'is', null) : q.neq(column, value);
        else if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') q = q[op](column, value);
        else throw invalidInput(`filter on ${table}.${column}: unknown condition ${String(op)}`);
      } else {
        if (badId(cond)) return IMPOSSIBLE;
        q = q.eq(column, cond);
      }
    }
    return q;
  }

  async insert<K extends TableName>(table: K, row: NewRow<K>): Promise<Tables[K]> {
    const [inserted] = await this.insertMany(table, [row]);
    return inserted!;
  }

  async insertMany<K extends TableName>(table: K, rows: readonly NewRow<K>[]): Promise<Tables[K][]> {
    const what = `insert into ${table}`;
    tableMeta(table);
    if (!Array.isArray(rows)) throw invalidInput(`insertMany(${table}) needs an array of rows`);
    const clean = rows.map((r) => defined(r as AnyRow));
    clean.forEach((r) => checkNewRow(table, r, what));
    if (clean.length === 0) return [];
    const data = await this.#run<AnyRow[]>(this.#db.from(table).insert(clean, { defaultToNull: false }).select() as never, what);
    return data.map((r) => normalizeRow(table, r));
  }

  async get<K extends TableName>(table: K, id: string): Promise<Tables[K] | null> {
    const rows = await this.list(table, { where: { id } as Filter<Tables[K]>, limit: 1 });
    return rows[0] ?? null;
  }

  async list<K extends TableName>(table: K, query: ListQuery<Tables[K]> = {}): Promise<Tables[K][]> {
    const what = `list ${table}`;
    const orders = (query.order === undefined ? [] : Array.isArray(query.order) ? query.order : [query.order]) as Order<AnyRow>[];
    tableMeta(table);
    checkColumns(table, orders.map((o) => o.column));
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) throw invalidInput(`${what}: limit must be a whole number ≥ 0`);
    if (query.offset !== undefined && (!Number.isInteger(query.offset) || query.offset < 0)) throw invalidInput(`${what}: offset must be a whole number ≥ 0`);
    const want = query.limit ?? Number.POSITIVE_INFINITY;
    const out: Tables[K][] = [];
    let offset = query.offset ?? 0;
    while (out.length < want) {
      const n = Math.min(PAGE_SIZE, want - out.length);
      let q: Query = this.#db.from(table).select('*');
      const filtered = this.#applyFilter(q, table, query.where as Filter<AnyRow>);
      if (filtered === IMPOSSIBLE) return [];
      q = filtered;
      for (const o of orders) q = q.order(o.column, { ascending: o.ascending ?? true });
      // a stable tie-breaker so pages neither repeat nor skip rows
      if (orders.length === 0) q = q.order('created_at', { ascending: true });
      if (!orders.some((o) => o.column === 'id')) q = q.order('id', { ascending: true });
      q = q.range(offset, offset + n - 1);
      const page = await this.#run<AnyRow[]>(q, what);
      out.push(...page.map((r) => normalizeRow(table, r)));
      // a short page is not the end: the project's "Max rows" may be below what was asked
      if (page.length === 0) break;
      offset += page.length;
    }
    return out;
  }

  async count<K extends TableName>(table: K, where?: Filter<Tables[K]>): Promise<number> {
    const what = `count ${table}`;
    const q = this.#applyFilter(this.#db.from(table).select('id', { count: 'exact' }).limit(1), table, where as Filter<AnyRow>);
    if (q === IMPOSSIBLE) return 0;
    const result = (await q) as PgResult & { count: number | null };
    if (result.error) this.#fail(result, what);
    return result.count ?? 0;
  }

  async update<K extends TableName>(table: K, id: string, patch: RowPatch<K>): Promise<Tables[K]> {
    const row = await this.updateIf(table, id, {}, patch);
    if (!row) throw notFound(TABLE_LABELS[table], id);
    return row;
  }

  async updateIf<K extends TableName>(table: K, id: string, expect: Filter<Tables[K]>, patch: RowPatch<K>): Promise<Tables[K] | null> {
    const what = `update ${table}`;
    const clean = defined(patch as AnyRow);
    tableMeta(table);
    assertPlainObject(expect, `updateIf(${table}) expectation`);
    for (const managed of MANAGED_COLUMNS) {
      if (managed in clean) throw invalidInput(`${what}: ${table}.${managed} cannot be changed by an update`);
    }
    checkPartialRow(table, clean);
    checkColumns(table, Object.keys(expect));
    if (Object.keys(clean).length === 0) {
      const rows = await this.list(table, { where: { ...expect, id } as Filter<Tables[K]>, limit: 1 });
      return rows[0] ?? null;
    }
    const q = this.#applyFilter(this.#db.from(table).update(clean), table, { ...(expect as AnyRow), id } as Filter<AnyRow>);
    if (q === IMPOSSIBLE) return null;
    const rows = await this.#run<AnyRow[]>(q.select(), what);
    return rows[0] ? normalizeRow(table, rows[0]) : null;
  }

  async delete<K extends TableName>(table: K, id: string): Promise<boolean> {
    return (await this.deleteWhere(table, { id } as Filter<Tables[K]>)) > 0;
  }

  async deleteWhere<K extends TableName>(table: K, where: Filter<Tables[K]>): Promise<number> {
    const what = `delete from ${table}`;
    let q: Query = this.#db.from(table).delete();
    // Supabase refuses DELETE without a WHERE clause; "every row" is said explicitly
    if (Object.keys(where).length === 0) q = q.not('id', 'is', null);
    const filtered = this.#applyFilter(q, table, where as Filter<AnyRow>);
    if (filtered === IMPOSSIBLE) return 0;
    const rows = await this.#run<AnyRow[]>(filtered.select('id'), what);
    return rows.length;
  }

  async replaceScenes(projectId: string, scenes: readonly NewRow<'selected_scenes'>[]): Promise<Tables['selected_scenes'][]> {
    const what = 'replace scenes';
    const clean = scenes.map((s) => defined({ ...(s as AnyRow), project_id: projectId }));
    clean.forEach((s) => checkNewRow('selected_scenes', s, what));
    if (!isUuid(projectId)) throw notFound('project', projectId);
    const rows = await this.#rpc<AnyRow[]>('replace_scenes', { p_project_id: projectId, p_scenes: clean }, what);
    return rows.map((r) => normalizeRow('selected_scenes', r)).sort((a, b) => a.order_idx - b.order_idx);
  }

  async #rpc<T>(fn: string, args: AnyRow, what: string): Promise<T> {
    return this.#run<T>(this.#db.rpc(fn, args) as never, what);
  }

  #leaseArgs(lease: JobLease): AnyRow | null {
    assertLease(lease);
    if (!isUuid(lease.id)) return null;
    return { p_job_id: lease.id, p_worker_id: lease.workerId, p_attempt: lease.attempt };
  }

  /** the lease length a renewal asks for; omitted (the lease keeps its length) when the lease names none */
  #renewalArgs(lease: JobLease): AnyRow {
    if (lease.leaseSeconds === undefined) return {};
    return { p_lease_seconds: Math.max(1, Math.round(checkSeconds('leaseSeconds', lease.leaseSeconds, false))) };
  }

  async claimJob(options: ClaimOptions): Promise<Job | null> {
    assertPlainObject(options, 'claim options');
    checkWorkerId(options.workerId);
    checkSeconds('leaseSeconds', options.leaseSeconds, false);
    if (options.types !== undefined && options.types.length === 0) return null;
    if (options.jobId !== undefined && !isUuid(options.jobId)) return null;
    if (options.projectId !== undefined && !isUuid(options.projectId)) return null;
    const rows = await this.#rpc<AnyRow[]>(
      'claim_job',
      {
        p_worker_id: options.workerId,
        p_types: options.types && options.types.length ? [...options.types] : null,
        p_project_id: options.projectId ?? null,
        p_job_id: options.jobId ?? null,
        p_lease_seconds: Math.max(1, Math.round(options.leaseSeconds)),
      },
      'claim a job',
    );
    return rows[0] ? normalizeRow('jobs', rows[0]) : null;
  }

  async heartbeatJob(lease: JobLease, progress?: number): Promise<boolean> {
    const p = progress === undefined ? null : checkProgress(progress);
    const args = this.#leaseArgs(lease);
    if (!args) return false;
    return this.#rpc<boolean>('heartbeat_job', { ...args, ...this.#renewalArgs(lease), p_progress: p }, 'job heartbeat');
  }

  async updateJobProgress(lease: JobLease, progress: number, result?: Record<string, unknown>): Promise<boolean> {
    const p = checkProgress(progress);
    if (result !== undefined) assertPlainObject(result, 'job result');
    const args = this.#leaseArgs(lease);
    if (!args) return false;
    return this.#rpc<boolean>('update_job_progress', { ...args, ...this.#renewalArgs(lease), p_progress: p, p_result: result ?? null }, 'job progress');
  }

  async completeJob(lease: JobLease, result: Record<string, unknown>, costUsd?: number): Promise<Job | null> {
    assertPlainObject(result, 'job result');
    if (costUsd !== undefined && (typeof costUsd !== 'number' || !Number.isFinite(costUsd))) {
      throw invalidInput(`job cost must be a number, got ${String(costUsd)}`);
    }
    const args = this.#leaseArgs(lease);
    if (!args) return null;
    const rows = await this.#rpc<AnyRow[]>('complete_job', { ...args, p_result: result, p_cost_usd: costUsd ?? null }, 'complete a job');
    return rows[0] ? normalizeRow('jobs', rows[0]) : null;
  }

  async failJob(lease: JobLease, error: string, options: FailOptions): Promise<Job | null> {
    assertPlainObject(options, 'fail options');
    const backoff = checkSeconds('backoffSeconds', options.backoffSeconds ?? 0, true);
    const args = this.#leaseArgs(lease);
    if (!args) return null;
    const rows = await this.#rpc<AnyRow[]>(
      'fail_job',
      { ...args, p_error: error, p_retry: options.retry, p_backoff_seconds: backoff },
      'fail a job',
    );
    return rows[0] ? normalizeRow('jobs', rows[0]) : null;
  }

  async releaseJob(lease: JobLease): Promise<boolean> {
    const args = this.#leaseArgs(lease);
    if (!args) return false;
    return this.#rpc<boolean>('release_job', args, 'release a job');
  }

  async recoverExpiredJobs(leaseSeconds: number): Promise<number> {
    checkSeconds('leaseSeconds', leaseSeconds, false);
    // the SQL function takes whole seconds; a sub-second lease rounds up, never down to 0
    return this.#rpc<number>('recover_expired_jobs', { p_lease_seconds: Math.max(1, Math.round(leaseSeconds)) }, 'recover expired jobs');
  }

  async cancelJob(id: string, reason?: string): Promise<Job> {
    if (!isUuid(id)) throw notFound('job', id, JOB_NOT_FOUND_HINT);
    const rows = await this.#rpc<AnyRow[]>('cancel_job', { p_job_id: id, p_reason: reason ?? null }, 'cancel a job');
    if (rows[0]) return normalizeRow('jobs', rows[0]);
    const job = await this.get('jobs', id);
    if (!job) throw notFound('job', id, JOB_NOT_FOUND_HINT);
    throw new OmveeError('conflict', `job ${id} is ${job.status}; only pending or running jobs can be canceled`);
  }

  async retryJob(id: string, options: { resetAttempts?: boolean } = {}): Promise<Job> {
    if (!isUuid(id)) throw notFound('job', id, JOB_NOT_FOUND_HINT);
    const rows = await this.#rpc<AnyRow[]>('retry_job', { p_job_id: id, p_reset_attempts: options.resetAttempts ?? false }, 'retry a job');
    if (rows[0]) return normalizeRow('jobs', rows[0]);
    const job = await this.get('jobs', id);
    if (!job) throw notFound('job', id, JOB_NOT_FOUND_HINT);
    throw new OmveeError('conflict', `job ${id} is ${job.status}; only failed or canceled jobs can be retried`);
  }

  // ---- following jobs ---------------------------------------------------------------------

  async subscribeJobs(target: JobFeedTarget, options: JobFeedOptions): Promise<JobFeed> {
    if ('jobId' in target && !isUuid(target.jobId)) throw notFound('job', target.jobId, JOB_NOT_FOUND_HINT);
    if (!('jobId' in target) && target.projectId !== undefined && !isUuid(target.projectId)) throw notFound('project', target.projectId);
    const feed = await openSupabaseJobFeed(this.#db, this, target, options);
    this.#feeds.add(feed);
    return {
      get mode() {
        return feed.mode;
      },
      close: async () => {
        this.#feeds.delete(feed);
        await feed.close();
      },
    };
  }

  async schemaInfo(): Promise<SchemaInfo> {
    const result = (await this.#db.rpc('omvee_schema_version')) as PgResult;
    if (result.error) {
      const code = result.error.code ?? '';
      if (code === 'PGRST202' || code === '42883') return { version: 0, latest: SUPABASE_SCHEMA_VERSION };
      this.#fail(result, 'read the schema version');
    }
    return { version: Number(result.data), latest: SUPABASE_SCHEMA_VERSION };
  }

  async close(): Promise<void> {
    // REST calls keep no connection open; job feeds hold the Realtime socket
    for (const feed of [...this.#feeds]) await feed.close();
    this.#feeds.clear();
  }
}

export async function openSupabaseStore(options: SupabaseStoreOptions): Promise<Store> {
  const client = await createOmveeClient(options);
  return new SupabaseStore(client, options.url);
}
