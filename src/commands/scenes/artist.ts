/** `omvee scenes feature`: put an artist in scenes (primary / background) or take it out (none). */
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { formatDuration, printList, type Column } from '../../cli/output.ts';
import { parseSceneNumbers } from '../flag-schemas.ts';
import { featureArtist, parseArtistRole } from '../../core/artists.ts';
import type { Artist, Scene } from '../../core/model.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { pickScenes } from '../../core/pipeline/takes.ts';
import { projectFor, artistFor } from '../resolve.ts';

export const Options = z.object({ artist: z.string().optional(), role: z.string().optional() }).strict();

function columns(names: ReadonlyMap<string, string>): Column<Scene>[] {
  return [
    { header: '#', value: (s) => s.order_idx + 1, align: 'right' },
    { header: 'start', value: (s) => formatDuration(s.start_time_s), align: 'right' },
    { header: 'end', value: (s) => formatDuration(s.end_time_s), align: 'right' },
    { header: 'artist', value: (s) => (s.artist_id ? (names.get(s.artist_id) ?? s.artist_id) : '') },
    { header: 'role', value: (s) => s.artist_role },
    { header: 'title', value: (s) => s.title },
  ];
}

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const role = parseArtistRole(opts.role, 'primary');
  if (role !== 'none' && opts.artist === undefined) {
    throw new OmveeError('usage', 'which artist? --artist is required', { hint: 'pass --artist <id|name> (see: omvee artists list), or --role none to clear the artist' });
  }
  const numbers = parseSceneNumbers(args.slice(1));
  if (!numbers || numbers.length === 0) throw new OmveeError('usage', 'no scenes given', { hint: 'pass scene numbers, e.g. 3, 2-5 or 1,4 (see: omvee scenes list <project>)' });

  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const artist: Artist | null = role === 'none' ? null : await artistFor(ctx, store, opts.artist!);
  const scenes = await listScenes({ store }, project.id);
  if (scenes.length === 0) throw new OmveeError('usage', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const picked = pickScenes(scenes, numbers);
  const updated = await featureArtist(store, picked, artist, role);

  const list = updated.map((s) => s.order_idx + 1).join(', ');
  if (artist) ctx.success(`${artist.name} is now ${role} in scene${updated.length === 1 ? '' : 's'} ${list}`);
  else ctx.success(`scene${updated.length === 1 ? '' : 's'} ${list} now feature no artist`);
  const withImages = new Set((await store.list('generated_images', { where: { project_id: project.id, status: 'completed' } })).map((i) => i.scene_id));
  const stale = updated.filter((s) => withImages.has(s.id)).map((s) => s.order_idx + 1);
  if (stale.length) ctx.info(`scene${stale.length === 1 ? ' ' + stale[0] + ' already has' : 's ' + stale.join(', ') + ' already have'} images; make new ones with: omvee images generate ${project.id} --scene ${stale.join(',')} --new-take`);

  const names = new Map<string, string>(artist ? [[artist.id, artist.name]] : []);
  printList(ctx, updated, columns(names));
}
