/**
 * Canceling and retrying jobs from an operator's shell. Cancel marks the row; the worker that
 * holds the job notices on its next heartbeat and aborts the handler. Work that lives outside
 * omvee (a Replicate prediction already paid for and running) is stopped by cancel hooks: the
 * provider layer registers one that cancels a canceled job's in-flight predictions.
 */
import { OmveeError } from '../errors.ts';
import type { Store } from '../../store/port.ts';
import type { Job } from '../model.ts';

/** Stops work a canceled job started elsewhere; returns how many things it stopped. */
export type CancelHook = (job: Job, store: Store) => Promise<number>;

export interface CancelOutcome {
  job: Job;
  /** false when the job was already canceled */
  changed: boolean;
  /** what the hooks stopped (e.g. predictions), summed */
  stopped: number;
  /** hook failures: the job is canceled anyway */
  hookErrors: string[];
}

export async function cancelJob(store: Store, job: Job, options: { reason?: string; hooks?: readonly CancelHook[] } = {}): Promise<CancelOutcome> {
  if (job.status === 'completed' || job.status === 'failed') {
    throw new OmveeError('conflict', `job ${job.id} is already ${job.status}; only pending or running jobs can be canceled`, {
      hint: job.status === 'failed' ? `run it again with \`omvee jobs retry ${job.id}\`` : 'nothing to cancel',
    });
  }
  const changed = job.status !== 'canceled';
  const canceled = changed ? await store.cancelJob(job.id, options.reason ?? 'canceled by an operator') : job;
  let stopped = 0;
  const hookErrors: string[] = [];
  for (const hook of options.hooks ?? []) {
    try {
      stopped += await hook(canceled, store);
    } catch (error) {
      hookErrors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { job: canceled, changed, stopped, hookErrors };
}

export async function retryJob(store: Store, job: Job, options: { resetAttempts?: boolean } = {}): Promise<Job> {
  if (job.status !== 'failed' && job.status !== 'canceled') {
    const hint =
      job.status === 'completed'
        ? 'a completed job is not run again; rerun the step instead (e.g. `omvee images generate --new-take`)'
        : `it is still ${job.status}; follow it with \`omvee jobs watch ${job.id}\` or cancel it first`;
    throw new OmveeError('conflict', `job ${job.id} is ${job.status}; only failed or canceled jobs can be retried`, { hint });
  }
  const retried = await store.retryJob(job.id, { resetAttempts: options.resetAttempts === true });
  return retried;
}

