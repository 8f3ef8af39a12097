/** clips approve / reject: record a user_approvals row per scene for its chosen clip. */
import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../cli/errors.ts';
import { printList } from '../../cli/output.ts';
import { parseSceneNumbers } from '../../cli/scene-args.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { latestCompleted, pickScenes } from '../../core/pipeline/takes.ts';
import { resolveProject } from '../../core/projects.ts';

export async function review(ctx: CliContext, { args, options }: CommandInput, decision: 'approved' | 'rejected'): Promise<void> {
  const note = typeof options.note === 'string' ? options.note.trim() : undefined;
  if (note !== undefined && (note.length > 2000 || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(note))) throw new OmveeError('usage', 'invalid --note: at most 2000 printable characters');
  const take = options.take === undefined ? undefined : Number(options.take);
  if (take !== undefined && (!Number.isInteger(take) || take < 1)) throw new OmveeError('usage', `invalid --take "${String(options.take)}"`, { hint: 'a take number from 1' });
  const { store } = await ctx.services();
  const project = await resolveProject(store, args[0]!);
  const scenes = pickScenes(await listScenes({ store }, project.id), parseSceneNumbers(args.slice(1)));
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`);
  const clips = await store.list('video_clips', { where: { project_id: project.id, status: 'completed' } });
  // check every scene first: either all decisions are recorded or none
  const chosen = scenes.map((scene) => {
    const forScene = clips.filter((c) => c.scene_id === scene.id);
    const clip = take === undefined ? latestCompleted(forScene) : forScene.find((c) => c.take === take) ?? null;
    if (!clip) throw new OmveeError('invalid_input', `scene ${scene.order_idx + 1} has no ${take === undefined ? 'completed clip' : `completed take ${take}`}`, { hint: `generate it: omvee clips generate ${project.id} --scene ${scene.order_idx + 1}` });
    return { scene, clip };
  });
  const rows = await store.insertMany(
    'user_approvals',
    chosen.map(({ scene, clip }) => ({ project_id: project.id, scene_id: scene.id, clip_id: clip.id, image_id: clip.image_id, decision, note: note ?? null })),
  );
  ctx.success(`${decision} ${rows.length} clip${rows.length === 1 ? '' : 's'}`);
  printList(
    ctx,
    chosen.map(({ scene, clip }, i) => ({ scene: scene.order_idx + 1, take: clip.take, clip_id: clip.id, decision, note: note ?? null, approval_id: rows[i]!.id })),
    [
      { header: 'scene', value: (r) => r.scene, align: 'right' },
      { header: 'take', value: (r) => r.take, align: 'right' },
      { header: 'decision', value: (r) => r.decision },
      { header: 'clip', value: (r) => r.clip_id },
    ],
  );
}
