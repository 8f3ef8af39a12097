import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { cancelJob, type CancelHook } from '../../core/jobs/cancel.ts';
import { resolveJob } from '../../core/jobs/find.ts';

/**
 * What else to stop when a job is canceled, beyond the row itself (the worker holding the job
 * notices on its next heartbeat). The provider layer adds a hook here that cancels the job's
 * in-flight Replicate predictions.
 */
async function cancelHooks(ctx: CliContext): Promise<CancelHook[]> {
  const config = await ctx.config();
  if (!config.values.REPLICATE_API_TOKEN) return [];
  const { cancelInFlightPredictions } = await import('../../app/providers.ts');
  return [
    async (job, store) => {
      // only image and clip steps start paid predictions
      if (!job.project_id || (job.type !== 'generate_images' && job.type !== 'generate_clips')) return 0;
      return cancelInFlightPredictions(config, store, job.project_id, (message) => ctx.warn(message));
    },
  ];
}

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const { store } = await ctx.services();
  const job = await resolveJob(store, args[0] ?? '');
  const outcome = await cancelJob(store, job, { reason: 'canceled by an operator', hooks: await cancelHooks(ctx) });
  for (const error of outcome.hookErrors) ctx.warn(`could not stop everything the job started: ${error}`);
  if (!outcome.changed) ctx.info(`job ${job.id} was already canceled`);
  else ctx.success(`job ${job.id} (${job.type}) canceled${job.status === 'running' ? `; its worker ${job.locked_by ?? ''} stops at its next heartbeat` : ''}${outcome.stopped ? `; ${outcome.stopped} in-flight prediction${outcome.stopped === 1 ? '' : 's'} canceled` : ''}`);
  printValue(ctx, outcome.job.id, outcome.job);
}
