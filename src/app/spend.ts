/**
 * Spending, as the wiring sees it: the budget guard the image/clip steps consult before each
 * paid generation (--max-cost), and the estimate of what work left on a project (or a song not
 * stored yet) would cost with the planned providers (--dry-run, and the up-front --max-cost check).
 * Showing the estimate and refusing over budget is the CLI's part (src/cli/spend.ts).
 */
import { createBudgetGuard, type BudgetGuard } from '../core/cost/budget.ts';
import { DEFAULT_FRAME, planWork, priceWork, unitPrice, type Estimate, type PlanWorkInput } from '../core/cost/estimate.ts';
import { defaultProjectFps } from './clip-defaults.ts';
import { projectSpentUsd } from '../core/cost/project-cost.ts';
import type { Project } from '../core/model.ts';
import { resolveProject } from '../core/projects.ts';
import type { SceneBounds } from '../core/timeline/index.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { Store } from '../store/port.ts';
import { loadPriceTable, planModels, planProviders, type ProviderChoice, type ProviderPlan } from './providers.ts';
import type { Services } from './services.ts';

export interface SpendOptions {
  maxCostUsd?: number | undefined;
  cancelOnExit?: boolean | undefined;
}

/** The guard the image/clip steps consult before each new prediction. */
export async function budgetGuard(config: ResolvedConfig, store: Store, plan: ProviderPlan, maxUsd: number): Promise<BudgetGuard> {
  const [table, models] = await Promise.all([loadPriceTable(config), planModels(config, plan)]);
  return createBudgetGuard({
    maxUsd,
    spentUsd: (projectId) => projectSpentUsd(store, projectId),
    estimateUsd: (work) => unitPrice(table, models, work.kind, work.sceneDurationS, work.clip),
  });
}

export interface SpendEstimate {
  project: Project | null;
  estimate: Estimate;
  /** already spent on the project, USD */
  spent: number;
}

async function estimateFor(services: Services, plan: ProviderPlan, project: Project | null, work: PlanWorkInput): Promise<SpendEstimate> {
  const frame = project ? { width: project.width, height: project.height } : work.frame;
  const [table, models] = await Promise.all([loadPriceTable(services.config), planModels(services.config, plan, frame)]);
  const planned = await planWork(services.store, project, work);
  const spent = project ? await projectSpentUsd(services.store, project.id) : 0;
  return { project, estimate: priceWork(table, models, planned), spent };
}

export interface RunEstimateInput {
  /** a song not stored yet, or an existing project */
  audio?: string | undefined;
  projectRef?: string | undefined;
  lyrics: boolean;
  bounds: SceneBounds;
  choice: ProviderChoice;
  /** the frame a new project will get (--aspect/--resolution/--fps); default 1280×720 at the clip model's rate */
  frame?: { width?: number | undefined; height?: number | undefined; fps?: number | undefined } | undefined;
}

/** `omvee run`: what the whole run would cost, before anything is created. */
export async function estimateRun(services: Services, input: RunEstimateInput): Promise<SpendEstimate> {
  const plan = planProviders(services.config, input.choice);
  let project: Project | null = null;
  let durationS: number;
  if (input.projectRef !== undefined) {
    project = await resolveProject(services.store, input.projectRef);
    durationS = project.audio_duration_s ?? 0;
  } else {
    durationS = (await (await services.media()).probeAudio(input.audio!)).durationS;
  }
  // a song not stored yet: the frame the project will get (its fps from the clip model)
  const frame = project
    ? undefined
    : { width: input.frame?.width ?? DEFAULT_FRAME.width, height: input.frame?.height ?? DEFAULT_FRAME.height, fps: input.frame?.fps ?? (await defaultProjectFps(services.config, input.choice)) };
  return estimateFor(services, plan, project, { durationS, bounds: input.bounds, lyrics: input.lyrics, steps: 'all', ...(frame ? { frame } : {}) });
}

/** `images generate` / `clips generate`: what the takes to make would cost. */
export async function estimateTakes(
  pipeline: { services: Services; plan: ProviderPlan },
  project: Project,
  steps: 'images' | 'clips',
  options: { sceneNumbers?: readonly number[] | undefined; newTake?: boolean },
): Promise<SpendEstimate> {
  return estimateFor(pipeline.services, pipeline.plan, project, {
    durationS: project.audio_duration_s ?? 0,
    bounds: { sceneMinS: 5, sceneMaxS: 10 },
    steps,
    sceneNumbers: options.sceneNumbers,
    newTake: options.newTake === true,
  });
}
