/**
 * Each job type's handler, from the step registry: read the job's payload (checked by the
 * step's schema), load the project, run the step. The same handlers run in-process (`omvee run`,
 * `images generate`, …) and in `omvee worker`.
 */
import { z } from 'zod';
import { OmveeError } from '../errors.ts';
import { describeIssueAt } from '../zod-issues.ts';
import { assertExclusive, type HolderProbe } from '../jobs/exclusive.ts';
import type { JobHandler } from '../jobs/runner.ts';
import type { Job } from '../model.ts';
import type { PipelineDeps } from './deps.ts';
import type { StepDefinition } from './step-definition.ts';
import { JOB_TYPES, STEPS, type JobType } from './steps.ts';

export type { Payload } from './steps.ts';

/**
 * A job may carry the steps that follow it (`chain`): when it completes, the first of them is
 * enqueued with the rest as its own chain. This is how `omvee run --detach` queues a whole
 * pipeline for workers. Steps are idempotent, so a chain link enqueued twice does no work twice.
 */
export interface ChainLink {
  type: JobType;
  payload: Record<string, unknown>;
}
const ChainSchema = z.array(z.object({ type: z.enum(JOB_TYPES), payload: z.record(z.string(), z.unknown()) })).optional();

export function chainOf(job: Job): ChainLink[] {
  const parsed = ChainSchema.safeParse((job.payload as { chain?: unknown } | null)?.chain);
  return parsed.success && parsed.data ? parsed.data : [];
}

/** The job types a worker may claim (not the ones that need the machine's own files). */
export async function workerJobTypes(): Promise<JobType[]> {
  const types: JobType[] = [];
  for (const entry of STEPS) if (((await entry.load()).default as StepDefinition).worker) types.push(entry.type);
  return types;
}

async function projectOf(deps: PipelineDeps, job: Job) {
  if (!job.project_id) throw new OmveeError('invalid_input', `job ${job.id} has no project`);
  const project = await deps.store.get('projects', job.project_id);
  if (!project) throw new OmveeError('not_found', `project ${job.project_id} of job ${job.id} no longer exists`);
  return project;
}

/**
 * The handlers as workers and in-process runs use them: each first makes sure no other live
 * omvee is running the same step of the same project (see ../jobs/exclusive.ts), then runs the
 * step, then enqueues the next link of its chain.
 */
export function stepHandlers(deps: PipelineDeps, options: { holderAlive?: HolderProbe | undefined } = {}): Record<JobType, JobHandler> {
  const handlers = {} as Record<JobType, JobHandler>;
  for (const entry of STEPS) {
    handlers[entry.type] = async (job, control) => {
      await assertExclusive(deps.store, job, { holderAlive: options.holderAlive, ...(control.lease.leaseSeconds !== undefined ? { leaseSeconds: control.lease.leaseSeconds } : {}) });
      const definition = (await entry.load()).default as StepDefinition;
      const parsed = definition.payload.safeParse(job.payload ?? {});
      if (!parsed.success) throw new OmveeError('invalid_input', `job ${job.id} has an invalid payload: ${parsed.error.issues[0] ? describeIssueAt(parsed.error.issues[0]) : 'unreadable'}`);
      const outcome = await definition.run(deps, await projectOf(deps, job), parsed.data, control);
      const [next, ...rest] = chainOf(job);
      if (next && job.project_id) {
        const queued = await deps.store.insert('jobs', {
          type: next.type,
          project_id: job.project_id,
          payload: { ...next.payload, ...(rest.length ? { chain: rest } : {}) },
          max_attempts: job.max_attempts,
          run_after: new Date().toISOString(),
        });
        return { ...outcome, result: { ...outcome.result, next_job_id: queued.id } };
      }
      return outcome;
    };
  }
  return handlers;
}
