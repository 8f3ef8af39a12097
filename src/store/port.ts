/**
 * The Store port: everything omvee keeps in a database goes through this interface.
 * Adapters: src/store/local (embedded SQLite, the default) and src/store/supabase
 * (supabase-js / PostgREST). One contract suite (test/contract/store.contract.ts) runs on each.
 *
 * Errors: adapters throw OmveeError — 'not_found' for a missing row on update, 'conflict' for a
 * unique-key clash, 'invalid_input' for a row that breaks a constraint, 'store' for anything else
 * (with a hint naming the fix). A failed call changes nothing.
 */
import type { JobType } from '../core/enums.ts';
import type { Job, NewRow, RowPatch, TableName, Tables } from '../core/model.ts';

/** A condition on one column. A bare value means equality; null means IS NULL. */
export type Condition<V> =
  | V
  | null
  | { in: readonly V[] }
  | { neq: V }
  | { gt: V }
  | { gte: V }
  | { lt: V }
  | { lte: V };

export type Filter<T> = { [C in keyof T]?: Condition<NonNullable<T[C]>> };

export interface Order<T> {
  column: keyof T & string;
  ascending?: boolean; // default true
}

export interface ListQuery<T> {
  where?: Filter<T>;
  order?: Order<T> | readonly Order<T>[];
  limit?: number;
  offset?: number;
}

export type { JobType };

/** Proof that a worker holds a job: only this worker, on this attempt, may move it on. */
export interface JobLease {
  id: string;
  workerId: string;
  attempt: number;
  /**
   * the holder's lease length: a heartbeat or progress update renews the lease until now + this.
   * Optional (additive): when absent the lease keeps the length it was claimed with.
   */
  leaseSeconds?: number;
}

export interface ClaimOptions {
  workerId: string;
  /** lease length: a job whose heartbeat is older than this is considered abandoned */
  leaseSeconds: number;
  types?: readonly JobType[];
  projectId?: string;
  /** claim exactly this job (used by in-process runs); it must be claimable */
  jobId?: string;
}

export interface FailOptions {
  /** true: return to pending after backoff if attempts remain; false: fail for good */
  retry: boolean;
  /** delay before the next attempt (the caller computes backoff with jitter) */
  backoffSeconds?: number;
}

/** What a job feed follows: one job, the jobs of one project, or every job the caller may see. */
export type JobFeedTarget = { jobId: string } | { projectId?: string };

/** 'live': changes are pushed (Supabase Realtime); 'polling': the feed asks the store itself */
export type JobFeedMode = 'live' | 'polling';

export interface JobFeedOptions {
  /**
   * A followed job row changed. Every change made after the feed started is delivered, oldest
   * first per job; when polling, changes quicker than one poll arrive as their latest state, but
   * every row that changed is delivered (a job that starts and ends between two polls included).
   * A row may arrive twice; heartbeats are changes too.
   */
  onChange: (job: Job) => void;
  /** a followed job row was deleted (reported by live feeds; polling cannot see deletions) */
  onRemove?: (id: string) => void;
  /** the feed switched between pushed changes and polling, with the reason */
  onMode?: (mode: JobFeedMode, reason?: string) => void;
  /** a poll failed (the feed keeps trying) */
  onError?: (error: unknown) => void;
  /** how often to poll while polling (default 1000 ms) */
  pollMs?: number;
  /** false: never open a live connection, only poll (default true) */
  live?: boolean;
}

export interface JobFeed {
  readonly mode: JobFeedMode;
  /** stop following; releases the live connection */
  close(): Promise<void>;
}

export interface SchemaInfo {
  version: number;
  latest: number;
}

export interface Store {
  readonly kind: 'local' | 'supabase';
  /** human-readable location, e.g. a file path or a URL (never contains secrets) */
  readonly location: string;

  insert<K extends TableName>(table: K, row: NewRow<K>): Promise<Tables[K]>;
  /** all or nothing */
  insertMany<K extends TableName>(table: K, rows: readonly NewRow<K>[]): Promise<Tables[K][]>;
  get<K extends TableName>(table: K, id: string): Promise<Tables[K] | null>;
  list<K extends TableName>(table: K, query?: ListQuery<Tables[K]>): Promise<Tables[K][]>;
  count<K extends TableName>(table: K, where?: Filter<Tables[K]>): Promise<number>;
  /** throws not_found when the row does not exist */
  update<K extends TableName>(table: K, id: string, patch: RowPatch<K>): Promise<Tables[K]>;
  /**
   * Update only when the row currently matches `expect` (compare-and-set).
   * Returns the updated row, or null when the row is missing or did not match.
   */
  updateIf<K extends TableName>(
    table: K,
    id: string,
    expect: Filter<Tables[K]>,
    patch: RowPatch<K>,
  ): Promise<Tables[K] | null>;
  /** returns whether a row was deleted; deleting a project cascades to its child rows */
  delete<K extends TableName>(table: K, id: string): Promise<boolean>;
  deleteWhere<K extends TableName>(table: K, where: Filter<Tables[K]>): Promise<number>;

  /**
   * Atomically replace a project's scenes (and, by cascade, their prompts, takes and
   * approvals) with new ones. Either every new scene is stored or nothing changes.
   */
  replaceScenes(projectId: string, scenes: readonly NewRow<'selected_scenes'>[]): Promise<Tables['selected_scenes'][]>;

  // ---- the job queue -------------------------------------------------------------------
  /**
   * Atomically take one runnable job (pending with run_after <= now, oldest first), mark it
   * running, count the attempt, set locked_by/locked_at/heartbeat_at and
   * lease_expires_at = now + leaseSeconds. null when none.
   */
  claimJob(options: ClaimOptions): Promise<Job | null>;
  /** renew the lease (and optionally report progress); false when the lease is lost */
  heartbeatJob(lease: JobLease, progress?: number): Promise<boolean>;
  /** record progress/result details for a held job without finishing it */
  updateJobProgress(lease: JobLease, progress: number, result?: Record<string, unknown>): Promise<boolean>;
  completeJob(lease: JobLease, result: Record<string, unknown>, costUsd?: number): Promise<Job | null>;
  /** failed (or back to pending with run_after when retry and attempts remain); null when lease lost */
  failJob(lease: JobLease, error: string, options: FailOptions): Promise<Job | null>;
  /** give a held job back to the queue without counting the attempt as spent */
  releaseJob(lease: JobLease): Promise<boolean>;
  /**
   * Return running jobs whose lease has expired (lease_expires_at < now) to the queue, or fail
   * them when their attempts are spent. Returns how many were recovered. `leaseSeconds` (> 0)
   * only judges rows without a stored lease_expires_at (heartbeat older than it = expired).
   */
  recoverExpiredJobs(leaseSeconds: number): Promise<number>;
  /** cancel a pending or running job; the holder notices on its next heartbeat */
  cancelJob(id: string, reason?: string): Promise<Job>;
  /** put a failed or canceled job back to pending */
  retryJob(id: string, options?: { resetAttempts?: boolean }): Promise<Job>;

  // ---- following jobs --------------------------------------------------------------------
  /**
   * Follow changes of job rows (`jobs watch`). Resolves once the feed follows: every change
   * after that point is delivered — pushed over Supabase Realtime (RLS decides what a user
   * hears), or, locally and whenever Realtime cannot be reached, by polling the rows updated
   * since the last look. `close()` the feed when done (closing the store closes its feeds).
   */
  subscribeJobs(target: JobFeedTarget, options: JobFeedOptions): Promise<JobFeed>;

  schemaInfo(): Promise<SchemaInfo>;
  close(): Promise<void>;
}
