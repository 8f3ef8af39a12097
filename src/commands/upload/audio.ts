import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { attachAudio, resetForNewSong, workOnSong } from '../../core/audio.ts';
import { confirmOrCancel } from '../../cli/prompts.ts';
import { checkInputFile } from '../../core/files.ts';
import { projectFields, projectJson } from '../project/view.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const [ref, file] = args as [string, string];
  await checkInputFile(file, 'audio file');
  const services = await ctx.services();
  const project = await projectFor(ctx, services.store, ref);
  const media = await services.media();
  const probe = await media.probeAudio(file); // a bad file fails before anything is asked or changed
  const built = await workOnSong(services.store, project.id);
  if (built.scenes > 0) {
    await confirmOrCancel(ctx, `Replace the song of "${project.name}"? Its transcript, ${built.scenes} scenes and ${built.takes} image/clip takes were made for the old song and will be removed.`, 'song unchanged');
  }
  let updated = await attachAudio({ store: services.store, blobs: services.blobs, media }, project, file, probe);
  if (built.scenes > 0) {
    updated = await resetForNewSong(services, updated);
    ctx.info('scenes, takes and transcript of the old song removed; run omvee run --project to rebuild');
  }
  ctx.success(`uploaded ${updated.audio_filename} to ${updated.name}`);
  printRecord(ctx, projectFields(updated), projectJson(updated));
}
