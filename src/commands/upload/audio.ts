import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { attachAudio } from '../../core/audio.ts';
import { checkInputFile } from '../../core/files.ts';
import { resolveProject } from '../../core/projects.ts';
import { projectFields, projectJson } from '../project/view.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const [ref, file] = args as [string, string];
  await checkInputFile(file, 'audio file');
  const services = await ctx.services();
  const project = await resolveProject(services.store, ref);
  const media = await services.media();
  const updated = await attachAudio({ store: services.store, blobs: services.blobs, media }, project, file);
  ctx.success(`uploaded ${updated.audio_filename} to ${updated.name}`);
  printRecord(ctx, projectFields(updated), projectJson(updated));
}
