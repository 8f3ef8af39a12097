import { z } from 'zod';
import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { parseOptions } from '../../cli/parse.ts';
import { createArtist } from '../../core/artists.ts';
import { artistFields } from './view.ts';

const Options = z.object({ image: z.array(z.string()).default([]), description: z.string().optional() });

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const opts = parseOptions(Options, options);
  const services = await ctx.services();
  const media = await services.media();
  const artist = await createArtist({ store: services.store, blobs: services.blobs, media }, { name: args[0] ?? '', description: opts.description, images: opts.image });
  ctx.success(`added artist ${artist.name} (${artist.id}) with ${artist.reference_images.length} reference images`);
  printRecord(ctx, artistFields(artist), artist);
}
