import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const order = new Map((await listScenes({ store }, project.id)).map((s) => [s.id, s.order_idx]));
  const prompts = (await store.list('scene_prompts', { where: { project_id: project.id } })).sort((a, b) => (order.get(a.scene_id) ?? 0) - (order.get(b.scene_id) ?? 0));
  const shown = prompts.map((p) => ({ scene: (order.get(p.scene_id) ?? 0) + 1, ...p }));
  printList(ctx, shown, [
    { header: 'scene', value: (p) => p.scene, align: 'right' },
    { header: 'shot', value: (p) => p.shot_type },
    { header: 'mood', value: (p) => p.mood },
    { header: 'motion', value: (p) => p.motion_prompt },
    { header: 'image prompt', value: (p) => p.image_prompt },
  ]);
}
