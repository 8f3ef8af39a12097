/**
 * Step 5 — a moving clip per scene, exactly as many frames as the scene's share of the
 * timeline, in the one house format, so the final cut joins them without re-encoding and
 * the sum of the clips is the song to the frame.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { assertKeyInScope } from '../../blobs/scoped.ts';
import { OmveeError } from '../errors.ts';
import type { GeneratedImage, Project, Scene, ScenePrompt, VideoClip } from '../model.ts';
import type { ClipResult } from '../../providers/ports.ts';
import { sceneFrameCounts } from '../timeline/index.ts';
import { meanEnergy, paceCurve } from '../video/music.ts';
import { finishSettings, planFinishes, projectIsOffline, type FinishPlan, type FinishRequest, type SceneFinish } from './finish.ts';
import { budgetStop } from '../cost/budget.ts';
import { forEachScene, takeFix, throwIfFailed } from './batch.ts';
import { materialize, scratch, seedFor, type PipelineDeps } from './deps.ts';
import { countScenesWithout } from './images-step.ts';
import { motionForTake } from './clip-motion.ts';
import { chosenImage } from './preview-step.ts';
import { clipFits } from '../video/project-format.ts';
import { listScenes } from './scenes-step.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';
import { clipReviews, latestCompleted, otherTakesPredictionIds, pickScenes, recordAttempt, sceneNumber, takeCost, takesOf, takeToWorkOn } from './takes.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface ClipOptions extends FinishRequest {
  scenes?: readonly number[];
  newTake?: boolean;
}

/** Per scene id, the light end of its prompt's palette (the visualizer's colour). */
export function accentColours(prompts: ReadonlyMap<string, ScenePrompt>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, p] of prompts) {
    const last = p.color_palette?.[p.color_palette.length - 1];
    if (last && /^#[0-9a-f]{6}$/i.test(last)) out.set(id, last);
  }
  return out;
}

/** The finish plan of a project's clips for these options (captions, flashes, visualizer). */
export async function clipFinishPlan(deps: PipelineDeps, project: Project, scenes: readonly Scene[], prompts: ReadonlyMap<string, ScenePrompt>, request: FinishRequest, signal?: AbortSignal): Promise<FinishPlan> {
  const settings = finishSettings(deps, project, request, await projectIsOffline(deps, project));
  const songPath = settings.visualizer !== 'none' && project.audio_path ? await materialize(deps, project.audio_path) : undefined;
  return planFinishes(deps, { project, scenes, settings, analysis: analysisOf(project, request.analysis), accent: accentColours(prompts), ...(songPath ? { songPath } : {}), ...(signal ? { signal } : {}) });
}

/** The music under a scene for the clip maker: energy (analysis, else the director's guess) and the camera's pace. */
export function sceneMusic(scene: Scene, analysis: FinishRequest['analysis']): { energy: number | null; pace: readonly number[] | null } {
  return { energy: meanEnergy(analysis, scene.start_time_s, scene.end_time_s) ?? scene.energy ?? null, pace: paceCurve(analysis, scene.start_time_s, scene.end_time_s) };
}

/** Frames each scene gets in the final cut, by scene id. */
export function frameBudget(project: Project, scenes: readonly Scene[]): Map<string, number> {
  const counts = sceneFrameCounts(scenes, project.fps);
  return new Map(scenes.map((s, i) => [s.id, counts[i]!]));
}

