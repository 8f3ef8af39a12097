import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../cli/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { openPipeline, providerChoice } from '../../cli/pipeline.ts';
import { parseSpendOptions, stepPreflight } from '../../cli/spend.ts';
import { parseSceneNumbers } from '../../cli/scene-args.ts';
import { enqueueStep } from '../../core/pipeline/run-step.ts';
import { resolveProject } from '../../core/projects.ts';
import { parseConcurrency } from '../shared-parse.ts';

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const scenes = parseSceneNumbers(options.scene as string[] | undefined);
  const concurrency = parseConcurrency(options.concurrency);
  const payload = { ...(scenes ? { scenes } : {}), new_take: options.newTake === true };
  const spend = parseSpendOptions(options);
  if (options.detach === true && (spend.dryRun || spend.maxCostUsd !== undefined)) throw new OmveeError('usage', '--dry-run and --max-cost need the generation to run here, not --detach', { hint: 'drop --detach, or estimate first with --dry-run and then enqueue' });
  if (options.detach === true) {
    const { store } = await ctx.services();
    const project = await resolveProject(store, args[0]!);
    const job = await enqueueStep(store, 'generate_images', project.id, payload);
    ctx.info(`queued job ${job.id}; run it with: omvee worker --once`);
    printRecord(ctx, [['job_id', job.id]], { job_id: job.id, project_id: project.id, type: job.type, status: job.status });
    return;
  }
  const pipeline = await openPipeline(ctx, providerChoice(options), concurrency ? { images: concurrency } : {}, spend);
  const project = await resolveProject(pipeline.services.store, args[0]!);
  if (await stepPreflight(ctx, pipeline, project, 'images', { sceneNumbers: scenes, newTake: options.newTake === true }, spend)) return;
  const job = await pipeline.step('generate_images', project, payload, `generating images (${pipeline.plan.images})`, (j) => `${String(j.result?.generated)} images generated, ${String(j.result?.skipped)} already done`);
  const result = { project_id: project.id, job_id: job.id, generated: job.result?.generated, skipped: job.result?.skipped, cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
