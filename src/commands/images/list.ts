import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatUsd, printList } from '../../cli/output.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const order = new Map((await listScenes({ store }, project.id)).map((s) => [s.id, s.order_idx]));
  const rows = (await store.list('generated_images', { where: { project_id: project.id } })).sort((a, b) => (order.get(a.scene_id) ?? 0) - (order.get(b.scene_id) ?? 0) || a.take - b.take);
  const shown = rows.map((r) => ({ scene: (order.get(r.scene_id) ?? 0) + 1, ...r }));
  printList(ctx, shown, [
    { header: 'scene', value: (r) => r.scene, align: 'right' },
    { header: 'take', value: (r) => r.take, align: 'right' },
    { header: 'status', value: (r) => r.status },
    { header: 'model', value: (r) => r.model },
    { header: 'seed', value: (r) => r.seed, align: 'right' },
    { header: 'cost', value: (r) => formatUsd(r.cost_usd), align: 'right' },
    { header: 'id', value: (r) => r.id, id: true },
    { header: 'path', value: (r) => r.image_path ?? r.error },
  ]);
}
