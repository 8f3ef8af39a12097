import { z } from 'zod';
import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { parseOptions } from '../../cli/parse.ts';
import { openPipeline, providerChoice } from '../../cli/pipeline.ts';
import { resolveProject } from '../../core/projects.ts';

const Options = z.object({ language: z.string().regex(/^[a-z]{2,3}$/i, 'a language code such as en').optional() }).passthrough();

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const opts = parseOptions(Options, options);
  const pipeline = await openPipeline(ctx, providerChoice(options));
  const project = await resolveProject(pipeline.services.store, args[0]!);
  const job = await pipeline.step('transcribe', project, { mode: 'provider', ...(opts.language ? { language: opts.language } : {}) }, `transcribing with ${pipeline.plan.transcriber}`);
  const result = { project_id: project.id, job_id: job.id, ...(job.result ?? {}), cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
