/**
 * A queue worker: claims runnable jobs and runs them with their handlers until stopped.
 *
 * - `concurrency` slots, each a loop of claim → run → claim; an idle slot polls with a small
 *   growing backoff (so an empty queue costs a few queries a second, not a busy loop).
 * - Expired leases (workers that died) are returned to the queue periodically, so a job held
 *   by a killed worker is finished by another one once its lease runs out.
 * - `once`: drain what is runnable now, then return (for CI).
 * - `stop()`: stop claiming; running jobs get `graceMs` to finish, then their signal aborts and
 *   the runner gives them back to the queue. A second `stop()` releases them at once.
 * - A claim that fails for a reason no retry can fix (the key was rejected, the session can no
 *   longer be refreshed, permission denied: codes 'config' and 'permission') stops claiming in
 *   every slot; running jobs finish, then run() throws that error (the worker exits non-zero
 *   with its hint instead of polling forever).
 *
 * Pure core: the store, handlers, clock and sleep are handed in; nothing here touches process.*.
 */
import { OmveeError } from '../errors.ts';
import type { JobType, Store } from '../../store/port.ts';
import type { Job } from '../model.ts';
import { runClaimedJob, type JobHandler, type JobOutcome } from './runner.ts';

export type WorkerEvent =
  | { type: 'start'; job: Job }
  | { type: 'progress'; job: Job; percent: number; detail: string | undefined }
  | { type: 'finish'; job: Job; outcome: JobOutcome; ms: number }
  | { type: 'recovered'; count: number }
  | { type: 'stopping'; immediate: boolean; running: number }
  | { type: 'error'; error: unknown };

export interface WorkerSummary {
  completed: number;
  failed: number;
  /** failed attempts that went back to the queue for another try */
  retried: number;
  canceled: number;
  released: number;
  lost: number;
  /** store errors while claiming or recovering */
  errors: number;
  durationMs: number;
}

/** Sleep `ms`, resolving early (not rejecting) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface WorkerOptions {
  store: Store;
  handlers: Partial<Record<JobType, JobHandler>>;
  workerId: string;
  /** parallel jobs in this worker (default 1) */
  concurrency?: number;
  /** only these job types (default: the types that have a handler) */
  types?: readonly JobType[];
  projectId?: string;
  /** drain what is runnable now, then return */
  once?: boolean;
  /** lease length in seconds (default 60); heartbeats every third of it */
  leaseSeconds?: number;
  /** how long running jobs may take to finish after stop() (default 30 s) */
  graceMs?: number;
  /** idle polling: starts at idleMinMs, doubles up to idleMaxMs (defaults 100 / 2000) */
  idleMinMs?: number;
  idleMaxMs?: number;
  /** how often expired leases are recovered (default: half the lease) */
  recoverEveryMs?: number;
  backoffSeconds?: (attempt: number) => number;
  progressIntervalMs?: number;
  onEvent?: (event: WorkerEvent) => void;
  now?: () => number;
  sleep?: Sleep;
}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** consecutive claim errors after which a `once` worker gives up instead of retrying */
const ONCE_ERROR_LIMIT = 3;

/** errors that the next claim would hit again: configuration, credentials, permissions */
export function isFatalClaimError(error: unknown): boolean {
  return error instanceof OmveeError && (error.code === 'config' || error.code === 'permission');
}

export class Worker {
  readonly workerId: string;
  readonly #o: WorkerOptions;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #types: readonly JobType[];
  /** aborts idle sleeps and ends claiming */
  readonly #stopClaiming = new AbortController();
  /** aborts running jobs: the runner then releases them */
  readonly #abortJobs = new AbortController();
  /** fires when run() is over, to cut the grace timer short */
  readonly #finished = new AbortController();
  readonly #running = new Map<string, Job>();
  #stops = 0;
  #started = false;
  #fatal: OmveeError | null = null;
  readonly #summary: WorkerSummary = { completed: 0, failed: 0, retried: 0, canceled: 0, released: 0, lost: 0, errors: 0, durationMs: 0 };

  constructor(options: WorkerOptions) {
    if (!options.workerId) throw new OmveeError('invalid_input', 'a worker needs a worker id');
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new OmveeError('usage', `concurrency must be a whole number ≥ 1, got ${concurrency}`);
    this.#o = options;
    this.workerId = options.workerId;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#types = options.types ?? (Object.keys(options.handlers) as JobType[]);
  }

