/**
 * What a project has cost so far, from what omvee recorded: every image and clip take carries
 * the cost of its prediction; transcription, scene selection and prompt writing are one LLM or
 * Whisper call per job, recorded on the job. Take costs are read from the takes (not from the
 * image/clip jobs) so a step that stopped half-way still counts the predictions it paid for.
 */
import { roundUsd } from './prices.ts';
import type { Store } from '../../store/port.ts';

export type CostStep = 'transcript' | 'scenes' | 'prompts' | 'images' | 'clips';

export interface StepCost {
  step: CostStep;
  usd: number;
  /** paid items: jobs for transcript/scenes/prompts, takes with a cost for images/clips */
  items: number;
}

export interface TakeCost {
  kind: 'image' | 'clip';
  scene: number;
  take: number;
  status: string;
  model: string | null;
  prediction_id: string | null;
  cost_usd: number;
}

export interface PromptCost {
  scene: number;
  model: string | null;
  cost_usd: number;
}

export interface ProjectCost {
  project_id: string;
  steps: StepCost[];
  takes: TakeCost[];
  prompts: PromptCost[];
  total_usd: number;
}

const JOB_STEPS = { transcribe: 'transcript', analyze_scenes: 'scenes', generate_prompts: 'prompts' } as const;


export async function projectCost(store: Store, projectId: string): Promise<ProjectCost> {
  const [scenes, jobs, prompts, images, clips] = await Promise.all([
    store.list('selected_scenes', { where: { project_id: projectId } }),
    store.list('jobs', { where: { project_id: projectId } }),
    store.list('scene_prompts', { where: { project_id: projectId } }),
    store.list('generated_images', { where: { project_id: projectId } }),
    store.list('video_clips', { where: { project_id: projectId } }),
  ]);
  const sceneNo = new Map(scenes.map((s) => [s.id, s.order_idx + 1]));
  const steps = new Map<CostStep, StepCost>((['transcript', 'scenes', 'prompts', 'images', 'clips'] as const).map((step) => [step, { step, usd: 0, items: 0 }]));
  for (const job of jobs) {
    const step = JOB_STEPS[job.type as keyof typeof JOB_STEPS];
    if (!step || !job.cost_usd) continue;
    const s = steps.get(step)!;
    s.usd += job.cost_usd;
    s.items += 1;
  }
  const takes: TakeCost[] = [];
  for (const [kind, rows] of [['image', images], ['clip', clips]] as const) {
    const s = steps.get(kind === 'image' ? 'images' : 'clips')!;
    for (const r of rows) {
      const cost = r.cost_usd ?? 0;
      if (cost > 0) {
        s.usd += cost;
        s.items += 1;
      }
      takes.push({ kind, scene: sceneNo.get(r.scene_id) ?? 0, take: r.take, status: r.status, model: r.model, prediction_id: r.prediction_id, cost_usd: roundUsd(cost) });
    }
  }
  takes.sort((a, b) => (a.kind === b.kind ? a.scene - b.scene || a.take - b.take : a.kind === 'image' ? -1 : 1));
  const stepList = [...steps.values()].map((s) => ({ ...s, usd: roundUsd(s.usd) }));
  return {
    project_id: projectId,
    steps: stepList,
    takes,
    prompts: prompts.map((p) => ({ scene: sceneNo.get(p.scene_id) ?? 0, model: p.generated_by_model, cost_usd: roundUsd(p.cost_usd ?? 0) })).sort((a, b) => a.scene - b.scene),
    total_usd: roundUsd(stepList.reduce((sum, s) => sum + s.usd, 0)),
  };
}

/** Total recorded spend of a project, USD. */
export async function projectSpentUsd(store: Store, projectId: string): Promise<number> {
  return (await projectCost(store, projectId)).total_usd;
}
