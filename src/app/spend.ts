/**
 * Spending, as the wiring sees it: the budget guard the image/clip steps consult before each
 * paid generation (--max-cost), and the estimate of what work left on a project (or a song not
 * stored yet) would cost with the planned providers (--dry-run, and the up-front --max-cost check).
 * Showing the estimate and refusing over budget is the CLI's part (src/cli/spend.ts).
 */
import { createBudgetGuard, type BudgetGuard, type PaidWork } from '../core/cost/budget.ts';
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
import { newProjectVideo, videoPatch, type VideoSettings } from '../core/video/project-format.ts';

export interface SpendOptions {
  maxCostUsd?: number | undefined;
  cancelOnExit?: boolean | undefined;
}

/** The guard the image/clip steps consult before each new prediction. */
export async function budgetGuard(config: ResolvedConfig, store: Store, plan: ProviderPlan, maxUsd: number): Promise<BudgetGuard> {
  const table = await loadPriceTable(config);
  // a clip's price can depend on its resolution: the models are planned for the clip's own frame
  // (the work carries it; an image's price does not depend on it)
  const byFrame = new Map<string, Promise<Awaited<ReturnType<typeof planModels>>>>();
  const modelsFor = (work: PaidWork) => {
    const frame = work.clip ?? DEFAULT_FRAME;
    const key = `${frame.width}x${frame.height}`;
    if (!byFrame.has(key)) byFrame.set(key, planModels(config, plan, frame));
    return byFrame.get(key)!;
  };
  return createBudgetGuard({
    maxUsd,
    spentUsd: (projectId) => projectSpentUsd(store, projectId),
    estimateUsd: async (work) => unitPrice(table, await modelsFor(work), work.kind, work.sceneDurationS, work.clip),
  });
}

export interface SpendEstimate {
  project: Project | null;
  estimate: Estimate;
  /** already spent on the project, USD */
  spent: number;
}

async function estimateFor(services: Services, plan: ProviderPlan, project: Project | null, work: PlanWorkInput): Promise<SpendEstimate> {
  const format = work.frame ?? (project ? { width: project.width, height: project.height, fps: project.fps } : undefined);
  const frame = format ? { width: format.width, height: format.height } : undefined;
  const [table, models] = await Promise.all([loadPriceTable(services.config), planModels(services.config, plan, frame)]);
  const planned = await planWork(services.store, project, { ...work, ...(format ? { frame: format } : {}) });
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
  /** --aspect/--resolution/--fps: the frame the run will make (a new project's, or the change to an existing one) */
  video?: VideoSettings | undefined;
  /** --preview: the run stops after the images */
  preview?: boolean | undefined;
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
  const video = input.video ?? {};
  // a song not stored yet: the frame the project will get (without --fps, its clip model's rate)
  const frame = project ? { ...project, ...videoPatch(project, video) } : newProjectVideo(video, await defaultProjectFps(services.config, input.choice));
  return estimateFor(services, plan, project, { durationS, bounds: input.bounds, lyrics: input.lyrics, steps: 'all', frame: { width: frame.width, height: frame.height, fps: frame.fps }, stopAfterImages: input.preview === true });
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
