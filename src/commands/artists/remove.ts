import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { confirmOrCancel } from '../../cli/prompts.ts';
import { removeArtist, scenesFeaturing } from '../../core/artists.ts';
import { artistFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store, blobs } = await ctx.services();
  const artist = await artistFor(ctx, store, args[0] ?? '');
  const featuring = (await scenesFeaturing(store, artist.id)).length;
  const scenesNote = featuring ? ` It is featured in ${featuring} scene${featuring === 1 ? '' : 's'}, which will have no artist.` : '';
  await confirmOrCancel(ctx, `Remove artist "${artist.name}" (${artist.id}) and its reference images?${scenesNote}`, 'nothing removed');
  const { scenesCleared, filesRemoved, fileError } = await removeArtist({ store, blobs }, artist);
  if (fileError) ctx.warn(`artist removed, but some of its files could not be removed: ${fileError}`);
  ctx.success(`removed artist ${artist.name} (${filesRemoved} files; ${scenesCleared} scenes now without an artist)`);
  printValue(ctx, artist.id, { id: artist.id, name: artist.name, removed: true, files_removed: filesRemoved, scenes_cleared: scenesCleared });
}
