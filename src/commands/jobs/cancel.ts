import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { cancelJob, type CancelHook } from '../../core/jobs/cancel.ts';
import { resolveJob } from '../../core/jobs/find.ts';

/**
 * What else to stop when a job is canceled, beyond the row itself (the worker holding the job
 * notices on its next heartbeat): the paid work its takes started, through the providers that
 * can cancel it (src/app/providers.ts, from the registry).
 */
async function cancelHooks(ctx: CliContext): Promise<CancelHook[]> {
  const config = await ctx.config();
  const { canCancelWork, cancelInFlightWork } = await import('../../app/providers.ts');
  if (!canCancelWork(config)) return [];
  const tables = { generate_images: 'generated_images', generate_clips: 'video_clips' } as const;
  return [
    async (job, store) => {
      // only image and clip steps start paid work
      const table = tables[job.type as keyof typeof tables];
      if (!job.project_id || !table) return 0;
      return cancelInFlightWork(config, store, job.project_id, (message) => ctx.warn(message), [table]);
    },
  ];
}

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const job = await resolveJob(store, args[0] ?? '');
  const outcome = await cancelJob(store, job, { reason: 'canceled by an operator', hooks: await cancelHooks(ctx) });
  for (const error of outcome.hookErrors) ctx.warn(`could not stop everything the job started: ${error}`);
  if (!outcome.changed) ctx.info(`job ${job.id} was already canceled`);
  else ctx.success(`job ${job.id} (${job.type}) canceled${job.status === 'running' ? `; its worker ${job.locked_by ?? ''} stops at its next heartbeat` : ''}${outcome.stopped ? `; ${outcome.stopped} in-flight prediction${outcome.stopped === 1 ? '' : 's'} canceled` : ''}`);
  printValue(ctx, outcome.job.id, outcome.job);
}
