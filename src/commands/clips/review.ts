/** clips approve / reject: parse the flags, record the decisions (core), print them. */
import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { parseSceneNumbers } from '../../cli/scene-args.ts';
import { reviewClips } from '../../core/pipeline/review.ts';
import { resolveProject } from '../../core/projects.ts';
import { hasControlChars } from '../../core/refs.ts';

export async function review(ctx: CliContext, { args, options }: CommandInput, decision: 'approved' | 'rejected'): Promise<void> {
  const note = typeof options.note === 'string' ? options.note.trim() : undefined;
  if (note !== undefined && (note.length > 2000 || hasControlChars(note))) throw new OmveeError('usage', 'invalid --note: at most 2000 printable characters');
  const take = options.take === undefined ? undefined : Number(options.take);
  if (take !== undefined && (!Number.isInteger(take) || take < 1)) throw new OmveeError('usage', `invalid --take "${String(options.take)}"`, { hint: 'a take number from 1' });
  const { store } = await ctx.services();
  const project = await resolveProject(store, args[0]!);
  const reviewed = await reviewClips(store, project, { scenes: parseSceneNumbers(args.slice(1)), decision, note: note ?? null, take });
  ctx.success(`${decision} ${reviewed.length} clip${reviewed.length === 1 ? '' : 's'}`);
  printList(
    ctx,
    reviewed.map(({ scene, clip, approval }) => ({ scene: scene.order_idx + 1, take: clip.take, clip_id: clip.id, decision, note: approval.note, approval_id: approval.id })),
    [
      { header: 'scene', value: (r) => r.scene, align: 'right' },
      { header: 'take', value: (r) => r.take, align: 'right' },
      { header: 'decision', value: (r) => r.decision },
      { header: 'clip', value: (r) => r.clip_id },
    ],
  );
}
