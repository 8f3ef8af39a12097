import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatDuration, formatUsd, printRecord } from '../../cli/output.ts';
import { parseSceneNumbers } from '../flag-schemas.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { pickScenes } from '../../core/pipeline/takes.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const [scene] = pickScenes(await listScenes({ store }, project.id), parseSceneNumbers([args[1]!]));
  const prompt = (await store.list('scene_prompts', { where: { scene_id: scene!.id } }))[0] ?? null;
  const images = await store.list('generated_images', { where: { scene_id: scene!.id }, order: { column: 'take' } });
  const clips = await store.list('video_clips', { where: { scene_id: scene!.id }, order: { column: 'take' } });
  const approvals = await store.list('user_approvals', { where: { scene_id: scene!.id }, order: { column: 'created_at' } });
  const s = scene!;
  printRecord(
    ctx,
    [
      ['scene', s.order_idx + 1],
      ['time', `${formatDuration(s.start_time_s)} – ${formatDuration(s.end_time_s)} (${(s.end_time_s - s.start_time_s).toFixed(2)} s)`],
      ['title', s.title],
      ['theme', s.theme],
      ['energy', s.energy],
      ['lyric', s.lyric_excerpt],
      ['image_prompt', prompt?.image_prompt],
      ['motion_prompt', prompt?.motion_prompt],
      ['shot / mood', prompt ? `${prompt.shot_type ?? ''} / ${prompt.mood ?? ''}` : null],
      ['palette', prompt?.color_palette?.join(' ')],
      ['images', images.map((i) => `take ${i.take}: ${i.status}${i.cost_usd ? ` ${formatUsd(i.cost_usd)}` : ''}`).join(', ')],
      ['clips', clips.map((c) => `take ${c.take}: ${c.status}${c.frame_count ? ` ${c.frame_count} frames` : ''}`).join(', ')],
      ['review', approvals.map((a) => `${a.decision}${a.note ? ` (${a.note})` : ''}`).join(', ')],
    ],
    { scene: s.order_idx + 1, ...s, prompt, images, clips, approvals },
  );
}
