/**
 * Step 6 — the final cut: the chosen clip of every scene in order, joined without
 * re-encoding, muxed with the song (optionally with burned-in lyrics), verified with ffprobe
 * (frame count = the song to the frame, audio and video ending together), then stored.
 */
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { OmveeError } from '../errors.ts';
import type { FinalVideo, Project, Scene, VideoClip } from '../model.ts';
import { totalFrames } from '../timeline/index.ts';
import { materialize, scratch, type PipelineDeps } from './deps.ts';
import { clipFinishPlan, frameBudget, sceneMusic } from './clips-step.ts';
import { forEachScene, throwIfFailed } from './batch.ts';
import type { FinishRequest, SceneFinish } from './finish.ts';
import { LOCAL_MOTION_MODEL, chooseMotion } from '../video/motion.ts';
import { listScenes } from './scenes-step.ts';
import type { StepContext } from './step.ts';
import { clipForScene, sceneNumber } from './takes.ts';
import { requireAudio } from './transcript-step.ts';

export interface RenderOptions extends FinishRequest {
  /** use the latest completed take of scenes nobody approved (or rejected) */
  autoApprove: boolean;
  /** the older flag (job payload lyrics_overlay): true asks for captions, see FinishRequest */
  lyricsOverlay: boolean;
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
  for (const scene of scenes) {
    const { clip, reason } = clipForScene(scene.id, clips.filter((c) => c.scene_id === scene.id), approvals, autoApprove);
    if (!clip) {
      unready.push(`${sceneNumber(scene)} (${reason})`);
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
  const { audioPath, durationS } = requireAudio(project);
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const clips = await chooseClips(deps, project, scenes, options.autoApprove);
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
    const plan = await clipFinishPlan(deps, project, scenes, prompts, options, step.signal);
    if (plan.settings.captions !== 'none' && (project.transcript?.segments.length ?? 0) === 0) deps.log('no lyrics to caption: rendering without them');
    const clipOf = new Map(clips.map((c) => [c.scene_id, c]));
    const stale = scenes.filter((s) => (clipOf.get(s.id)!.finish_key ?? null) !== (plan.byScene.get(s.id)?.key ?? null));
    const refinished = new Map<string, string>();
    const batch = await forEachScene(
      stale,
      deps.concurrency?.clips ?? 2,
      step.signal,
      async (scene) => {
        const clip = clipOf.get(scene.id)!;
        refinished.set(clip.id, await refinishClip(deps, project, scene, clip, plan.byScene.get(scene.id)!, work.dir, options.analysis));
      },
      (finished, total) => step.progress(2 + (finished / total) * 40, `captions ${finished}/${total}`),
    );
    throwIfFailed('captioning clips', batch.failed);
    const clipPaths: string[] = [];
    for (const clip of clips) clipPaths.push(refinished.get(clip.id) ?? (await materialize(deps, clip.clip_path!)));
    const songPath = await materialize(deps, audioPath);
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
    const key = projectKey(project.id, 'final', `${final.id}.mp4`);
    await deps.blobs.putFile(key, outPath, { contentType: 'video/mp4' });
    await unlink(outPath).catch(() => undefined);
    const done = await deps.store.update('final_videos', final.id, {
      status: 'completed',
      video_path: key,
      duration_s: expectedFrames / project.fps,
      frame_count: expectedFrames,
      size_bytes: size,
    });
    await deps.store.update('projects', project.id, { status: 'rendered' });
    step.progress(100, 'done');
    return { final: done, localPath: deps.blobs.localPath(key), clips };
  } catch (error) {
    await deps.store.update('final_videos', final.id, { status: step.signal.aborted ? 'canceled' : 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  } finally {
    await work.cleanup();
  }
}

/**
 * A clip with the finish the cut needs, when the stored one has another burned in (the captions
 * changed since it was made): from the provider's raw output when it was kept, from the stored
 * clip when nothing was burned into it, or — for offline clips — remade from the still (free).
 * Written to the render's scratch folder; the stored take is left as it is.
 */
export async function refinishClip(deps: PipelineDeps, project: Project, scene: Scene, clip: VideoClip, want: SceneFinish, dir: string, analysis?: FinishRequest['analysis']): Promise<string> {
  const format = { width: project.width, height: project.height, fps: project.fps };
  const out = join(dir, `refinished-${clip.id}.mp4`);
  const n = sceneNumber(scene);
  const rawKey = projectKey(project.id, 'clips', `scene-${String(n).padStart(3, '0')}-take-${clip.take}.raw.mp4`);
  if (await deps.blobs.exists(rawKey)) {
    await deps.media.normalizeClip(await materialize(deps, rawKey), format, want.frameCount, out, undefined, want.finish);
  } else if ((clip.finish_key ?? null) === null && clip.clip_path) {
    await deps.media.normalizeClip(await materialize(deps, clip.clip_path), format, want.frameCount, out, undefined, want.finish);
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
