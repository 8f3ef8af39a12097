/**
 * Step 6 — the final cut: the chosen clip of every scene in order, joined without
 * re-encoding, muxed with the song (optionally with burned-in lyrics), verified with ffprobe
 * (frame count = the song to the frame, audio and video ending together), then stored.
 *
 * Remote storage has a size limit (Supabase: the bucket's file_size_limit or the plan's): the
 * final size is estimated from the clips (joined without re-encoding) and the audio bitrate and
 * checked BEFORE encoding. If the upload fails anyway, the rendered file is kept on this machine
 * (work/renders/) and `omvee render <project> --upload-only` (uploadKeptRender) stores it later
 * without rendering again.
 */
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { assertKeyInScope } from '../../blobs/scoped.ts';
import { OmveeError } from '../errors.ts';
import type { FinalVideo, Project, Scene, VideoClip } from '../model.ts';
import { totalFrames } from '../timeline/index.ts';
import { materialize, scratch, type PipelineDeps } from './deps.ts';
import { clipFinishPlan, frameBudget, sceneMusic } from './clips-step.ts';
import { forEachScene, throwIfFailed } from './batch.ts';
import type { FinishRequest, SceneFinish } from './finish.ts';
import { LOCAL_MOTION_MODEL, chooseMotion } from '../video/motion.ts';
import { listScenes } from './scenes-step.ts';
import { clipFits } from '../video/project-format.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';
import { clipForScene, latestCompleted, sceneNumber } from './takes.ts';
import { requireAudio } from './transcript-step.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface RenderOptions extends FinishRequest {
  /** use the latest completed take of scenes nobody approved (or rejected) */
  autoApprove: boolean;
  /** the older flag (job payload lyrics_overlay): true asks for captions, see FinishRequest */
  lyricsOverlay: boolean;
}

/** the song is muxed as AAC at 192 kb/s (media/render.ts) */
const AUDIO_BYTES_PER_SECOND = 192_000 / 8;
/** container overhead and the re-encode of burned-in lyrics vary: a margin on the estimate */
const ESTIMATE_SLACK = 1.03;

const mbText = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** where a render whose upload failed waits for `omvee render --upload-only` */
export function keptRenderPath(deps: Pick<PipelineDeps, 'workDir'>, projectId: string, finalId: string): string {
  return join(deps.workDir, 'renders', projectId, `${finalId}.mp4`);
}

/** Fail before encoding when the final video cannot fit the storage's per-object limit. */
async function checkFinalFits(deps: Pick<PipelineDeps, 'blobs'>, clipPaths: readonly string[], durationS: number, projectId: string): Promise<void> {
  const limit = deps.blobs.uploadLimit ? await deps.blobs.uploadLimit() : null;
  if (!limit) return;
  let clipBytes = 0;
  for (const clip of clipPaths) clipBytes += (await stat(clip)).size;
  const estimate = Math.round((clipBytes + AUDIO_BYTES_PER_SECOND * durationS) * ESTIMATE_SLACK);
  if (estimate <= limit.bytes) return;
  const where = limit.source === 'bucket' ? "the bucket's file_size_limit" : limit.source === 'setting' ? 'OMVEE_MAX_UPLOAD_BYTES' : "Supabase's default (the free plan's 50 MB)";
  throw new OmveeError('invalid_input', `the final video would be about ${mbText(estimate)}, more than the ${mbText(limit.bytes)} storage takes per file (${where}); nothing was rendered`, {
    hint:
      limit.source === 'bucket'
        ? "raise the bucket's file size limit (Supabase dashboard → Storage → project-files → Edit bucket), or render a lower resolution project"
        : `if your plan allows larger files set OMVEE_MAX_UPLOAD_BYTES (Project Settings → Storage shows the limit), or render a lower resolution project; project ${projectId}`,
    details: { estimate, limit: limit.bytes, source: limit.source },
  });
}

export interface RenderOutcome {
  final: FinalVideo;
  /** where the file is on this machine (local blobs) or was staged */
  localPath: string | null;
  clips: VideoClip[];
}

