import { z } from 'zod';
import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { parseOptions } from '../../cli/parse.ts';
import { attachAudio } from '../../core/audio.ts';
import { checkInputFile } from '../../core/files.ts';
import { validateProjectName, validateStyle } from '../../core/projects.ts';
import { projectFields, projectJson } from './view.ts';

const Options = z.object({ audio: z.string().optional(), style: z.string().optional() });

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const opts = parseOptions(Options, options);
  const name = validateProjectName(args[0] ?? '');
  const style = validateStyle(opts.style);
  // check the song before creating anything, so a bad file leaves no half-made project
  if (opts.audio !== undefined) await checkInputFile(opts.audio, 'audio file');
  const services = await ctx.services();
  const media = opts.audio !== undefined ? await services.media() : null;
  if (media && opts.audio !== undefined) await media.probeAudio(opts.audio);

  let project = await services.store.insert('projects', { name, style });
  if (media && opts.audio !== undefined) {
    try {
      project = await attachAudio({ store: services.store, blobs: services.blobs, media }, project, opts.audio);
    } catch (error) {
      await services.store.delete('projects', project.id).catch(() => undefined);
      throw error;
    }
  }
  ctx.success(`created project ${project.name} (${project.id})`);
  printRecord(ctx, projectFields(project), projectJson(project));
}
