import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printValue } from '../../cli/output.ts';
import { confirm } from '../../cli/prompts.ts';
import { removeArtist, resolveArtist, scenesFeaturing } from '../../core/artists.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const { store, blobs } = await ctx.services();
  const artist = await resolveArtist(store, args[0] ?? '');
  const featuring = (await scenesFeaturing(store, artist.id)).length;
  const scenesNote = featuring ? ` It is featured in ${featuring} scene${featuring === 1 ? '' : 's'}, which will have no artist.` : '';
  const sure = await confirm(ctx, `Remove artist "${artist.name}" (${artist.id}) and its reference images?${scenesNote}`);
  if (!sure) throw new OmveeError('aborted', 'nothing removed', { hint: 'pass --yes to remove without asking' });
  const { scenesCleared, filesRemoved, fileError } = await removeArtist({ store, blobs }, artist);
  if (fileError) ctx.warn(`artist removed, but some of its files could not be removed: ${fileError}`);
  ctx.success(`removed artist ${artist.name} (${filesRemoved} files; ${scenesCleared} scenes now without an artist)`);
  printValue(ctx, artist.id, { id: artist.id, name: artist.name, removed: true, files_removed: filesRemoved, scenes_cleared: scenesCleared });
}