/** The clip each scene goes into the cut with, or an error saying which scenes are not ready. */
export async function chooseClips(deps: Pick<PipelineDeps, 'store'>, project: Project, scenes: readonly Scene[], autoApprove: boolean): Promise<VideoClip[]> {
  const clips = await deps.store.list('video_clips', { where: { project_id: project.id, status: 'completed' } });
  const approvals = await deps.store.list('user_approvals', { where: { project_id: project.id } });
  const frames = frameBudget(project, scenes);
  const chosen: VideoClip[] = [];
  const unready: string[] = [];
  // takes made for another frame never go into the cut, and their reviews go with them: an approval
  // of the old shape does not hide the take made for the new one
  const fitting = clips.filter((c) => clipFits(c, project));
  const fittingIds = new Set(fitting.map((c) => c.id));
  const reviews = approvals.filter((a) => a.clip_id === null || fittingIds.has(a.clip_id));
  for (const scene of scenes) {
    const { clip, reason } = clipForScene(scene.id, fitting.filter((c) => c.scene_id === scene.id), reviews, autoApprove);
    if (!clip) {
      const other = latestCompleted(clips.filter((c) => c.scene_id === scene.id && !fittingIds.has(c.id)));
      unready.push(
        reason === 'no clip' && other
          ? `${sceneNumber(scene)} (clip made for ${other.width}×${other.height} at ${other.fps} fps, the project is now ${project.width}×${project.height} at ${project.fps} fps: regenerate it)`
          : `${sceneNumber(scene)} (${reason})`,
      );
      continue;
    }
    if (clip.frame_count !== frames.get(scene.id)) {
      unready.push(`${sceneNumber(scene)} (clip has ${clip.frame_count} frames, the scene now needs ${frames.get(scene.id)}: regenerate it)`);
      continue;
    }
    chosen.push(clip);
  }
  if (unready.length > 0) {
    const hints = [`make missing, rejected or outdated clips with: omvee clips generate ${project.id}`];
    if (!autoApprove) hints.unshift(`approve clips (omvee clips approve ${project.id}) or render with --yes to use the latest takes nobody rejected`);
    throw new OmveeError('invalid_input', `not every scene has a clip to use: scene ${unready.join(', ')}`, { hint: hints.join('; ') });
  }
  return chosen;
}

