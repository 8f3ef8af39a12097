import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { openPipeline, providerChoice } from '../../cli/pipeline.ts';
import { confirm } from '../../cli/prompts.ts';
import { sceneBoundsFrom } from '../../cli/scene-bounds.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { requireAudio } from '../../core/pipeline/transcript-step.ts';
import { resolveProject } from '../../core/projects.ts';
import { SCENE_COLUMNS } from './view.ts';

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const config = await ctx.config();
  const bounds = sceneBoundsFrom(options, config);
  const pipeline = await openPipeline(ctx, providerChoice(options));
  const { store } = pipeline.services;
  const project = await resolveProject(store, args[0]!);
  requireAudio(project);
  const takes = (await store.count('generated_images', { project_id: project.id })) + (await store.count('video_clips', { project_id: project.id }));
  if (takes > 0) {
    const ok = await confirm(ctx, `Replace the scenes of "${project.name}"? Their ${takes} image and clip takes will be deleted.`);
    if (!ok) throw new OmveeError('aborted', 'scenes unchanged');
  }
  await pipeline.step('analyze_scenes', project, { scene_min: bounds.sceneMinS, scene_max: bounds.sceneMaxS }, `choosing scenes (${pipeline.plan.director} director)`, (job) => `${String(job.result?.scenes)} scenes`);
  const scenes = await listScenes(pipeline.deps, project.id);
  printList(ctx, scenes, SCENE_COLUMNS);
}
