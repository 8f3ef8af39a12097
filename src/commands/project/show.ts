import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { projectFields, projectJson } from './view.ts';
import { projectFor } from '../resolve.ts';
import { latestFinal, usableFinal } from '../../core/pipeline/final-video.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store, blobs } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const final = await latestFinal(store, project.id);
  const current = final ? (await usableFinal(store, project.id, final.lyrics_overlay, project))?.id === final.id : false;
  const video = final?.video_path ? (blobs.localPath(final.video_path) ?? final.video_path) : null;
  const fields: [string, unknown][] = [...projectFields(project), ['final_video', video ? `${video}${current ? '' : ' (older than the latest changes: omvee render to update)'}` : null]];
  printRecord(ctx, fields, { ...projectJson(project), final_video: final ? { id: final.id, path: video, key: final.video_path, up_to_date: current, duration_s: final.duration_s, frame_count: final.frame_count, created_at: final.created_at } : null });
}
