import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { updateArtist } from '../../core/artists.ts';
import { artistFields } from './view.ts';
import { artistFor } from '../resolve.ts';

export const Options = z.object({ name: z.string().optional(), description: z.string().optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  if (opts.name === undefined && opts.description === undefined) throw new OmveeError('usage', 'nothing to change', { hint: 'pass --name or --description' });
  const { store } = await ctx.services();
  const artist = await updateArtist(store, await artistFor(ctx, store, args[0] ?? ''), opts);
  ctx.success(`updated artist ${artist.name} (${artist.id})`);
  printRecord(ctx, artistFields(artist), artist);
}
