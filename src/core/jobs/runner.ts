/**
 * Running one job while holding its lease: heartbeats renew the lease (and notice a cancel or
 * a lost lease, which aborts the work), progress is written to the row (throttled), and the
 * job is completed or failed only through the lease — so a stale worker cannot overwrite a
 * job that someone else has re-claimed.
 */
import { OmveeError } from '../errors.ts';
import type { JobLease, Store } from '../../store/port.ts';
import type { Job } from '../model.ts';
import { isBusyConflict } from './exclusive.ts';

export interface JobControl {
  readonly job: Job;
  readonly lease: JobLease;
  /** aborted when the caller stops, the job is canceled, or the lease is lost */
  readonly signal: AbortSignal;
  /** report progress 0–100 with a short description of what is happening */
  progress(percent: number, detail?: string): void;
}

export type JobHandler = (job: Job, control: JobControl) => Promise<{ result: Record<string, unknown>; costUsd?: number }>;

export interface RunJobOptions {
  store: Store;
  workerId: string;
  leaseSeconds: number;
  signal?: AbortSignal;
  onProgress?: (job: Job, percent: number, detail: string | undefined) => void;
  /** backoff before a retry, in seconds, for attempt n (1-based) */
  backoffSeconds?: (attempt: number) => number;
  /**
   * the least time between two progress writes of one job (default 500 ms: at most 2 a second,
   * which is what a watcher can show; the latest value is written when the interval ends, and
   * before the job completes or fails)
   */
  progressIntervalMs?: number;
}

export type JobOutcome =
  | { status: 'completed'; job: Job }
  | { status: 'failed'; job: Job | null; error: unknown; willRetry: boolean }
  | { status: 'canceled'; job: Job | null }
  | { status: 'released'; job: Job | null }
  | { status: 'lost'; error: unknown };

/** Exponential backoff with full jitter, capped: base * 2^(attempt-1), at most cap seconds. */
export function backoffWithJitter(attempt: number, options: { baseSeconds?: number; capSeconds?: number; random?: () => number } = {}): number {
  const base = options.baseSeconds ?? 5;
  const cap = options.capSeconds ?? 300;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const random = options.random ?? Math.random;
  return Math.max(1, Math.round(ceiling * (0.5 + random() * 0.5)));
}

/**
 * Errors worth another attempt: network trouble and provider hiccups, not bad input; and
 * 'conflict' (another omvee holds the step, or a concurrent writer got there first), which
 * clears up once the other one is done.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof OmveeError) return error.code === 'network' || error.code === 'provider' || error.code === 'store' || error.code === 'conflict';
  return false;
}

/** seconds a queued job waits before looking again whether the step it needs is still held */
export const BUSY_RETRY_SECONDS = 15;