export async function generateClips(deps: PipelineDeps, project: Project, options: ClipOptions, step: StepContext): Promise<{ generated: VideoClip[]; skipped: number; costUsd: number }> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const analysis = analysisOf(project, options.analysis);
  const all = await listScenes(deps, project.id);
  const scenes = pickScenes(all, options.scenes);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const frames = frameBudget(project, all);
  const images = await deps.store.list('generated_images', { where: { project_id: project.id, status: 'completed' } });
  const approvals = await deps.store.list('user_approvals', { where: { project_id: project.id } });
  const reviews = clipReviews(approvals);
  const prompts = new Map((await deps.store.list('scene_prompts', { where: { project_id: project.id } })).map((p) => [p.scene_id, p]));
  // a still made for another frame (the project's shape changed) is not used
  const imageFor = (scene: Scene): GeneratedImage | null => chosenImage(scene, images, approvals, project);
  const missing = scenes.filter((s) => imageFor(s) === null);
  if (missing.length > 0) {
    const otherShape = missing.some((s) => images.some((i) => i.scene_id === s.id));
    throw new OmveeError('invalid_input', `scene${missing.length > 1 ? 's' : ''} ${missing.map(sceneNumber).join(', ')} ha${missing.length > 1 ? 've' : 's'} no image ${otherShape ? `made for ${project.width}×${project.height} (the project's frame changed)` : 'yet'}`, { hint: `run: omvee images generate ${project.id}` });
  }
  // image keys come from user-writable rows: all checked before anything is generated
  for (const scene of scenes) assertKeyInScope(scoped.scope, imageFor(scene)!.image_path, 'generated_images.image_path');

  const plan = await clipFinishPlan(deps, project, all, prompts, { ...options, analysis }, step.signal);
  const work = await scratch(deps, 'clips');
  let skipped = 0;
  try {
    const batch = await forEachScene(
      scenes,
      deps.concurrency?.clips ?? 2,
      step.signal,
      async (scene, progress) => {
        // a new take when the latest one no longer fits the scene's times, or was rejected
        const current = latestCompleted(await takesOf(deps.store, 'video_clips', scene.id));
        const stale = current !== null && (current.frame_count !== frames.get(scene.id) || !clipFits(current, project) || reviews.get(current.id)?.decision === 'rejected');
        const take = await takeToWorkOn(deps.store, 'video_clips', scene, options.newTake === true || stale);
        if (!take) {
          skipped += 1;
          return null;
        }
        // re-attaching to a stored prediction costs nothing new; a new prediction must fit --max-cost
        const reservation = deps.budget && !take.prediction_id ? await deps.budget.reserve({ projectId: project.id, kind: 'clip', sceneDurationS: scene.end_time_s - scene.start_time_s, label: `scene ${sceneNumber(scene)}`, clip: { frameCount: frames.get(scene.id)!, fps: project.fps, width: project.width, height: project.height } }) : null;
        try {
          // what each paid attempt costs moves from reserved to spent as it is recorded (never counted twice); the rest stays reserved
          return await clipOne(deps, project, scene, imageFor(scene)!, prompts.get(scene.id) ?? null, frames.get(scene.id)!, take, work.dir, step.signal, plan.byScene.get(scene.id), sceneMusic(scene, analysis), progress, (usd) => reservation?.paid(usd));
        } finally {
          reservation?.release();
        }
      },
      (whole, finished, total) => step.progress(100 * whole, `clips ${finished}/${total}`),
    );
    const stopped = budgetStop(batch.failed);
    if (stopped) throw stopped;
    throwIfFailed('clip generation', batch.failed, takeFix('clips', project.id), `omvee clips generate ${project.id}`);
    const generated = batch.done.map((d) => d.value).filter((v): v is VideoClip => v !== null);
    if (generated.length > 0 && ['images_generated', 'prompts_generated', 'scenes_selected'].includes(project.status)) {
      if ((await countScenesWithout(deps, project.id, 'video_clips')) === 0) await deps.store.update('projects', project.id, { status: 'clips_generated' });
    }
    return { generated, skipped, costUsd: generated.reduce((sum, c) => sum + (c.cost_usd ?? 0), 0) };
  } finally {
    await work.cleanup();
  }
}

/** Of one scene's progress, the share the generator fills; normalising its raw clip fills the rest. */
const GENERATE_SHARE = 0.9;

async function clipOne(deps: PipelineDeps, project: Project, scene: Scene, image: GeneratedImage, prompt: ScenePrompt | null, frameCount: number, takeBefore: VideoClip, dir: string, signal: AbortSignal, finished?: SceneFinish, music?: { energy: number | null; pace: readonly number[] | null }, onProgress: (fraction: number) => void = () => undefined, paid?: (usd: number) => void): Promise<VideoClip> {
  const finish = finished?.finish;
  // ── motion (clip-motion.ts): written for this still before the clip is made, kept on the take;
  // the take's cost so far (the motion) is added to what the generator charges ──
  const { motionPrompt, take } = await motionForTake(deps, project, scene, image, prompt, takeBefore, signal);
  const spentBefore = take.cost_usd ?? 0;
  // ── end motion ──
  const generator = deps.providers.clips;
  const seed = take.seed ?? seedFor(project.id, scene.order_idx, 'clip', take.take);
  const format = { width: project.width, height: project.height, fps: project.fps };
  const rawPath = join(dir, `scene-${sceneNumber(scene)}-take-${take.take}.raw.mp4`);
  const finalPath = join(dir, `scene-${sceneNumber(scene)}-take-${take.take}.mp4`);
  await deps.store.update('video_clips', take.id, { status: 'processing', image_id: image.id, model: generator.model, seed, motion_prompt: motionPrompt, error: null });
  try {
    // a provider's raw output is stored as soon as it arrives (it was paid for, and the
    // provider deletes it after an hour); a rerun finishes from it without asking again
    const rawKey = projectKey(project.id, 'clips', `scene-${String(sceneNumber(scene)).padStart(3, '0')}-take-${take.take}.raw.mp4`);
    let result: ClipResult;
    let fromStoredRaw = false;
    if (take.clip_path === rawKey && (await deps.blobs.exists(rawKey))) {
      result = { path: await materialize(deps, rawKey), model: take.model ?? generator.model, costUsd: take.cost_usd ?? 0, predictionId: take.prediction_id, normalized: false };
      fromStoredRaw = true;
    } else {
      const imagePath = await materialize(deps, image.image_path!);
      result = await generator.generate(
        {
          scene,
          imagePath,
          motionPrompt, // motion: written above
          frameCount,
          ...format,
          seed,
          take: take.take,
          outPath: rawPath,
          ...(finish ? { finish } : {}),
          ...(music ? { music } : {}),
          resumePredictionId: take.prediction_id,
          ...(take.attempts?.length ? { attempts: take.attempts } : {}),
          knownPredictionIds: await otherTakesPredictionIds(deps.store, 'video_clips', scene.id, take.id),
          onPrediction: async (predictionId) => {
            await deps.store.update('video_clips', take.id, { prediction_id: predictionId });
          },
          onAttempt: async (attempt) => {
            await recordAttempt(deps.store, 'video_clips', take.id, attempt);
            if (attempt.cost_usd > 0) paid?.(attempt.cost_usd);
          },
        },
        { signal, log: deps.note ?? deps.log, progress: (f) => onProgress(f * GENERATE_SHARE) },
      );
      // the take's whole cost: its recorded attempts, and what was spent on it before (the motion)
      const recorded = await deps.store.get('video_clips', take.id);
      result = { ...result, costUsd: takeCost(recorded ?? {}, result.costUsd, result.attempts, spentBefore) };
      if (!result.normalized) {
        // the bytes must be a video ffprobe can read before they are kept (or trusted later)
        const raw = await deps.media.probeVideo(result.path).catch(() => null);
        if (!raw?.video) {
          await deps.store.update('video_clips', take.id, { model: result.model, cost_usd: result.costUsd, prediction_id: result.predictionId }).catch(() => undefined);
          throw new OmveeError('provider', `the clip for scene ${sceneNumber(scene)} from ${generator.name} is not a video (ffprobe finds no video stream)`, {
            hint: 'check the configured clip model, or generate the take again',
          });
        }
        await deps.blobs.putFile(rawKey, result.path, { contentType: 'video/mp4' });
        await deps.store.update('video_clips', take.id, { clip_path: rawKey, model: result.model, cost_usd: result.costUsd, prediction_id: result.predictionId });
      }
    }
    let clipPath = result.path;
    if (!result.normalized) {
      await deps.media.normalizeClip(result.path, format, frameCount, finalPath, (f) => onProgress(GENERATE_SHARE + f * (1 - GENERATE_SHARE)), finish);
      if (!fromStoredRaw) await unlink(result.path).catch(() => undefined);
      clipPath = finalPath;
    }
    const probe = await deps.media.probeVideo(clipPath);
    if (!probe.video || probe.video.frameCount !== frameCount) {
      throw new OmveeError('verification', `clip for scene ${sceneNumber(scene)} has ${probe.video?.frameCount ?? 0} frames, expected ${frameCount}`);
    }
    const key = projectKey(project.id, 'clips', `scene-${String(sceneNumber(scene)).padStart(3, '0')}-take-${take.take}.mp4`);
    await deps.blobs.putFile(key, clipPath, { contentType: 'video/mp4' });
    await unlink(clipPath).catch(() => undefined);
    const done = await deps.store.update('video_clips', take.id, {
      status: 'completed',
      clip_path: key,
      frame_count: frameCount,
      fps: project.fps,
      duration_s: frameCount / project.fps,
      width: project.width,
      height: project.height,
      model: result.model,
      cost_usd: result.costUsd,
      prediction_id: result.predictionId,
      finish_key: finished?.key ?? null,
      error: null,
    });
    // the provider's raw output is kept: a change of captions re-finishes the clip from it without paying again
    return done;
  } catch (error) {
    if (!signal.aborted) await deps.store.update('video_clips', take.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  }
}
