/** clips approve / reject: parse the flags, record the decisions (core), print them. */
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList } from '../../cli/output.ts';
import { flagValue, parseSceneNumbers, wholeNumber } from '../flag-schemas.ts';
import { reviewClips } from '../../core/pipeline/review.ts';
import { hasControlChars } from '../../core/refs.ts';
import { projectFor } from '../resolve.ts';

export const Options = z
  .object({
    note: flagValue((raw): string | undefined => {
      if (raw === undefined) return undefined;
      const note = String(raw).trim();
      if (note.length > 2000 || hasControlChars(note)) throw new OmveeError('usage', 'invalid --note: at most 2000 printable characters', { hint: 'keep the note to a short line or two' });
      return note;
    }),
    take: wholeNumber('--take', 1, Number.MAX_SAFE_INTEGER, 'a take number from 1'),
    force: z.boolean().optional(),
  })
  .strict();

export async function review(ctx: CliContext, { args, options }: InputOf<typeof Options>, decision: 'approved' | 'rejected'): Promise<void> {
  const { note, take } = options;
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const { reviewed, skipped } = await reviewClips(store, project, { scenes: parseSceneNumbers(args.slice(1)), decision, note: note ?? null, take, force: options.force === true });
  for (const { scene, clip, note: why } of skipped) {
    ctx.warn(`scene ${scene.order_idx + 1}: take ${clip.take} was rejected${why ? ` ("${why}")` : ''}, left as it is (make a new take: omvee clips generate ${project.id} --scene ${scene.order_idx + 1}; or approve it anyway: omvee clips approve ${project.id} ${scene.order_idx + 1}, or --force)`);
  }
  if (reviewed.length === 0 && skipped.length > 0) {
    throw new OmveeError('invalid_input', 'nothing approved: every latest take was rejected', { hint: `make new takes (omvee clips generate ${project.id}) or approve them anyway with --force` });
  }
  ctx.success(`${decision} ${reviewed.length} clip${reviewed.length === 1 ? '' : 's'}${skipped.length ? ` (${skipped.length} rejected take${skipped.length === 1 ? '' : 's'} skipped)` : ''}`);
  printList(
    ctx,
    reviewed.map(({ scene, clip, approval }) => ({ scene: scene.order_idx + 1, take: clip.take, clip_id: clip.id, decision, note: approval.note, approval_id: approval.id })),
    [
      { header: 'scene', value: (r) => r.scene, align: 'right' },
      { header: 'take', value: (r) => r.take, align: 'right' },
      { header: 'decision', value: (r) => r.decision },
      { header: 'clip', value: (r) => r.clip_id, id: true },
    ],
  );
}
