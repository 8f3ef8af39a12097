import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { createArtist } from '../../core/artists.ts';
import { artistFields } from './view.ts';

export const Options = z.object({ image: z.array(z.string()).default([]), description: z.string().optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const services = await ctx.services();
  const media = await services.media();
  const artist = await createArtist({ store: services.store, blobs: services.blobs, media }, { name: args[0] ?? '', description: opts.description, images: opts.image });
  ctx.success(`added artist ${artist.name} (${artist.id}) with ${artist.reference_images.length} reference images`);
  printRecord(ctx, artistFields(artist), artist);
}
