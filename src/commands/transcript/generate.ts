import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { providerChoiceOf, providerFlags } from '../flag-schemas.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ language: z.string().regex(/^[a-z]{2,3}$/i, 'a language code such as en').optional(), ...providerFlags(['transcriber']) }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const pipeline = await openCommandPipeline(ctx, { choice: providerChoiceOf(opts) });
  const project = await projectFor(ctx, pipeline.services.store, args[0]!);
  const job = await pipeline.step('transcribe', project, { mode: 'provider', ...(opts.language ? { language: opts.language } : {}) }, `transcribing with ${pipeline.plan.transcriber}`);
  const result = { project_id: project.id, job_id: job.id, ...(job.result ?? {}), cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
