import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { checkOutPath, deliver } from '../../cli/deliver.ts';
import { formatDuration, printRecord } from '../../cli/output.ts';
import { openPipeline } from '../../cli/pipeline.ts';
import { enqueueDetached } from '../enqueue.ts';
import { resolveProject } from '../../core/projects.ts';
import type { Project } from '../../core/model.ts';

export async function run(ctx: CliContext, { args, options }: CommandInput): Promise<void> {
  const out = typeof options.out === 'string' ? options.out : undefined;
  if (out !== undefined) checkOutPath(out);
  const payload = { auto_approve: options.autoApprove === true || ctx.yes, lyrics_overlay: options.lyricsOverlay === true };
  if (options.detach === true) {
    if (out !== undefined) throw new OmveeError('usage', '--detach cannot be combined with --out', { hint: 'a worker renders the video; copy it afterwards with: omvee render <project> --yes --out FILE' });
    return enqueueDetached(ctx, args[0]!, 'assemble_video', payload);
  }
  const pipeline = await openPipeline(ctx, { transcriber: 'local', director: 'local', images: 'local', clips: 'local' });
  const project = await resolveProject(pipeline.services.store, args[0]!);
  if (options.uploadOnly === true) return uploadOnly(ctx, pipeline, project, out);
  const job = await pipeline.step('assemble_video', project, payload, 'rendering the final cut');
  const final = await pipeline.services.store.get('final_videos', String(job.result?.final_video_id));
  if (!final?.video_path) throw new OmveeError('internal', 'render finished without a stored video');
  const output = out ? await deliver(pipeline.services, final.video_path, out, ctx.io.cwd) : pipeline.services.blobs.localPath(final.video_path);
  ctx.success(`rendered ${formatDuration(final.duration_s)} (${final.frame_count} frames)${output ? ` → ${output}` : ''}`);
  const result = { project_id: project.id, final_video_id: final.id, job_id: job.id, video_path: final.video_path, output, duration_s: final.duration_s, frame_count: final.frame_count, size_bytes: final.size_bytes, lyrics_overlay: final.lyrics_overlay };
  printRecord(ctx, Object.entries(result), result);
}

/** --upload-only: store the render kept after a failed upload (core: uploadKeptRender) */
async function uploadOnly(ctx: CliContext, pipeline: Awaited<ReturnType<typeof openPipeline>>, project: Project, out: string | undefined): Promise<void> {
  const [{ uploadKeptRender }, { startProgress }] = await Promise.all([import('../../core/pipeline/render-step.ts'), import('../../cli/progress.ts')]);
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
