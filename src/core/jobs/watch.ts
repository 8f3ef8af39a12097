/**
 * Following jobs until they end, through the store's job feed (Store.subscribeJobs): pushed
 * over Supabase Realtime when it can be, else by polling the rows updated since the last look —
 * so every job is counted, however short. One job by id, or every job of a project (or of the
 * whole store) that is pending or running now or changes while we watch. Rendering is the
 * caller's business.
 */
import { OmveeError } from '../errors.ts';
import type { JobFeedMode, JobFeedTarget, Store } from '../../store/port.ts';
import type { Job } from '../model.ts';

export type WatchTarget = JobFeedTarget;

export interface WatchOptions {
  /** how often to poll while the feed polls (default 1000 ms) */
  intervalMs?: number;
  signal?: AbortSignal;
  /** false: poll only, never a live connection */
  live?: boolean;
  /** a watched job appeared or changed what a person sees: status, progress, attempts, error or result */
  onChange?: (job: Job) => void;
  /** after every batch of changes, with the watched jobs in creation order */
  onUpdate?: (jobs: readonly Job[]) => void;
  /** the feed went live or fell back to polling */
  onMode?: (mode: JobFeedMode, reason?: string) => void;
  /** reading the store failed; the watch keeps trying */
  onError?: (error: unknown) => void;
  /** while polling, how often the unfinished jobs are read again to notice deleted ones (default 15 s) */
  reconcileMs?: number;
}

export const FINAL_STATUSES: ReadonlySet<Job['status']> = new Set(['completed', 'failed', 'canceled']);
export const isFinished = (job: Job): boolean => FINAL_STATUSES.has(job.status);

const visible = (job: Job): string => JSON.stringify([job.status, job.progress, job.attempts, job.error, job.result]);
const byCreation = (a: Job, b: Job): number => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
const interrupted = () => new OmveeError('interrupted', 'interrupted', { hint: 'the jobs keep running; watch them again with `omvee jobs watch`' });

/** Watch until every watched job has finished; returns their final rows (creation order). */
export async function watchJobs(store: Store, target: WatchTarget, options: WatchOptions = {}): Promise<Job[]> {
  const watched = new Map<string, Job>();
  /** next links of finished chains (result.next_job_id) not seen yet */
  const expected = new Set<string>();
  const inbox: ({ job: Job } | { removed: string })[] = [];
  let wake: (() => void) | null = null;
  const notify = () => wake?.();
  let mode: JobFeedMode = 'polling';

  const feed = await store.subscribeJobs(target, {
    onChange: (job) => {
      inbox.push({ job });
      notify();
    },
    onRemove: (id) => {
      inbox.push({ removed: id });
      notify();
    },
    onMode: (m, reason) => {
      mode = m;
      options.onMode?.(m, reason);
    },
    onError: (error) => options.onError?.(error),
    pollMs: options.intervalMs ?? 1000,
    ...(options.live === false ? { live: false } : {}),
  });
  mode = feed.mode;

  const apply = (job: Job): void => {
    if ('jobId' in target && job.id !== target.jobId) return;
    const known = watched.get(job.id);
    if (known && Date.parse(known.updated_at) > Date.parse(job.updated_at)) return; // an older version
    watched.set(job.id, job);
    expected.delete(job.id);
    const next = job.status === 'completed' ? job.result?.next_job_id : undefined;
    if (typeof next === 'string' && !watched.has(next) && !('jobId' in target)) expected.add(next);
    if (!known || visible(known) !== visible(job)) options.onChange?.(job);
  };
  let deleted = false;
  const remove = (id: string): void => {
    if ('jobId' in target && id === target.jobId) deleted = true;
    watched.delete(id);
    expected.delete(id);
  };
  const sorted = () => [...watched.values()].sort(byCreation);
  const done = () => [...watched.values()].every(isFinished) && expected.size === 0;

  /** read these jobs directly (a chain's next link, or deletions the poller cannot see) */
  const reread = async (ids: string[]): Promise<void> => {
    if (ids.length === 0) return;
    const rows = await store.list('jobs', { where: { id: { in: ids } } });
    for (const job of rows) apply(job);
    const found = new Set(rows.map((j) => j.id));
    for (const id of ids) if (!found.has(id)) remove(id);
  };

  const abort = () => notify();
  options.signal?.addEventListener('abort', abort);
  try {
    // what is there now; everything after the feed started arrives through it
    if ('jobId' in target) {
      const job = await store.get('jobs', target.jobId);
      if (!job) throw new OmveeError('not_found', `job ${target.jobId} disappeared`, { hint: 'see `omvee jobs list`' });
      apply(job);
    } else {
      const active = await store.list('jobs', {
        where: { status: { in: ['pending', 'running'] }, ...(target.projectId !== undefined ? { project_id: target.projectId } : {}) },
        order: [{ column: 'created_at' }, { column: 'id' }],
        limit: 10_000,
      });
      for (const job of active) apply(job);
    }
    let lastReconcile = Date.now();
    const reconcileMs = options.reconcileMs ?? 15_000;
    for (;;) {
      while (inbox.length > 0) {
        const item = inbox.shift()!;
        if ('job' in item) apply(item.job);
        else remove(item.removed);
      }
      if (expected.size > 0) await reread([...expected]).catch((error: unknown) => options.onError?.(error));
      if (deleted && 'jobId' in target) throw new OmveeError('not_found', `job ${target.jobId} was deleted while watching`, { hint: 'see `omvee jobs list`' });
      options.onUpdate?.(sorted());
      if (done()) return sorted();
      if (options.signal?.aborted) throw interrupted();
      // polling cannot see deletions: now and then read the unfinished jobs themselves
      if (mode === 'polling' && Date.now() - lastReconcile >= reconcileMs) {
        lastReconcile = Date.now();
        await reread([...watched.values()].filter((j) => !isFinished(j)).map((j) => j.id)).catch((error: unknown) => options.onError?.(error));
        continue;
      }
      // wait for changes; redraw at least once a second (elapsed times move on)
      await new Promise<void>((resolve) => {
        if (inbox.length > 0 || options.signal?.aborted) return resolve();
        const timer = setTimeout(finish, 1000);
        function finish(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = finish;
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await feed.close();
  }
}

/** Watched jobs that failed or were canceled (what `--exit-status` reports). */
export function unsuccessful(jobs: readonly Job[]): Job[] {
  return jobs.filter((j) => j.status === 'failed' || j.status === 'canceled');
}
