/**
 * One runner per (project, step type): two omvee processes working on the same step of the
 * same project (two `omvee clips generate P`, or an in-process run plus a worker) would both
 * pick the same unfinished takes and both pay the provider. After a job is claimed and before
 * its handler runs, it looks at the other running jobs of the same type and project whose lease
 * is live: when one of them holds the step before it, this job must not run.
 *
 * "Before" is claim order (locked_at, then id), not creation order: a job is only ever checked
 * against jobs that are running, so ordering by claim time means every later claimer sees every
 * earlier one (the claim is stored before the check), and the first one keeps going whether or
 * not it has already passed its own check. Ordering by creation time would let an old queued
 * job, claimed late, start beside a newer job that was already well under way.
 */
import { OmveeError } from '../errors.ts';
import type { Store } from '../../store/port.ts';
import type { Job } from '../model.ts';

/** lease length assumed for rows that carry no lease_expires_at (claimed by an older omvee) */
export const DEFAULT_LEASE_SECONDS = 60;

function time(iso: string | null): number {
  if (iso === null) return Number.NaN;
  return Date.parse(iso);
}

/**
 * Whether a running job's holder is still alive: its stored lease ends in the future, or (rows
 * without a stored lease end) its last heartbeat is within `leaseSeconds`.
 */
export function leaseIsLive(job: Job, now: number, leaseSeconds = DEFAULT_LEASE_SECONDS): boolean {
  if (job.status !== 'running') return false;
  const expires = time(job.lease_expires_at);
  if (!Number.isNaN(expires)) return expires > now;
  const beat = time(job.heartbeat_at ?? job.locked_at);
  if (Number.isNaN(beat)) return false;
  return now - beat <= leaseSeconds * 1000;
}

/** True when `a` holds the step before `b`: claimed earlier; same instant (or unknown): smaller id. */
export function holdsBefore(a: Job, b: Job): boolean {
  const ta = time(a.locked_at);
  const tb = time(b.locked_at);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta < tb;
  return a.id < b.id;
}

/** The conflict error that makes a job wait for another one (workers retry it later). */
export function busyError(job: Job, holder: Job): OmveeError {
  const step = job.type.replace(/_/g, ' ');
  return new OmveeError('conflict', `another omvee is already running ${step} for this project (job ${holder.id}, worker ${holder.locked_by ?? 'unknown'})`, {
    hint: `wait for it (omvee jobs watch ${holder.id}) or cancel it (omvee jobs cancel ${holder.id})`,
    details: { busy_job_id: holder.id },
  });
}

/** Whether an error is the "another omvee holds this step" conflict of {@link assertExclusive}. */
export function isBusyConflict(error: unknown): error is OmveeError {
  return error instanceof OmveeError && error.code === 'conflict' && typeof error.details?.['busy_job_id'] === 'string';
}

/**
 * Whether the process holding a job (named by its worker id) is still running: false when it is
 * known to be gone (e.g. a `kill -9`ed omvee on this machine, whose lease has not run out yet),
 * undefined when this process cannot tell (another machine). Handed in by the CLI.
 */
export type HolderProbe = (workerId: string) => boolean | undefined;

export interface ExclusiveOptions {
  /** lease length for judging rows without a stored lease end */
  leaseSeconds?: number;
  now?: () => number;
  /** lets a rerun go ahead at once when the holder is known dead rather than wait out its lease */
  holderAlive?: HolderProbe | undefined;
}

function holderIsGone(job: Job, probe: HolderProbe | undefined): boolean {
  return probe !== undefined && job.locked_by !== null && probe(job.locked_by) === false;
}

/**
 * The running job (other than `job`) that holds `job`'s step before it, or null when `job` may
 * proceed. Jobs without a project are never exclusive.
 */
export async function earlierHolder(store: Store, job: Job, options: ExclusiveOptions = {}): Promise<Job | null> {
  if (!job.project_id) return null;
  const now = (options.now ?? Date.now)();
  const running = await store.list('jobs', { where: { type: job.type, project_id: job.project_id, status: 'running' } });
  const holders = running
    .filter((other) => other.id !== job.id && leaseIsLive(other, now, options.leaseSeconds) && holdsBefore(other, job) && !holderIsGone(other, options.holderAlive))
    .sort((a, b) => (holdsBefore(a, b) ? -1 : 1));
  return holders[0] ?? null;
}

/** Throw the busy conflict when another live job holds this job's step first. */
export async function assertExclusive(store: Store, job: Job, options: ExclusiveOptions = {}): Promise<void> {
  const holder = await earlierHolder(store, job, options);
  if (holder) throw busyError(job, holder);
}
