import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { retryJob } from '../../core/jobs/cancel.ts';
import { resolveJob } from '../../core/jobs/find.ts';

export const Options = z.object({ resetAttempts: z.boolean().optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const job = await retryJob(store, await resolveJob(store, args[0] ?? ''), { resetAttempts: opts.resetAttempts === true });
  ctx.success(`job ${job.id} (${job.type}) is pending again; attempts used ${job.attempts} of ${job.max_attempts}${job.attempts >= job.max_attempts ? ' (one more try; --reset-attempts for a full set)' : ''}`);
  ctx.info(`a worker picks it up (omvee worker), or follow it with: omvee jobs watch ${job.id}`);
  printValue(ctx, job.id, job);
}
