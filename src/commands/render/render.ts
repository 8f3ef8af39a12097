import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { deliver } from '../../app/deliver.ts';
import { OFFLINE_CHOICE } from '../../app/providers.ts';
import { flagValue } from '../flag-schemas.ts';
import { checkOutPath } from '../../app/deliver.ts';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../core/export/index.ts';
import { cutPreview } from '../preview.ts';
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

const exportFormat = flagValue((raw): ExportFormat | undefined => {
  if (raw === undefined) return undefined;
  const v = String(raw).trim().toLowerCase();
  if (isExportFormat(v)) return v;
  throw new OmveeError('usage', `invalid --export "${String(raw)}"`, { hint: `one of ${EXPORT_FORMATS.join(', ')} (OpenTimelineIO, CMX3600 EDL, Final Cut Pro XML)` });
});

export const Options = z
  .object({
    out: z.string().optional(),
    lyricsOverlay: z.boolean().optional(),
    autoApprove: z.boolean().optional(),
    detach: z.boolean().optional(),
    force: z.boolean().optional(),
    open: z.boolean().optional(),
    uploadOnly: z.boolean().optional(),
    preview: z.boolean().optional(),
    export: exportFormat,
  })
  .strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const modes = [options.preview === true && '--preview', options.export !== undefined && '--export', options.uploadOnly === true && '--upload-only', options.detach === true && '--detach'].filter((m): m is string => typeof m === 'string');
  if (modes.length > 1) throw new OmveeError('usage', `${modes.join(' and ')} cannot be combined`, { hint: 'pick one: omvee render <project> --preview | --export otio --out cut.otio | --upload-only | --detach' });
  if (options.export !== undefined) return exportTimeline(ctx, args[0]!, options.export, options.out, options.autoApprove === true || ctx.yes);
  // the out of a video: checked before any work starts
  const out = options.out === undefined ? undefined : checkOutPath(options.out);
  if (options.preview === true) return preview(ctx, args[0]!, out, options.open === true);
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

/** --preview: the 360p animatic from the stills (no clip needed, nothing paid). */
async function preview(ctx: CliContext, ref: string, out: string | undefined, open: boolean): Promise<void> {
  const pipeline = await openCommandPipeline(ctx, { choice: OFFLINE_CHOICE });
  const project = await projectFor(ctx, pipeline.services.store, ref);
  const started = performance.now();
  const outcome = await cutPreview(ctx, pipeline, project);
  const elapsed = Math.round(performance.now() - started) / 1000;
  const output = out ? await deliver(pipeline.services, outcome.key, out, ctx.io.cwd) : (outcome.localPath ?? (await materialize(pipeline.services, outcome.key)));
  ctx.success(`preview of ${formatDuration(outcome.durationS)} (${outcome.width}x${outcome.height}, ${outcome.frameCount} frames) → ${output} in ${elapsed.toFixed(1)} s`);
  if (open) ctx.info(`opened with ${await openFile(output, ctx.env)}`);
  const result = { project_id: project.id, preview: true, video_path: outcome.key, output, width: outcome.width, height: outcome.height, fps: outcome.fps, duration_s: outcome.durationS, frame_count: outcome.frameCount, size_bytes: outcome.sizeBytes, scenes: outcome.scenes, elapsed_s: elapsed };
  printRecord(ctx, Object.entries(result), result);
}

/** --export FORMAT --out FILE: the cut as a timeline for an editor, the media copied beside it. */
async function exportTimeline(ctx: CliContext, ref: string, format: ExportFormat, out: string | undefined, autoApprove: boolean): Promise<void> {
  if (out === undefined) throw new OmveeError('usage', '--export needs --out FILE', { hint: `e.g. omvee render ${ref} --export ${format} --out cut.${format === 'fcpxml' ? 'fcpxml' : format}` });
  const target = resolve(ctx.io.cwd, out);
  const info = await stat(target).catch(() => null);
  if (info?.isDirectory()) throw new OmveeError('usage', `--out ${out} is a folder`, { hint: `name the timeline file, e.g. --out ${join(out, `cut.${format}`)}` });
  const pipeline = await openCommandPipeline(ctx, { choice: OFFLINE_CHOICE });
  const project = await projectFor(ctx, pipeline.services.store, ref);
  if (!autoApprove && ctx.canPrompt) {
    const pending = await unreviewedScenes(pipeline.services.store, project);
    if (pending.length > 0) {
      await confirmOrCancel(ctx, `Nobody reviewed the clips of scene${pending.length === 1 ? '' : 's'} ${pending.join(', ')}. Use the latest takes?`, 'nothing exported (review with: omvee clips approve)');
      autoApprove = true;
    }
  }
  const { exportCut } = await import('../../core/pipeline/export-step.ts');
  const progress = await startProgress(ctx, `exporting the cut as ${format.toUpperCase()}`);
  let outcome;
  try {
    outcome = await exportCut(pipeline.deps, project, { format, outPath: target, autoApprove });
  } catch (error) {
    progress.fail('export failed');
    throw error;
  }
  progress.succeed(`${outcome.clips} clips, ${outcome.markers} markers`);
  ctx.success(`timeline ${outcome.path} with its media in ${outcome.mediaDir}`);
  const result = { project_id: project.id, format, path: outcome.path, media_dir: outcome.mediaDir, clips: outcome.clips, markers: outcome.markers };
  printRecord(ctx, Object.entries(result), result);
}
