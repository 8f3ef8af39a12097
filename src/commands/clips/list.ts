import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatUsd, printList } from '../../cli/output.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { clipReviews } from '../../core/pipeline/takes.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const order = new Map((await listScenes({ store }, project.id)).map((s) => [s.id, s.order_idx]));
  const reviews = clipReviews(await store.list('user_approvals', { where: { project_id: project.id } }));
  const clips = (await store.list('video_clips', { where: { project_id: project.id } })).sort((a, b) => (order.get(a.scene_id) ?? 0) - (order.get(b.scene_id) ?? 0) || a.take - b.take);
  const rows = clips.map((c) => {
    const newest = reviews.get(c.id);
    return { scene: (order.get(c.scene_id) ?? 0) + 1, ...c, review: newest ? (newest.decision === 'approved' ? 'approved' : 'rejected') : 'unreviewed', review_note: newest?.note ?? null };
  });
  printList(ctx, rows, [
    { header: 'scene', value: (r) => r.scene, align: 'right' },
    { header: 'take', value: (r) => r.take, align: 'right' },
    { header: 'status', value: (r) => r.status },
    { header: 'review', value: (r) => r.review },
    { header: 'frames', value: (r) => r.frame_count, align: 'right' },
    { header: 'model', value: (r) => r.model },
    { header: 'cost', value: (r) => formatUsd(r.cost_usd), align: 'right' },
    { header: 'id', value: (r) => r.id, id: true },
    { header: 'note', value: (r) => r.review_note ?? r.error },
  ]);
}
