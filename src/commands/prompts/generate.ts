import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import { providerChoiceOf, providerFlags } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ force: z.boolean().optional(), ...providerFlags(['director']) }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const pipeline = await openCommandPipeline(ctx, { choice: providerChoiceOf(options) });
  const project = await projectFor(ctx, pipeline.services.store, args[0]!);
  const job = await pipeline.step('generate_prompts', project, { force: options.force === true }, `writing prompts (${pipeline.plan.director} director)`, (j) => `${String(j.result?.created)} prompts written`);
  const result = { project_id: project.id, job_id: job.id, ...(job.result ?? {}), cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
