import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { scenesFeaturing } from '../../core/artists.ts';
import { artistFields } from './view.ts';
import { artistFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const artist = await artistFor(ctx, store, args[0] ?? '');
  const featuring = ctx.json ? 0 : (await scenesFeaturing(store, artist.id)).length;
  printRecord(ctx, [...artistFields(artist), ['featured in', `${featuring} scene${featuring === 1 ? '' : 's'}`]], artist);
}
