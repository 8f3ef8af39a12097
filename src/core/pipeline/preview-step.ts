/**
 * The preview: an animatic cut from the stills before any clip is paid for — each scene's chosen
 * still with its camera move, the captions and the rest of the finish, and the song — at 360p
 * (the short side; the project's shape and frame rate), encoded fast (x264 ultrafast) and joined
 * by stream copy like the final cut. Stored as projects/{id}/final/preview.mp4.
 */
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { OmveeError } from '../errors.ts';
import type { GeneratedImage, Project, Scene, UserApproval } from '../model.ts';
import { totalFrames } from '../timeline/index.ts';
import { scaledFrame, type FrameSize } from '../video/frame-format.ts';
import { stillFits } from '../video/project-format.ts';
import { chooseMotion } from '../video/motion.ts';
import { forEachScene, throwIfFailed } from './batch.ts';
import { accentColours, sceneMusic } from './clips-step.ts';
import { materialize, scratch, type PipelineDeps } from './deps.ts';
import { finishSettings, planFinishes, projectIsOffline, type FinishRequest } from './finish.ts';
import { verifyFinal } from './render-step.ts';
import { listScenes } from './scenes-step.ts';
import type { StepContext } from './step.ts';
import { latestCompleted, sceneNumber } from './takes.ts';
import { requireAudio } from './transcript-step.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface PreviewOptions extends FinishRequest {
  /** the short side of the animatic in pixels (default 360) */
  shortSide?: number;
}

export interface PreviewOutcome {
  /** storage key of the animatic */
  key: string;
  /** where it is on this machine (local blobs), else null */
  localPath: string | null;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationS: number;
  sizeBytes: number;
  scenes: number;
}

export const PREVIEW_SHORT_SIDE = 360;

/**
 * The still a scene goes into a clip with: the one approved last, else its latest completed
 * take — among the stills made for `frame` when given (a still of another shape is stale).
 */
export function chosenImage(scene: Scene, images: readonly GeneratedImage[], approvals: readonly UserApproval[], frame?: FrameSize): GeneratedImage | null {
  const usable = images.filter((i) => i.scene_id === scene.id && (!frame || stillFits(i, frame)));
  const approved = approvals
    .filter((a) => a.scene_id === scene.id && a.image_id !== null && a.decision === 'approved')
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
  const chosen = approved ? usable.find((i) => i.id === approved.image_id) : undefined;
  return chosen ?? latestCompleted(usable);
}

export async function renderPreview(deps: PipelineDeps, project: Project, options: PreviewOptions, step: StepContext): Promise<PreviewOutcome> {
  const { audioPath, durationS } = requireAudio(project);
  const analysis = analysisOf(project, options.analysis);
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const images = await deps.store.list('generated_images', { where: { project_id: project.id, status: 'completed' } });
  const approvals = await deps.store.list('user_approvals', { where: { project_id: project.id } });
  const stills = new Map(scenes.map((s) => [s.id, chosenImage(s, images, approvals, project)]));
  const missing = scenes.filter((s) => !stills.get(s.id));
  if (missing.length > 0) {
    const otherShape = missing.some((s) => images.some((i) => i.scene_id === s.id));
    throw new OmveeError('invalid_input', `scene${missing.length > 1 ? 's' : ''} ${missing.map(sceneNumber).join(', ')} ha${missing.length > 1 ? 've' : 's'} no image ${otherShape ? `made for ${project.width}×${project.height} (the project's frame changed)` : 'yet'}`, { hint: `run: omvee images generate ${project.id}` });
  }
  const prompts = new Map((await deps.store.list('scene_prompts', { where: { project_id: project.id } })).map((p) => [p.scene_id, p]));

  const size = scaledFrame({ width: project.width, height: project.height }, options.shortSide ?? PREVIEW_SHORT_SIDE);
  const format = { ...size, fps: project.fps };
  const expected = totalFrames(durationS, project.fps);
  const work = await scratch(deps, 'preview');
  try {
    step.progress(1, 'planning');
    const songPath = await materialize(deps, audioPath);
    const settings = finishSettings(deps, project, options, await projectIsOffline(deps, project));
    const plan = await planFinishes(deps, { project, scenes, settings, analysis, format, songPath, accent: accentColours(prompts), visualizerEvery: 2, signal: step.signal });
    const clipPaths = new Map<string, string>();
    const batch = await forEachScene(
      scenes,
      deps.concurrency?.clips ?? 2,
      step.signal,
      async (scene, progress) => {
        const f = plan.byScene.get(scene.id)!;
        const image = stills.get(scene.id)!;
        const out = join(work.dir, `scene-${sceneNumber(scene)}.mp4`);
        const motion = chooseMotion({ prompt: prompts.get(scene.id)?.motion_prompt ?? null, sceneIndex: scene.order_idx, seed: image.seed ?? 0, take: image.take, ...sceneMusic(scene, analysis) });
        await deps.media.motionClip(await materialize(deps, image.image_path!), format, f.frameCount, motion, out, progress, f.finish, 'draft');
        clipPaths.set(scene.id, out);
      },
      (whole, finished, total) => step.progress(3 + 85 * whole, `animatic ${finished}/${total}`),
    );
    throwIfFailed('the preview', batch.failed);
    const outPath = join(work.dir, 'preview.mp4');
    await deps.media.render({ clipPaths: scenes.map((s) => clipPaths.get(s.id)!), audioPath: songPath, totalFrames: expected, fps: project.fps, outPath }, (fr) => step.progress(88 + fr * 8, 'joining'), step.signal);
    verifyFinal(await deps.media.probeVideo(outPath), expected, project.fps);
    const sizeBytes = (await stat(outPath)).size;
    const key = projectKey(project.id, 'final', 'preview.mp4');
    await deps.blobs.putFile(key, outPath, { contentType: 'video/mp4' });
    await unlink(outPath).catch(() => undefined);
    step.progress(100, 'done');
    return { key, localPath: deps.blobs.localPath(key), ...size, fps: project.fps, frameCount: expected, durationS: expected / project.fps, sizeBytes, scenes: scenes.length };
  } finally {
    await work.cleanup();
  }
}
