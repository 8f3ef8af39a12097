import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { confirmOrCancel } from '../../cli/prompts.ts';
import { providerChoiceOf, providerFlags, sceneBoundFlags, sceneBounds } from '../flag-schemas.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { sceneBoundSettings } from '../../app/clip-defaults.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { requireAudio } from '../../core/pipeline/transcript-step.ts';
import { SCENE_COLUMNS } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ ...sceneBoundFlags, ...providerFlags(['director']) }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const config = await ctx.config();
  const bounds = sceneBounds(options, await sceneBoundSettings(config, providerChoiceOf(options), options));
  const pipeline = await openCommandPipeline(ctx, { choice: providerChoiceOf(options) });
  const { store } = pipeline.services;
  const project = await projectFor(ctx, store, args[0]!);
  requireAudio(project);
  const takes = (await store.count('generated_images', { project_id: project.id })) + (await store.count('video_clips', { project_id: project.id }));
  if (takes > 0) {
    await confirmOrCancel(ctx, `Replace the scenes of "${project.name}"? Their ${takes} image and clip takes will be deleted.`, 'scenes unchanged');
  }
  await pipeline.step('analyze_scenes', project, { scene_min: bounds.sceneMinS, scene_max: bounds.sceneMaxS }, `choosing scenes (${pipeline.plan.director} director)`, (job) => `${String(job.result?.scenes)} scenes`);
  const scenes = await listScenes(pipeline.deps, project.id);
  printList(ctx, scenes, SCENE_COLUMNS);
}
