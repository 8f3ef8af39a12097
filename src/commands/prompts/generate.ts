import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { openPipeline, providerChoice } from '../../cli/pipeline.ts';
import { resolveProject } from '../../core/projects.ts';

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const pipeline = await openPipeline(ctx, providerChoice(options));
  const project = await resolveProject(pipeline.services.store, args[0]!);
  const job = await pipeline.step('generate_prompts', project, { force: options.force === true }, `writing prompts (${pipeline.plan.director} director)`, (j) => `${String(j.result?.created)} prompts written`);
  const result = { project_id: project.id, job_id: job.id, ...(job.result ?? {}), cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