export async function renderFinal(deps: PipelineDeps, project: Project, options: RenderOptions, step: StepContext): Promise<RenderOutcome> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const { audioPath, durationS } = requireAudio(project, scoped.scope);
  const analysis = analysisOf(project, options.analysis);
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const clips = await chooseClips(deps, project, scenes, options.autoApprove);
  for (const clip of clips) assertKeyInScope(scoped.scope, clip.clip_path, 'video_clips.clip_path');
  const expectedFrames = totalFrames(durationS, project.fps);
  const sum = clips.reduce((n, c) => n + (c.frame_count ?? 0), 0);
  if (sum !== expectedFrames) {
    throw new OmveeError('verification', `the clips add up to ${sum} frames but the song needs ${expectedFrames}`, { hint: `the scenes no longer cover the song: run omvee scenes select ${project.id}` });
  }
  const final = await deps.store.insert('final_videos', { project_id: project.id, status: 'processing', lyrics_overlay: options.lyricsOverlay, fps: project.fps, width: project.width, height: project.height });
  const work = await scratch(deps, 'render');
  try {
    step.progress(2, 'gathering clips');
    const prompts = new Map((await deps.store.list('scene_prompts', { where: { project_id: project.id } })).map((p) => [p.scene_id, p]));
    const plan = await clipFinishPlan(deps, project, scenes, prompts, { ...options, analysis }, step.signal);
    if (plan.settings.captions !== 'none' && (project.transcript?.segments.length ?? 0) === 0) deps.log('no lyrics to caption: rendering without them');
    const clipOf = new Map(clips.map((c) => [c.scene_id, c]));
    const stale = scenes.filter((s) => (clipOf.get(s.id)!.finish_key ?? null) !== (plan.byScene.get(s.id)?.key ?? null));
    const refinished = new Map<string, string>();
    const batch = await forEachScene(
      stale,
      deps.concurrency?.clips ?? 2,
      step.signal,
      async (scene, progress) => {
        const clip = clipOf.get(scene.id)!;
        refinished.set(clip.id, await refinishClip(deps, project, scene, clip, plan.byScene.get(scene.id)!, work.dir, analysis, progress));
      },
      (whole, finished, total) => step.progress(2 + whole * 40, `captions ${finished}/${total}`),
    );
    throwIfFailed('captioning clips', batch.failed);
    const clipPaths: string[] = [];
    for (const clip of clips) clipPaths.push(refinished.get(clip.id) ?? (await materialize(deps, clip.clip_path!)));
    const songPath = await materialize(deps, audioPath);
    await checkFinalFits(deps, clipPaths, expectedFrames / project.fps, project.id);
    const outPath = join(work.dir, 'final.mp4');
    await deps.media.render(
      { clipPaths, audioPath: songPath, totalFrames: expectedFrames, fps: project.fps, outPath },
      (fraction) => step.progress(45 + fraction * 45, 'rendering'),
      step.signal,
    );
    step.progress(92, 'verifying');
    const probe = await deps.media.probeVideo(outPath);
    verifyFinal(probe, expectedFrames, project.fps);
    const size = (await stat(outPath)).size;
    // uploaded from where it is kept when the upload fails (or is interrupted), so a later
    // --upload-only finds it and a resumable upload of the same file goes on where it stopped
    const kept = keptRenderPath(deps, project.id, final.id);
    await mkdir(dirname(kept), { recursive: true });
    await rename(outPath, kept);
    const done = await storeFinal(deps, project, final, kept, size, expectedFrames, step, 94);
    step.progress(100, 'done');
    return { final: done, localPath: deps.blobs.localPath(done.video_path!), clips };
  } catch (error) {
    await deps.store.update('final_videos', final.id, { status: step.signal.aborted ? 'canceled' : 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    await work.cleanup();
  }
}

/**
 * Upload a verified render (at keptRenderPath) and mark it completed, then remove the local
 * copy. When the upload fails the file stays there and the error says how to retry.
 */
async function storeFinal(deps: PipelineDeps, project: Project, final: FinalVideo, file: string, size: number, frames: number, step: StepContext, from: number): Promise<FinalVideo> {
  const key = projectKey(project.id, 'final', `${final.id}.mp4`);
  try {
    await deps.blobs.putFile(key, file, {
      contentType: 'video/mp4',
      signal: step.signal,
      onProgress: (sent, total) => step.progress(from + ((100 - from - 1) * sent) / Math.max(1, total), `uploading ${mbText(sent)} of ${mbText(total)}`),
    });
  } catch (error) {
    const kept = file;
    const e = error instanceof OmveeError ? error : new OmveeError('store', error instanceof Error ? error.message : String(error));
    throw new OmveeError(e.code === 'interrupted' ? 'interrupted' : e.code, `the video was rendered but not stored: ${e.message}`, {
      hint: `${e.hint ? `${e.hint}; then ` : ''}upload it without rendering again: omvee render ${project.id} --upload-only (the render is kept at ${kept})`,
      cause: error,
      details: { ...e.details, kept_render: kept },
    });
  }
  await unlink(file).catch(() => undefined);
  const done = await deps.store.update('final_videos', final.id, {
    status: 'completed',
    video_path: key,
    duration_s: frames / project.fps,
    frame_count: frames,
    size_bytes: size,
    error: null,
  });
  await deps.store.update('projects', project.id, { status: 'rendered' });
  return done;
}

/**
 * `omvee render <project> --upload-only`: store the newest render whose upload failed, from
 * where renderFinal kept it, after checking it again (frames, audio) — no rendering.
 */
export async function uploadKeptRender(deps: PipelineDeps, project: Project, step: StepContext): Promise<RenderOutcome> {
  const { durationS } = requireAudio(project);
  const finals = await deps.store.list('final_videos', { where: { project_id: project.id, status: { in: ['failed', 'canceled'] } }, order: { column: 'created_at', ascending: false } });
  for (const final of finals) {
    const kept = keptRenderPath(deps, project.id, final.id);
    const info = await stat(kept).catch(() => null);
    if (!info?.isFile()) continue;
    step.progress(2, 'verifying the kept render');
    const expectedFrames = totalFrames(durationS, project.fps);
    verifyFinal(await deps.media.probeVideo(kept), expectedFrames, project.fps);
    const done = await storeFinal(deps, project, final, kept, info.size, expectedFrames, step, 5);
    step.progress(100, 'done');
    return { final: done, localPath: deps.blobs.localPath(done.video_path!), clips: [] };
  }
  throw new OmveeError('not_found', `project ${project.name} has no rendered video waiting to be uploaded`, { hint: `render it: omvee render ${project.id}` });
}

/**
 * A clip with the finish the cut needs, when the stored one has another burned in (the captions
 * changed since it was made): from the provider's raw output when it was kept, from the stored
 * clip when nothing was burned into it, or — for offline clips — remade from the still (free).
 * Written to the render's scratch folder; the stored take is left as it is.
 */
export async function refinishClip(deps: PipelineDeps, project: Project, scene: Scene, clip: VideoClip, want: SceneFinish, dir: string, analysis?: FinishRequest['analysis'], progress?: (fraction: number) => void): Promise<string> {
  const format = { width: project.width, height: project.height, fps: project.fps };
  const out = join(dir, `refinished-${clip.id}.mp4`);
  const n = sceneNumber(scene);
  const rawKey = projectKey(project.id, 'clips', `scene-${String(n).padStart(3, '0')}-take-${clip.take}.raw.mp4`);
  if (await deps.blobs.exists(rawKey)) {
    await deps.media.normalizeClip(await materialize(deps, rawKey), format, want.frameCount, out, progress, want.finish);
  } else if ((clip.finish_key ?? null) === null && clip.clip_path) {
    await deps.media.normalizeClip(await materialize(deps, clip.clip_path), format, want.frameCount, out, progress, want.finish);
  } else if (clip.model === LOCAL_MOTION_MODEL && clip.image_id) {
    const image = await deps.store.get('generated_images', clip.image_id);
    if (!image?.image_path) throw new OmveeError('invalid_input', `scene ${n}: the still of its clip is gone`, { hint: `make a new take: omvee clips generate ${project.id} --scenes ${n} --new-take` });
    const motion = chooseMotion({ prompt: clip.motion_prompt, sceneIndex: scene.order_idx, seed: clip.seed ?? 0, take: clip.take, ...sceneMusic(scene, analysis) });
    await deps.media.motionClip(await materialize(deps, image.image_path), format, want.frameCount, motion, out, undefined, want.finish);
  } else {
    throw new OmveeError('invalid_input', `scene ${n}: its clip has other captions burned in and no clean copy is left`, { hint: `make a new take: omvee clips generate ${project.id} --scenes ${n} --new-take` });
  }
  return out;
}

/** The checks a final video must pass before it is called done. */
export function verifyFinal(probe: Awaited<ReturnType<PipelineDeps['media']['probeVideo']>>, expectedFrames: number, fps: number): void {
  if (!probe.video) throw new OmveeError('verification', 'the rendered file has no video stream');
  if (!probe.audio) throw new OmveeError('verification', 'the rendered file has no audio stream');
  if (probe.video.frameCount !== expectedFrames) {
    throw new OmveeError('verification', `the rendered video has ${probe.video.frameCount} frames, expected ${expectedFrames}`);
  }
  const videoS = expectedFrames / fps;
  if (Math.abs(probe.audio.durationS - videoS) > 1 / fps + 1e-3) {
    throw new OmveeError('verification', `audio (${probe.audio.durationS.toFixed(3)} s) and video (${videoS.toFixed(3)} s) do not end together`);
  }
}
