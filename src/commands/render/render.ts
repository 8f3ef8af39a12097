import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { deliver } from '../../app/deliver.ts';
import { OFFLINE_CHOICE } from '../../app/providers.ts';
import { videoOut } from '../flag-schemas.ts';
import { formatDuration, printRecord } from '../../cli/output.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { enqueueDetached } from '../enqueue.ts';
import { projectFor } from '../resolve.ts';

export const Options = z
  .object({ out: videoOut, lyricsOverlay: z.boolean().optional(), autoApprove: z.boolean().optional(), detach: z.boolean().optional() })
  .strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const out = options.out;
  const payload = { auto_approve: options.autoApprove === true || ctx.yes, lyrics_overlay: options.lyricsOverlay === true };
  if (options.detach === true) {
    if (out !== undefined) throw new OmveeError('usage', '--detach cannot be combined with --out', { hint: 'a worker renders the video; copy it afterwards with: omvee render <project> --yes --out FILE' });
    return enqueueDetached(ctx, args[0]!, 'assemble_video', payload);
  }
  // rendering calls no provider: none is built from keys, so none is required
  const pipeline = await openCommandPipeline(ctx, { choice: OFFLINE_CHOICE });
  const project = await projectFor(ctx, pipeline.services.store, args[0]!);
  const job = await pipeline.step('assemble_video', project, payload, 'rendering the final cut');
  const final = await pipeline.services.store.get('final_videos', String(job.result?.final_video_id));
  if (!final?.video_path) throw new OmveeError('internal', 'render finished without a stored video');
  const output = out ? await deliver(pipeline.services, final.video_path, out, ctx.io.cwd) : pipeline.services.blobs.localPath(final.video_path);
  ctx.success(`rendered ${formatDuration(final.duration_s)} (${final.frame_count} frames)${output ? ` → ${output}` : ''}`);
  const result = { project_id: project.id, final_video_id: final.id, job_id: job.id, video_path: final.video_path, output, duration_s: final.duration_s, frame_count: final.frame_count, size_bytes: final.size_bytes, lyrics_overlay: final.lyrics_overlay };
  printRecord(ctx, Object.entries(result), result);
}
