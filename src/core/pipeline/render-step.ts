/**
 * Step 6 — the final cut: the chosen clip of every scene in order, joined without
 * re-encoding, muxed with the song (optionally with burned-in lyrics), verified with ffprobe
 * (frame count = the song to the frame, audio and video ending together), then stored.
 */
import { stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { assertKeyInScope } from '../../blobs/scoped.ts';
import { OmveeError } from '../errors.ts';
import { buildAss } from '../captions/ass.ts';
import type { FinalVideo, Project, Scene, VideoClip } from '../model.ts';
import { totalFrames } from '../timeline/index.ts';
import { materialize, scratch, type PipelineDeps } from './deps.ts';
import { frameBudget } from './clips-step.ts';
import { listScenes } from './scenes-step.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';
import { clipForScene, sceneNumber } from './takes.ts';
import { requireAudio } from './transcript-step.ts';

export interface RenderOptions {
  /** use the latest completed take of scenes nobody approved (or rejected) */
  autoApprove: boolean;
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
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const { audioPath, durationS } = requireAudio(project, scoped.scope);
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
    const clipPaths: string[] = [];
    for (const clip of clips) clipPaths.push(await materialize(deps, clip.clip_path!));
    const songPath = await materialize(deps, audioPath);
    let subtitlesPath: string | undefined;
    if (options.lyricsOverlay) {
      const segments = project.transcript?.segments ?? [];
      if (segments.length === 0) deps.log('no lyrics to overlay: rendering without them');
      else {
        subtitlesPath = join(work.dir, 'lyrics.ass');
        await writeFile(subtitlesPath, buildAss(segments, { width: project.width, height: project.height, title: project.name }));
      }
    }
    const outPath = join(work.dir, 'final.mp4');
    await deps.media.render(
      { clipPaths, audioPath: songPath, totalFrames: expectedFrames, fps: project.fps, outPath, ...(subtitlesPath ? { subtitlesPath } : {}) },
      (fraction) => step.progress(5 + fraction * 85, 'rendering'),
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
