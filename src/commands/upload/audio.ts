import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { attachAudio, resetForNewSong, workOnSong } from '../../core/audio.ts';
import { OmveeError } from '../../core/errors.ts';
import { confirm } from '../../cli/prompts.ts';
import { checkInputFile } from '../../core/files.ts';
import { resolveProject } from '../../core/projects.ts';
import { projectFields, projectJson } from '../project/view.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const [ref, file] = args as [string, string];
  await checkInputFile(file, 'audio file');
  const services = await ctx.services();
  const project = await resolveProject(services.store, ref);
  const media = await services.media();
  const probe = await media.probeAudio(file); // a bad file fails before anything is asked or changed
  const built = await workOnSong(services.store, project.id);
  if (built.scenes > 0) {
    const sure = await confirm(ctx, `Replace the song of "${project.name}"? Its transcript, ${built.scenes} scenes and ${built.takes} image/clip takes were made for the old song and will be removed.`);
    if (!sure) throw new OmveeError('aborted', 'song unchanged', { hint: 'pass --yes to replace it' });
  }
  let updated = await attachAudio({ store: services.store, blobs: services.blobs, media }, project, file, probe);
  if (built.scenes > 0) {
    updated = await resetForNewSong(services, updated);
    ctx.info('scenes, takes and transcript of the old song removed; run omvee run --project to rebuild');
  }
  ctx.success(`uploaded ${updated.audio_filename} to ${updated.name}`);
  printRecord(ctx, projectFields(updated), projectJson(updated));
}
