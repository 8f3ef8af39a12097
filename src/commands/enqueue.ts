/** `--detach`: queue one step as a job for `omvee worker` and print its id. */
import type { CliContext } from '../cli/context.ts';
import { printRecord } from '../cli/output.ts';
import type { Payload } from '../core/pipeline/handlers.ts';
import { enqueueStep } from '../core/pipeline/run-step.ts';
import type { JobType } from '../store/port.ts';
import { projectFor } from './resolve.ts';

export async function enqueueDetached<T extends JobType>(ctx: CliContext, projectRef: string, type: T, payload: Payload<T>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, projectRef);
  const job = await enqueueStep(store, type, project.id, payload);
  ctx.info(`queued job ${job.id}; run it with: omvee worker --once, follow it with: omvee jobs watch ${job.id}`);
  printRecord(ctx, [['job_id', job.id]], { job_id: job.id, project_id: project.id, type: job.type, status: job.status });
}
