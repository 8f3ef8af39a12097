/**
 * Run a step as a job in this process: enqueue it, claim exactly that job, run it under its
 * lease. If a worker elsewhere claimed it first, wait for that worker to finish it instead.
 */
import { OmveeError } from '../errors.ts';
import type { HolderProbe } from '../jobs/exclusive.ts';
import { runClaimedJob, type JobOutcome } from '../jobs/runner.ts';
import type { Job } from '../model.ts';
import type { JobType, Store } from '../../store/port.ts';
import type { PipelineDeps } from './deps.ts';
import { stepHandlers, type Payload } from './handlers.ts';

export interface StepRunOptions {
  workerId: string;
  leaseSeconds: number;
  signal: AbortSignal;
  onProgress?: (job: Job, percent: number, detail: string | undefined) => void;
  /** in-process runs fail at once by default: the person is watching */
  maxAttempts?: number;
  /** tells whether the omvee holding this step elsewhere still runs (see jobs/exclusive.ts) */
  holderAlive?: HolderProbe;
}

export async function enqueueStep<T extends JobType>(store: Store, type: T, projectId: string, payload: Payload<T>, maxAttempts = 3): Promise<Job> {
  return store.insert('jobs', { type, project_id: projectId, payload: payload as Record<string, unknown>, max_attempts: maxAttempts, run_after: new Date().toISOString() });
}

export async function runStep<T extends JobType>(deps: PipelineDeps, type: T, projectId: string, payload: Payload<T>, options: StepRunOptions): Promise<Job> {
  const job = await enqueueStep(deps.store, type, projectId, payload, options.maxAttempts ?? 1);
  const claimed = await deps.store.claimJob({ workerId: options.workerId, leaseSeconds: options.leaseSeconds, jobId: job.id });
  if (!claimed) return waitForJob(deps.store, job.id, options.signal);
  const outcome = await runClaimedJob(claimed, stepHandlers(deps, { holderAlive: options.holderAlive })[type], {
    store: deps.store,
    workerId: options.workerId,
    leaseSeconds: options.leaseSeconds,
    signal: options.signal,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (outcome.status === 'released') {
    // the person stopped this run: a job handed back to the queue would be picked up later by
    // a worker nobody expects, and `jobs watch --project` would wait for it forever; resuming
    // (`omvee run --project`) enqueues fresh jobs anyway
    await deps.store.cancelJob(job.id, 'interrupted').catch(() => undefined);
  }
  return settle(outcome, job.id, projectId);
}

function settle(outcome: JobOutcome, jobId: string, projectId: string): Job {
  switch (outcome.status) {
    case 'completed':
      return outcome.job;
    case 'failed':
      throw outcome.error instanceof OmveeError
        ? outcome.error
        : new OmveeError('job_failed', `job ${jobId} failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`, { cause: outcome.error });
    case 'canceled':
      throw new OmveeError('aborted', `job ${jobId} was canceled`, { hint: `see: omvee jobs show ${jobId}` });
    case 'released':
      throw new OmveeError('interrupted', 'interrupted', { hint: `finished work is kept; run the command again (or omvee run --project ${projectId}) to resume` });
    case 'lost':
      throw new OmveeError('job_failed', `job ${jobId} lost its lease (another worker took it over)`, { hint: `see: omvee jobs show ${jobId}` });
  }
}

/** Poll a job someone else runs until it ends. */
export async function waitForJob(store: Store, jobId: string, signal: AbortSignal, intervalMs = 500): Promise<Job> {
  for (;;) {
    const job = await store.get('jobs', jobId);
    if (!job) throw new OmveeError('not_found', `job ${jobId} disappeared`);
    if (job.status === 'completed') return job;
    if (job.status === 'failed') throw new OmveeError('job_failed', `job ${jobId} failed: ${job.error ?? 'unknown error'}`, { hint: `see: omvee jobs show ${jobId}` });
    if (job.status === 'canceled') throw new OmveeError('aborted', `job ${jobId} was canceled`);
    if (signal.aborted) throw new OmveeError('interrupted', 'interrupted');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
