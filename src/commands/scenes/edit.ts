import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { parseSceneNumbers } from '../flag-schemas.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { pickScenes } from '../../core/pipeline/takes.ts';
import { requireAudio } from '../../core/pipeline/transcript-step.ts';
import { adjustScene } from '../../core/timeline/index.ts';
import { hasControlChars } from '../../core/refs.ts';
import { SCENE_COLUMNS } from './view.ts';
import { projectFor } from '../resolve.ts';

const seconds = z.string().trim().regex(/^\d+(\.\d+)?$/, 'a number of seconds, e.g. 27.5').transform(Number);
const text = z.string().max(2000).refine((t) => !hasControlChars(t), 'no control characters');
export const Options = z.object({ start: seconds.optional(), end: seconds.optional(), title: text.optional(), theme: text.optional(), excerpt: text.optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  if (Object.values(opts).every((v) => v === undefined)) throw new OmveeError('usage', 'nothing to change', { hint: 'pass --start, --end, --title, --theme or --excerpt' });
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const { durationS } = requireAudio(project);
  const scenes = await listScenes({ store }, project.id);
  const [scene] = pickScenes(scenes, parseSceneNumbers([args[1]!]));
  const index = scene!.order_idx;
  const timeChange = { ...(opts.start !== undefined ? { start_time_s: opts.start } : {}), ...(opts.end !== undefined ? { end_time_s: opts.end } : {}) };
  const adjusted = Object.keys(timeChange).length ? adjustScene(scenes, index, timeChange, { durationS }) : scenes;
  // write the neighbours and the scene; every changed row in one pass
  for (const [i, next] of adjusted.entries()) {
    const before = scenes[i]!;
    const patch: Record<string, unknown> = {};
    if (next.start_time_s !== before.start_time_s) patch.start_time_s = next.start_time_s;
    if (next.end_time_s !== before.end_time_s) patch.end_time_s = next.end_time_s;
    if (i === index) {
      if (opts.title !== undefined) patch.title = opts.title;
      if (opts.theme !== undefined) patch.theme = opts.theme;
      if (opts.excerpt !== undefined) patch.lyric_excerpt = opts.excerpt;
    }
    if (Object.keys(patch).length) await store.update('selected_scenes', before.id, patch);
  }
  if (Object.keys(timeChange).length) ctx.info('scene times changed: clips of the changed scenes will be remade by `omvee clips generate`');
  printList(ctx, await listScenes({ store }, project.id), SCENE_COLUMNS);
}
