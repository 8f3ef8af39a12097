/**
 * `images generate` and `clips generate`: the same command for two steps — scene selection,
 * new takes, concurrency, spending flags, --detach — differing only in the step they run.
 */
import { z } from 'zod';
import type { CommandInput } from '../cli/action.ts';
import type { CliContext } from '../cli/context.ts';
import { OmveeError } from '../core/errors.ts';
import { printRecord } from '../cli/output.ts';
import { stepPreflight } from '../cli/spend.ts';
import { enqueueDetached } from './enqueue.ts';
import { providerChoiceOf, providerFlags, spendOf, takeFlags } from './flag-schemas.ts';
import { openCommandPipeline } from './pipeline.ts';
import { projectFor } from './resolve.ts';

const STEPS = {
  images: { type: 'generate_images', noun: 'images' },
  clips: { type: 'generate_clips', noun: 'clips' },
} as const;

export function takeOptions<K extends keyof typeof STEPS>(kind: K) {
  return z.object({ ...takeFlags, ...providerFlags([kind]) }).strict();
}

type TakeOptions = z.output<ReturnType<typeof takeOptions>>;

export async function generateTakes(ctx: CliContext, { args, options }: CommandInput<TakeOptions>, kind: keyof typeof STEPS): Promise<void> {
  const { type, noun } = STEPS[kind];
  const scenes = options.scene;
  const payload = { ...(scenes ? { scenes } : {}), new_take: options.newTake === true };
  const spend = spendOf(options);
  if (options.detach === true) {
    if (spend.dryRun || spend.maxCostUsd !== undefined) {
      throw new OmveeError('usage', '--dry-run and --max-cost need the generation to run here, not --detach', { hint: 'drop --detach, or estimate first with --dry-run and then enqueue' });
    }
    return enqueueDetached(ctx, args[0]!, type, payload);
  }
  const pipeline = await openCommandPipeline(ctx, { choice: providerChoiceOf(options as Record<string, string | undefined>), concurrency: options.concurrency ? { [kind]: options.concurrency } : {}, spend });
  const project = await projectFor(ctx, pipeline.services.store, args[0]!);
  if (await stepPreflight(ctx, pipeline, project, kind, { sceneNumbers: scenes, newTake: options.newTake === true }, spend)) return;
  const job = await pipeline.step(type, project, payload, `generating ${noun} (${pipeline.plan[kind]})`, (j) => `${String(j.result?.generated)} ${noun} generated, ${String(j.result?.skipped)} already done`);
  const result = { project_id: project.id, job_id: job.id, generated: job.result?.generated, skipped: job.result?.skipped, cost_usd: job.cost_usd };
  printRecord(ctx, Object.entries(result), result);
}
