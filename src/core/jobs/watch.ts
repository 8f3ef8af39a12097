/**
 * Following jobs until they end, by polling the store (works the same on both backends and
 * across machines). One job by id, or every job of a project (or of the whole store) that is
 * pending or running now or starts while we watch. Rendering is the caller's business.
 */
import { OmveeError } from '../errors.ts';
import type { Filter, Store } from '../../store/port.ts';
import type { Job } from '../model.ts';
import { defaultSleep, type Sleep } from './worker.ts';

export type WatchTarget = { jobId: string } | { projectId?: string };

export interface WatchOptions {
  intervalMs?: number;
  signal?: AbortSignal;
  sleep?: Sleep;
  /** called after every poll with the watched jobs in creation order */
  onUpdate?: (jobs: readonly Job[]) => void;
}

export const FINAL_STATUSES: ReadonlySet<Job['status']> = new Set(['completed', 'failed', 'canceled']);
export const isFinished = (job: Job): boolean => FINAL_STATUSES.has(job.status);

/** Watch until every watched job has finished; returns their final rows (creation order). */
export async function watchJobs(store: Store, target: WatchTarget, options: WatchOptions = {}): Promise<Job[]> {
  const interval = options.intervalMs ?? 1000;
  const sleep = options.sleep ?? defaultSleep;
  const watched = new Map<string, Job>();
  for (;;) {
    if (options.signal?.aborted) throw new OmveeError('interrupted', 'interrupted', { hint: 'the jobs keep running; watch them again with `omvee jobs watch`' });
    let active: Job[];
    if ('jobId' in target) {
      const job = await store.get('jobs', target.jobId);
      if (!job) throw new OmveeError('not_found', `job ${target.jobId} disappeared`, { hint: 'see `omvee jobs list`' });
      watched.set(job.id, job);
      active = isFinished(job) ? [] : [job];
    } else {
      const where: Filter<Job> = { status: { in: ['pending', 'running'] } };
      if (target.projectId !== undefined) where.project_id = target.projectId;
      active = await store.list('jobs', { where, order: [{ column: 'created_at' }, { column: 'id' }], limit: 10_000 });
      const activeIds = new Set(active.map((j) => j.id));
      // jobs we saw running that are no longer active: fetch how they ended
      const ended = [...watched.values()].filter((j) => !activeIds.has(j.id) && !isFinished(j)).map((j) => j.id);
      for (const job of active) watched.set(job.id, job);
      if (ended.length > 0) {
        for (const job of await store.list('jobs', { where: { id: { in: ended } } })) watched.set(job.id, job);
      }
    }
    const jobs = [...watched.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    options.onUpdate?.(jobs);
    if (active.length === 0) return jobs;
    await sleep(interval, options.signal);
  }
}

/** Watched jobs that failed or were canceled (what `--exit-status` reports). */
export function unsuccessful(jobs: readonly Job[]): Job[] {
  return jobs.filter((j) => j.status === 'failed' || j.status === 'canceled');
}
