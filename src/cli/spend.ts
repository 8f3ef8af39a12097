/**
 * Spending flags shared by `run`, `images generate` and `clips generate`:
 *   --dry-run         print what the remaining work would cost, then stop (nothing stored, nothing paid)
 *   --max-cost USD    refuse up front when spent + estimate > USD, and stop before any generation
 *                     that would take the project over it (the budget guard in core/cost)
 *   --cancel-on-exit  on Ctrl-C cancel in-flight predictions instead of leaving them to re-attach
 */
import { loadPriceTable, planModels, planProviders, type ProviderChoice, type ProviderPlan } from '../app/providers.ts';
import type { Services } from '../app/services.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { createBudgetGuard, type BudgetGuard } from '../core/cost/budget.ts';
import { planWork, priceWork, unitPrice, type PlanWorkInput } from '../core/cost/estimate.ts';
import { projectSpentUsd } from '../core/cost/project-cost.ts';
import { roundUsd } from '../providers/cost.ts';
import type { Project } from '../core/model.ts';
import { resolveProject } from '../core/projects.ts';
import type { SceneBounds } from '../core/timeline/index.ts';
import type { Estimate } from '../providers/cost.ts';
import type { Store } from '../store/port.ts';
import type { CliContext } from './context.ts';
import { OmveeError } from '../core/errors.ts';
import { formatUsd, printList } from './output.ts';

export interface SpendOptions {
  maxCostUsd?: number | undefined;
  cancelOnExit?: boolean | undefined;
}
export interface SpendFlags extends SpendOptions {
  dryRun: boolean;
}

export function parseSpendOptions(options: Record<string, unknown>): SpendFlags {
  let maxCostUsd: number | undefined;
  if (options.maxCost !== undefined) {
    const text = String(options.maxCost).trim().replace(/^\$/, '');
    maxCostUsd = Number(text);
    if (text === '' || !Number.isFinite(maxCostUsd) || maxCostUsd < 0) {
      throw new OmveeError('usage', `invalid --max-cost "${String(options.maxCost)}"`, { hint: 'an amount in US dollars, e.g. --max-cost 5 or --max-cost 0.50' });
    }
  }
  return { dryRun: options.dryRun === true, maxCostUsd, cancelOnExit: options.cancelOnExit === true };
}

/** The guard the image/clip steps consult before each new prediction. */
export async function budgetGuard(config: ResolvedConfig, store: Store, plan: ProviderPlan, maxUsd: number): Promise<BudgetGuard> {
  const [table, models] = await Promise.all([loadPriceTable(config), planModels(config, plan)]);
  return createBudgetGuard({
    maxUsd,
    spentUsd: (projectId) => projectSpentUsd(store, projectId),
    estimateUsd: (work) => unitPrice(table, models, work.kind, work.sceneDurationS),
  });
}

interface EstimateReport {
  dry_run: boolean;
  project_id: string | null;
  lines: Estimate['lines'];
  estimate_usd: number;
  spent_usd: number;
  max_cost_usd: number | null;
  note: string;
}

async function estimateFor(services: Services, plan: ProviderPlan, project: Project | null, work: PlanWorkInput): Promise<{ estimate: Estimate; spent: number }> {
  const [table, models] = await Promise.all([loadPriceTable(services.config), planModels(services.config, plan, project?.height ?? 720)]);
  const planned = await planWork(services.store, project, work);
  const spent = project ? await projectSpentUsd(services.store, project.id) : 0;
  return { estimate: priceWork(table, models, planned), spent };
}

/** Print the estimate (dry run) and/or refuse when it is over --max-cost. Returns true when the command should stop here. */
async function settle(ctx: CliContext, project: Project | null, flags: SpendFlags, estimate: Estimate, spent: number): Promise<boolean> {
  const over = flags.maxCostUsd !== undefined && spent + estimate.totalUsd > flags.maxCostUsd + 1e-9;
  if (flags.dryRun) {
    const report: EstimateReport = {
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

export interface RunPreflightInput {
  audio?: string | undefined;
  projectRef?: string | undefined;
  batch?: boolean;
  lyrics: boolean;
  bounds: SceneBounds;
  choice: ProviderChoice;
  flags: SpendFlags;
}

/** `omvee run`: estimate before anything is created. Returns true when the command should stop (dry run). */
export async function runPreflight(ctx: CliContext, input: RunPreflightInput): Promise<boolean> {
  if (!input.flags.dryRun && input.flags.maxCostUsd === undefined) return false;
  if (input.batch) {
    if (input.flags.dryRun) throw new OmveeError('usage', '--dry-run does not work with --batch', { hint: 'estimate one song at a time: omvee run song.mp3 --dry-run' });
    return false; // --max-cost is enforced per project by the budget guard
  }
  const services = await ctx.services();
  const plan = planProviders(services.config, input.choice);
  let project: Project | null = null;
  let durationS: number;
  if (input.projectRef !== undefined) {
    project = await resolveProject(services.store, input.projectRef);
    durationS = project.audio_duration_s ?? 0;
  } else {
    durationS = (await (await services.media()).probeAudio(input.audio!)).durationS;
  }
  const { estimate, spent } = await estimateFor(services, plan, project, { durationS, bounds: input.bounds, lyrics: input.lyrics, steps: 'all' });
  return settle(ctx, project, input.flags, estimate, spent);
}

/** `images generate` / `clips generate`: estimate the takes to make. Returns true when the command should stop (dry run). */
export async function stepPreflight(
  ctx: CliContext,
  pipeline: { services: Services; plan: ProviderPlan },
  project: Project,
  steps: 'images' | 'clips',
  options: { sceneNumbers?: readonly number[] | undefined; newTake?: boolean },
  flags: SpendFlags,
): Promise<boolean> {
  if (!flags.dryRun && flags.maxCostUsd === undefined) return false;
  const { estimate, spent } = await estimateFor(pipeline.services, pipeline.plan, project, {
    durationS: project.audio_duration_s ?? 0,
    bounds: { sceneMinS: 5, sceneMaxS: 10 },
    steps,
    sceneNumbers: options.sceneNumbers,
    newTake: options.newTake === true,
  });
  return settle(ctx, project, flags, estimate, spent);
}