export async function runClaimedJob(job: Job, handler: JobHandler, options: RunJobOptions): Promise<JobOutcome> {
  const { store } = options;
  // the lease length travels with the lease so every heartbeat renews it for this worker's length
  const lease: JobLease = { id: job.id, workerId: options.workerId, attempt: job.attempts, leaseSeconds: options.leaseSeconds };
  const abort = new AbortController();
  let lostReason: 'canceled' | 'lost' | null = null;
  const onOuterAbort = () => abort.abort(options.signal?.reason ?? new Error('stopped'));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  // the row's progress as claimed (a released job keeps how far it got)
  let lastPercent = job.progress;
  let writtenPercent = job.progress;
  let lastWrite = 0;
  let pendingWrite: Promise<unknown> = Promise.resolve();
  let trailing: NodeJS.Timeout | null = null;
  const interval = options.progressIntervalMs ?? 500;
  const writeProgress = (): void => {
    if (trailing) clearTimeout(trailing);
    trailing = null;
    if (lastPercent === writtenPercent) return;
    const p = lastPercent;
    writtenPercent = p;
    lastWrite = Date.now();
    pendingWrite = pendingWrite.then(() => store.updateJobProgress(lease, p).catch(() => undefined));
  };
  /** the final progress reaches the row before the job's last state does */
  const flushProgress = async (): Promise<void> => {
    writeProgress();
    await pendingWrite;
  };

  const heartbeatMs = Math.max(200, Math.floor((options.leaseSeconds * 1000) / 3));
  const heartbeat = setInterval(() => {
    void store
      .heartbeatJob(lease, lastPercent)
      .then(async (held) => {
        if (held) return;
        const current = await store.get('jobs', job.id).catch(() => null);
        lostReason = current?.status === 'canceled' ? 'canceled' : 'lost';
        abort.abort(new OmveeError('aborted', lostReason === 'canceled' ? 'job was canceled' : 'job lease was lost'));
      })
      .catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref?.();

  const control: JobControl = {
    job,
    lease,
    signal: abort.signal,
    progress(percent, detail) {
      const p = Math.max(0, Math.min(100, Math.round(percent)));
      options.onProgress?.(job, p, detail);
      if (p === lastPercent) return;
      lastPercent = p;
      // throttled: at most one write per interval; the latest value is written when it ends
      const wait = interval - (Date.now() - lastWrite);
      if (wait <= 0) writeProgress();
      else if (!trailing) {
        trailing = setTimeout(writeProgress, wait);
        trailing.unref?.();
      }
    },
  };

  try {
    const { result, costUsd } = await handler(job, control);
    clearInterval(heartbeat);
    await flushProgress();
    const done = await store.completeJob(lease, result, costUsd);
    if (done) return { status: 'completed', job: done };
    // refused: canceled meanwhile (before a heartbeat noticed), or someone else holds the job now
    const current = await store.get('jobs', job.id).catch(() => null);
    if (current?.status === 'canceled') return { status: 'canceled', job: current };
    return { status: 'lost', error: new OmveeError('job_failed', `job ${job.id} could not be completed: its lease was lost`) };
  } catch (error) {
    clearInterval(heartbeat);
    await flushProgress();
    if (lostReason === 'canceled') return { status: 'canceled', job: await store.get('jobs', job.id) };
    if (lostReason === 'lost') return { status: 'lost', error };
    if (options.signal?.aborted) {
      // stopped from outside (Ctrl-C, worker shutdown): give the job back, keep what is done
      await store.releaseJob(lease).catch(() => false);
      return { status: 'released', job: await store.get('jobs', job.id).catch(() => null) };
    }
    if (isBusyConflict(error) && job.max_attempts > 1) {
      // another omvee holds this step: wait for it without spending an attempt (it may run for
      // a long time); in-process runs (max_attempts 1) fail at once with the clear message
      const deferred = await deferBusyJob(store, lease, error.message, options.backoffSeconds);
      if (deferred) return { status: 'failed', job: deferred, error, willRetry: true };
    }
    const retry = isRetryable(error);
    const message = error instanceof Error ? error.message : String(error);
    const failed = await store.failJob(lease, message, { retry, backoffSeconds: (options.backoffSeconds ?? ((n) => backoffWithJitter(n)))(job.attempts) });
    if (!failed) {
      const current = await store.get('jobs', job.id).catch(() => null);
      if (current?.status === 'canceled') return { status: 'canceled', job: current };
      return { status: 'lost', error };
    }
    return { status: 'failed', job: failed, error, willRetry: failed.status === 'pending' };
  } finally {
    clearInterval(heartbeat);
    if (trailing) clearTimeout(trailing);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Give a job back to the queue (the attempt is not counted) to run again after a while. null
 * when the lease was lost meanwhile; the job may already be claimed again by then, which is fine.
 */
async function deferBusyJob(store: Store, lease: JobLease, message: string, backoff: RunJobOptions['backoffSeconds']): Promise<Job | null> {
  if (!(await store.releaseJob(lease).catch(() => false))) return null;
  const seconds = Math.max(1, backoff ? backoff(1) : BUSY_RETRY_SECONDS);
  const runAfter = new Date(Date.now() + seconds * 1000).toISOString();
  const waiting = await store.updateIf('jobs', lease.id, { status: 'pending' }, { run_after: runAfter, error: message }).catch(() => null);
  return waiting ?? (await store.get('jobs', lease.id).catch(() => null));
}