  /** jobs this worker is running right now */
  get running(): readonly Job[] {
    return [...this.#running.values()];
  }

  get stopping(): boolean {
    return this.#stops > 0;
  }

  /** Claim and run jobs until stopped (or, with `once`, until nothing runnable is left). */
  async run(): Promise<WorkerSummary> {
    if (this.#started) throw new OmveeError('internal', 'a worker runs only once');
    this.#started = true;
    const startedAt = this.#now();
    const recoverer = this.#recoverLoop();
    const slots = Array.from({ length: this.#o.concurrency ?? 1 }, () => this.#slot());
    await Promise.all(slots);
    this.#finished.abort();
    this.#stopClaiming.abort();
    await recoverer;
    this.#summary.durationMs = this.#now() - startedAt;
    if (this.#fatal) {
      const f = this.#fatal;
      throw new OmveeError(f.code, `the worker stopped claiming jobs: ${f.message}`, { hint: f.hint, cause: f, details: { ...f.details, summary: { ...this.#summary } } });
    }
    return { ...this.#summary };
  }

  /** First call: stop claiming and give running jobs the grace period. Second: release them now. */
  stop(): void {
    this.#stops += 1;
    const immediate = this.#stops > 1 || (this.#o.graceMs ?? 30_000) <= 0;
    this.#emit({ type: 'stopping', immediate, running: this.#running.size });
    this.#stopClaiming.abort();
    if (immediate) {
      this.#abortJobs.abort(new OmveeError('interrupted', 'worker stopped'));
      return;
    }
    if (this.#stops === 1) {
      void this.#sleep(this.#o.graceMs ?? 30_000, this.#finished.signal).then(() => {
        if (!this.#finished.signal.aborted) this.#abortJobs.abort(new OmveeError('interrupted', 'worker stopped: grace period over'));
      });
    }
  }

  #emit(event: WorkerEvent): void {
    try {
      this.#o.onEvent?.(event);
    } catch {
      // a broken listener must not stop the worker
    }
  }

  async #recover(): Promise<void> {
    try {
      const count = await this.#o.store.recoverExpiredJobs(this.#leaseSeconds());
      if (count > 0) this.#emit({ type: 'recovered', count });
    } catch (error) {
      this.#summary.errors += 1;
      if (isFatalClaimError(error)) return this.#giveUp(error as OmveeError);
      this.#emit({ type: 'error', error });
    }
  }

  #giveUp(error: OmveeError): void {
    this.#fatal ??= error;
    this.#stopClaiming.abort();
  }

  async #recoverLoop(): Promise<void> {
    await this.#recover();
    if (this.#o.once) return;
    const every = this.#o.recoverEveryMs ?? Math.max(250, (this.#leaseSeconds() * 1000) / 2);
    while (!this.#stopClaiming.signal.aborted) {
      await this.#sleep(every, this.#stopClaiming.signal);
      if (this.#stopClaiming.signal.aborted) break;
      await this.#recover();
    }
  }

  #leaseSeconds(): number {
    return this.#o.leaseSeconds ?? 60;
  }

  async #slot(): Promise<void> {
    const idleMin = this.#o.idleMinMs ?? 100;
    const idleMax = this.#o.idleMaxMs ?? 2000;
    let idle = idleMin;
    let consecutiveErrors = 0;
    while (!this.#stopClaiming.signal.aborted) {
      let job: Job | null;
      try {
        job = await this.#o.store.claimJob({
          workerId: this.workerId,
          leaseSeconds: this.#leaseSeconds(),
          types: this.#types,
          ...(this.#o.projectId !== undefined ? { projectId: this.#o.projectId } : {}),
        });
        consecutiveErrors = 0;
      } catch (error) {
        this.#summary.errors += 1;
        consecutiveErrors += 1;
        if (isFatalClaimError(error)) return this.#giveUp(error as OmveeError);
        this.#emit({ type: 'error', error });
        if (this.#o.once && consecutiveErrors >= ONCE_ERROR_LIMIT) return;
        await this.#sleep(idle, this.#stopClaiming.signal);
        idle = Math.min(idleMax, idle * 2);
        continue;
      }
      if (!job) {
        if (this.#o.once) return;
        await this.#sleep(idle, this.#stopClaiming.signal);
        idle = Math.min(idleMax, idle * 2);
        continue;
      }
      idle = idleMin;
      // claimed after stop() began (the claim was already in flight): hand it straight back
      if (this.#stopClaiming.signal.aborted) {
        await this.#o.store.releaseJob({ id: job.id, workerId: this.workerId, attempt: job.attempts }).catch(() => false);
        this.#summary.released += 1;
        return;
      }
      await this.#runOne(job);
    }
  }

  async #runOne(job: Job): Promise<void> {
    this.#running.set(job.id, job);
    this.#emit({ type: 'start', job });
    const started = this.#now();
    const handler = this.#o.handlers[job.type] ?? missingHandler;
    let outcome: JobOutcome;
    try {
      outcome = await runClaimedJob(job, handler, {
        store: this.#o.store,
        workerId: this.workerId,
        leaseSeconds: this.#leaseSeconds(),
        signal: this.#abortJobs.signal,
        onProgress: (j, percent, detail) => this.#emit({ type: 'progress', job: j, percent, detail }),
        ...(this.#o.backoffSeconds ? { backoffSeconds: this.#o.backoffSeconds } : {}),
        ...(this.#o.progressIntervalMs !== undefined ? { progressIntervalMs: this.#o.progressIntervalMs } : {}),
      });
    } catch (error) {
      // the store failed while completing/failing: the lease will expire and the job be retried
      outcome = { status: 'lost', error };
    } finally {
      this.#running.delete(job.id);
    }
    switch (outcome.status) {
      case 'completed':
        this.#summary.completed += 1;
        break;
      case 'failed':
        if (outcome.willRetry) this.#summary.retried += 1;
        else this.#summary.failed += 1;
        break;
      case 'canceled':
        this.#summary.canceled += 1;
        break;
      case 'released':
        this.#summary.released += 1;
        break;
      case 'lost':
        this.#summary.lost += 1;
        break;
    }
    this.#emit({ type: 'finish', job, outcome, ms: this.#now() - started });
  }
}

const missingHandler: JobHandler = async (job) => {
  throw new OmveeError('invalid_input', `no handler for job type ${job.type} in this worker`);
};
