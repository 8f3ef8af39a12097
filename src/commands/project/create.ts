import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import { sameNamed } from '../../core/refs.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { createProjectWithSong } from '../../core/audio.ts';
import { validateProjectName, validateStyle } from '../../core/projects.ts';
import { projectFields, projectJson } from './view.ts';
import { videoFlags, videoSettingsOf } from '../flag-schemas.ts';
import { newProjectVideo } from '../../core/video/project-format.ts';
import { defaultProjectFps } from '../../app/clip-defaults.ts';

export const Options = z.object({ audio: z.string().optional(), style: z.string().optional(), ...videoFlags }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const name = validateProjectName(args[0] ?? '');
  const style = validateStyle(opts.style);
  const services = await ctx.services();
  // without --fps, an AI project renders at its clip model's frame rate (seedance: 24 fps)
  const video = newProjectVideo(videoSettingsOf(opts), await defaultProjectFps(await ctx.config()));
  const twins = await sameNamed(services.store, 'projects', name);
  const project =
    opts.audio === undefined
      ? await services.store.insert('projects', { name, style, ...video })
      : await createProjectWithSong({ store: services.store, blobs: services.blobs, media: await services.media() }, { name, style, ...video }, opts.audio);
  ctx.success(`created project ${project.name} (${project.id})`);
  if (twins.length > 0) {
    ctx.warn(`${twins.length === 1 ? 'another project is' : `${twins.length} other projects are`} already named "${twins[0]!.name}" (${twins.map((p) => p.id.slice(0, 8)).join(', ')}): name it by id, or rename one with omvee project update <id> --name`);
  }
  printRecord(ctx, projectFields(project), projectJson(project));
}
