/**
 * Showing what the paid providers would cost (--dry-run) and refusing up front when it is over
 * --max-cost, for `run`, `images generate` and `clips generate`. The estimate itself comes from
 * src/app/spend.ts.
 */
import type { Pipeline } from '../app/pipeline.ts';
import { estimateRun, estimateTakes, type RunEstimateInput, type SpendEstimate, type SpendOptions } from '../app/spend.ts';
import { roundUsd } from '../core/cost/prices.ts';
import { OmveeError } from '../core/errors.ts';
import type { Project } from '../core/model.ts';
import type { CliContext } from './context.ts';
import { formatUsd, printList } from './output.ts';

export interface SpendFlags extends SpendOptions {
  dryRun: boolean;
}

/** Print the estimate (dry run) and/or refuse when it is over --max-cost. Returns true when the command should stop here. */
async function settle(ctx: CliContext, flags: SpendFlags, { project, estimate, spent }: SpendEstimate): Promise<boolean> {
  const over = flags.maxCostUsd !== undefined && spent + estimate.totalUsd > flags.maxCostUsd + 1e-9;
  if (flags.dryRun) {
    const report = {
      dry_run: true,
      project_id: project?.id ?? null,
      lines: estimate.lines,
      estimate_usd: estimate.totalUsd,
      spent_usd: spent,
      max_cost_usd: flags.maxCostUsd ?? null,
      note: estimate.note,
    };
    const rows = [...estimate.lines.map((l) => ({ step: l.step, model: l.model, usd: formatUsd(l.usd), detail: l.detail })), { step: 'total', model: '', usd: formatUsd(estimate.totalUsd), detail: spent > 0 ? `plus ${formatUsd(spent)} already spent` : '' }];
    printList(ctx, rows, [
      { header: 'step', value: (r) => r.step },
      { header: 'model', value: (r) => r.model },
      { header: 'usd', value: (r) => r.usd, align: 'right' },
      { header: 'detail', value: (r) => r.detail },
    ], report);
    if (estimate.lines.length === 0) ctx.info('nothing left to pay for: the paid steps are done or run locally');
    ctx.info(`dry run: nothing was stored or paid for (${estimate.note})`);
  }
  if (over) {
    throw new OmveeError('budget', `the estimated cost ${formatUsd(estimate.totalUsd)}${spent > 0 ? ` plus ${formatUsd(spent)} already spent` : ''} is over --max-cost ${formatUsd(flags.maxCostUsd!)}`, {
      hint: 'raise --max-cost, choose cheaper models (OMVEE_IMAGE_MODEL, OMVEE_CLIP_MODEL) or local providers; see the breakdown with --dry-run',
      details: { estimateUsd: estimate.totalUsd, spentUsd: roundUsd(spent), maxCostUsd: flags.maxCostUsd },
    });
  }
  return flags.dryRun;
}

/** `omvee run`: estimate before anything is created. Returns true when the command should stop (dry run). */
export async function runPreflight(ctx: CliContext, input: RunEstimateInput & { batch?: boolean; flags: SpendFlags }): Promise<boolean> {
  if (!input.flags.dryRun && input.flags.maxCostUsd === undefined) return false;
  if (input.batch) {
    if (input.flags.dryRun) throw new OmveeError('usage', '--dry-run does not work with --batch', { hint: 'estimate one song at a time: omvee run song.mp3 --dry-run' });
    return false; // --max-cost is enforced per project by the budget guard
  }
  return settle(ctx, input.flags, await estimateRun(await ctx.services(), input));
}

/** `images generate` / `clips generate`: estimate the takes to make. Returns true when the command should stop (dry run). */
export async function stepPreflight(ctx: CliContext, pipeline: Pick<Pipeline, 'services' | 'plan'>, project: Project, steps: 'images' | 'clips', options: { sceneNumbers?: readonly number[] | undefined; newTake?: boolean }, flags: SpendFlags): Promise<boolean> {
  if (!flags.dryRun && flags.maxCostUsd === undefined) return false;
  return settle(ctx, flags, await estimateTakes(pipeline, project, steps, options));
}
