import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import { wholeNumber } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { formatDuration, printValue } from '../../cli/output.ts';
import { materialize, scratch } from '../../core/pipeline/deps.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { latestCompleted } from '../../core/pipeline/takes.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ out: z.string().optional(), columns: wholeNumber('--columns', 1, 12) }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const columns = options.columns ?? 4;
  const services = await ctx.services();
  const project = await projectFor(ctx, services.store, args[0]!);
  const scenes = await listScenes(services, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const images = await services.store.list('generated_images', { where: { project_id: project.id, status: 'completed' } });
  const items: { imagePath: string; caption: string }[] = [];
  for (const scene of scenes) {
    const image = latestCompleted(images.filter((i) => i.scene_id === scene.id));
    if (!image) continue;
    const lyric = (scene.lyric_excerpt ?? '').replace(/\s+/g, ' ').slice(0, 60);
    items.push({ imagePath: await materialize(services, image.image_path!), caption: `${scene.order_idx + 1}. ${formatDuration(scene.start_time_s)}–${formatDuration(scene.end_time_s)} ${lyric}` });
  }
  if (items.length === 0) throw new OmveeError('invalid_input', 'no scene has an image yet', { hint: `run: omvee images generate ${project.id}` });
  const out = resolve(ctx.io.cwd, options.out ?? `${project.name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'project'}-storyboard.png`);
  const media = await services.media();
  const work = await scratch(services, 'storyboard');
  try {
    const tmp = join(work.dir, 'storyboard.png');
    await media.contactSheet(items, tmp, columns);
    await mkdir(dirname(out), { recursive: true });
    await copyFile(tmp, out);
  } finally {
    await work.cleanup();
  }
  if (items.length < scenes.length) ctx.warn(`${scenes.length - items.length} scene(s) have no image yet and are left out`);
  ctx.success(`storyboard of ${items.length} scenes written to ${out}`);
  printValue(ctx, out, { path: out, scenes: items.length });
}
