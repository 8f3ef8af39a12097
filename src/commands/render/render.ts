import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { deliver } from '../../app/deliver.ts';
import { OFFLINE_CHOICE } from '../../app/providers.ts';
import { videoOut } from '../flag-schemas.ts';
import { formatDuration, printRecord } from '../../cli/output.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { materialize } from '../../core/pipeline/deps.ts';
import { usableFinal } from '../../core/pipeline/final-video.ts';
import { unreviewedScenes } from '../../core/pipeline/review.ts';
import { confirmOrCancel } from '../../cli/prompts.ts';
import { openFile } from '../../app/open-file.ts';
import { enqueueDetached } from '../enqueue.ts';
import { projectFor } from '../resolve.ts';
import type { Pipeline } from '../../app/pipeline.ts';
import type { Project } from '../../core/model.ts';
import { startProgress } from '../../cli/progress.ts';

export const Options = z
  .object({ out: videoOut, lyricsOverlay: z.boolean().optional(), autoApprove: z.boolean().optional(), detach: z.boolean().optional(), force: z.boolean().optional(), open: z.boolean().optional(), uploadOnly: z.boolean().optional() })
  .strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const out = options.out;
  const payload: { auto_approve: boolean; lyrics_overlay: boolean } = { auto_approve: options.autoApprove === true || ctx.yes, lyrics_overlay: options.lyricsOverlay === true };
  if (options.detach === true) {
    if (out !== undefined) throw new OmveeError('usage', '--detach cannot be combined with --out', { hint: 'a worker renders the video; copy it afterwards with: omvee render <project> --yes --out FILE' });
    return enqueueDetached(ctx, args[0]!, 'assemble_video', payload);
  }
  // rendering calls no provider: none is built from keys, so none is required
  const pipeline = await openCommandPipeline(ctx, { choice: OFFLINE_CHOICE });
  const { store } = pipeline.services;
  const project = await projectFor(ctx, store, args[0]!);
  if (options.uploadOnly === true) return uploadOnly(ctx, pipeline, project, out);
  // a cut nothing has changed since is copied, not made again
  const standing = options.force ? null : await usableFinal(store, project.id, payload.lyrics_overlay, project);
  let final = standing;
  let jobId: string | null = null;
  if (!final) {
    if (!payload.auto_approve && ctx.canPrompt) {
      const pending = await unreviewedScenes(store, project);
      if (pending.length > 0) {
        await confirmOrCancel(ctx, `Nobody reviewed the clips of scene${pending.length === 1 ? '' : 's'} ${pending.join(', ')}. Use the latest takes?`, 'nothing rendered (review with: omvee clips approve)');
        payload.auto_approve = true;
      }
    }
    const job = await pipeline.step('assemble_video', project, payload, 'rendering the final cut');
    jobId = job.id;
    final = await store.get('final_videos', String(job.result?.final_video_id));
  }
  if (!final?.video_path) throw new OmveeError('internal', 'render finished without a stored video');
  const output = out ? await deliver(pipeline.services, final.video_path, out, ctx.io.cwd) : pipeline.services.blobs.localPath(final.video_path);
  if (standing) ctx.success(`the cut of ${final.created_at.slice(0, 16).replace('T', ' ')} is up to date (nothing changed since): ${output ? `copied → ${output}` : 'not rendered again'} (--force renders anew)`);
  else ctx.success(`rendered ${formatDuration(final.duration_s)} (${final.frame_count} frames)${output ? ` → ${output}` : ''}`);
  if (options.open) ctx.info(`opened with ${await openFile(output ?? (await materialize(pipeline.services, final.video_path)), ctx.env)}`);
  const result = { project_id: project.id, final_video_id: final.id, job_id: jobId, video_path: final.video_path, output, duration_s: final.duration_s, frame_count: final.frame_count, size_bytes: final.size_bytes, lyrics_overlay: final.lyrics_overlay, rendered: standing === null };
  printRecord(ctx, Object.entries(result), result);
}

/** --upload-only: store the render kept after a failed upload (core: uploadKeptRender) */
async function uploadOnly(ctx: CliContext, pipeline: Pipeline, project: Project, out: string | undefined): Promise<void> {
  const { uploadKeptRender } = await import('../../core/pipeline/render-step.ts');
  const progress = await startProgress(ctx, 'uploading the kept render');
  let outcome;
  try {
    outcome = await uploadKeptRender(pipeline.deps, project, { signal: ctx.signal, progress: (percent, detail) => progress.update(detail ?? 'uploading', percent) });
  } catch (error) {
    progress.fail('upload failed');
    throw error;
  }
  progress.succeed('stored');
  const final = outcome.final;
  const output = out ? await deliver(pipeline.services, final.video_path!, out, ctx.io.cwd) : outcome.localPath;
  ctx.success(`stored the render of ${formatDuration(final.duration_s)} (${final.frame_count} frames) as ${final.video_path}`);
  const result = { project_id: project.id, final_video_id: final.id, job_id: null, video_path: final.video_path, output, duration_s: final.duration_s, frame_count: final.frame_count, size_bytes: final.size_bytes, lyrics_overlay: final.lyrics_overlay };
  printRecord(ctx, Object.entries(result), result);
}
