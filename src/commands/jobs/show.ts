import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { resolveJob } from '../../core/jobs/find.ts';
import { jobFields } from './view.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const { store } = await ctx.services();
  const job = await resolveJob(store, args[0] ?? '');
  printRecord(ctx, jobFields(job), job);
}
