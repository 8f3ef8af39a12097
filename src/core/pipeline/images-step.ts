/**
 * Step 4 — a still per scene. Every take is a generated_images row created before the
 * provider is called; the prediction id is stored before waiting; the file is copied into
 * storage before the row is marked completed.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { projectKey } from '../../blobs/keys.ts';
import { assertArtistKey, type KeyScope } from '../../blobs/scoped.ts';
import { OmveeError } from '../errors.ts';
import { IMAGE_CONTENT_TYPES, fileHead, sniffImageFormat } from '../media-sniff.ts';
import type { AudioAnalysis } from '../analysis/model.ts';
import type { GeneratedImage, Project, Scene, ScenePrompt, VideoClip } from '../model.ts';
import type { FrameSize } from '../video/frame-format.ts';
import { clipFits, stillFits } from '../video/project-format.ts';
import { sceneLooks } from '../video/looks.ts';
import { budgetStop } from '../cost/budget.ts';
import { forEachScene, takeFix, throwIfFailed } from './batch.ts';
import { materialize, scratch, seedFor, type PipelineDeps } from './deps.ts';
import { listScenes } from './scenes-step.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';
import { latestCompleted, otherTakesPredictionIds, pickScenes, recordAttempt, sceneNumber, takeCost, takesOf, takeToWorkOn } from './takes.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface ImageOptions {
  /** 1-based scene numbers; all scenes when empty */
  scenes?: readonly number[];
  /** make a new take even where a completed one exists */
  newTake?: boolean;
  /** the song's analysis, when known: scenes of the same section share a look */
  analysis?: AudioAnalysis | null;
}

/** Per scene id, its look: scenes sharing a section (or a repeated line) share a key and the palette of the first of them. */
export function lookPlan(scenes: readonly Scene[], prompts: ReadonlyMap<string, ScenePrompt>, analysis: AudioAnalysis | null | undefined, transcript: Project['transcript']): Map<string, { key: string; index: number; palette: readonly string[] | null }> {
  const looks = sceneLooks(scenes, analysis, transcript);
  // where the project starts in the cycle of composition families, so projects differ
  const offset = scenes[0] ? seedFor(scenes[0].project_id, 'looks') % 10 : 0;
  const first = new Map<string, { index: number; palette: readonly string[] | null }>();
  const out = new Map<string, { key: string; index: number; palette: readonly string[] | null }>();
  scenes.forEach((scene, i) => {
    const key = looks[i]!.key;
    if (!key) return;
    if (!first.has(key)) first.set(key, { index: offset + first.size, palette: prompts.get(scene.id)?.color_palette ?? null });
    out.set(scene.id, { key, ...first.get(key)! });
  });
  return out;
}

export async function generateImages(deps: PipelineDeps, project: Project, options: ImageOptions, step: StepContext): Promise<{ generated: GeneratedImage[]; skipped: number; costUsd: number }> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const all = await listScenes(deps, project.id);
  const scenes = pickScenes(all, options.scenes);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const prompts = new Map((await deps.store.list('scene_prompts', { where: { project_id: project.id } })).map((p) => [p.scene_id, p]));
  const missing = scenes.filter((s) => !prompts.has(s.id));
  if (missing.length > 0) throw new OmveeError('invalid_input', `scene${missing.length > 1 ? 's' : ''} ${missing.map(sceneNumber).join(', ')} ha${missing.length > 1 ? 've' : 's'} no prompt yet`, { hint: `run: omvee prompts generate ${project.id}` });
  const looks = lookPlan(all, prompts, analysisOf(project, options.analysis), project.transcript);

  // every artist's reference images are checked before anything is generated (or paid for)
  const references = await artistReferenceKeys(deps, scoped.scope, scenes);

  const work = await scratch(deps, 'images');
  let skipped = 0;
  try {
    const batch = await forEachScene(
      scenes,
      deps.concurrency?.images ?? 2,
      step.signal,
      async (scene) => {
        // stills made for another frame (the project's shape changed) are kept; a new take is made for this one
        const done = (await takesOf(deps.store, 'generated_images', scene.id)).filter((t) => t.status === 'completed');
        const otherShape = done.length > 0 && !done.some((t) => stillFits(t, project));
        let take = await takeToWorkOn(deps.store, 'generated_images', scene, options.newTake === true || otherShape);
        // the same picture for the new frame: the seed and composition of the still it replaces
        // (a take asked for with --new-take is a new picture)
        const reframes = otherShape && options.newTake !== true ? latestCompleted(done) : null;
        if (take && reframes && take.seed === null && reframes.seed !== null) take = await deps.store.update('generated_images', take.id, { seed: reframes.seed });
        if (!take) {
          skipped += 1;
          return null;
        }
        // re-attaching to a stored prediction costs nothing new; a new prediction must fit --max-cost
        const reservation = deps.budget && !take.prediction_id ? await deps.budget.reserve({ projectId: project.id, kind: 'image', sceneDurationS: scene.end_time_s - scene.start_time_s, label: `scene ${sceneNumber(scene)}` }) : null;
        try {
          // what each paid attempt costs moves from reserved to spent as it is recorded (never counted twice); the rest stays reserved
          return await generateOne(deps, project, scene, prompts.get(scene.id)!, references.get(scene.id) ?? [], take, work.dir, step.signal, looks.get(scene.id), reframes?.take, (usd) => reservation?.paid(usd));
        } finally {
          reservation?.release();
        }
      },
      (whole, finished, total) => step.progress(100 * whole, `images ${finished}/${total}`),
    );
    const stopped = budgetStop(batch.failed);
    if (stopped) throw stopped;
    throwIfFailed('image generation', batch.failed, takeFix('images', project.id), `omvee images generate ${project.id}`);
    const generated = batch.done.map((d) => d.value).filter((v): v is GeneratedImage => v !== null);
    if (generated.length > 0 && ['prompts_generated', 'scenes_selected'].includes(project.status)) {
      const remaining = await countScenesWithout(deps, project.id, 'generated_images');
      if (remaining === 0) await deps.store.update('projects', project.id, { status: 'images_generated' });
    }
    return { generated, skipped, costUsd: generated.reduce((sum, g) => sum + (g.cost_usd ?? 0), 0) };
  } finally {
    await work.cleanup();
  }
}

async function generateOne(deps: PipelineDeps, project: Project, scene: Scene, prompt: ScenePrompt, referenceKeys: readonly string[], take: GeneratedImage, dir: string, signal: AbortSignal, look?: { key: string; index: number; palette: readonly string[] | null }, reframesTake?: number, paid?: (usd: number) => void): Promise<GeneratedImage> {
  const generator = deps.providers.images;
  const seed = take.seed ?? seedFor(project.id, scene.order_idx, 'image', take.take);
  const outPath = join(dir, `scene-${sceneNumber(scene)}-take-${take.take}.png`);
  await deps.store.update('generated_images', take.id, { status: 'processing', model: generator.model, seed, prompt: prompt.image_prompt, prompt_id: prompt.id, error: null });
  const referenceImages = await Promise.all(referenceKeys.map((key) => materialize(deps, key)));
  try {
    const result = await generator.generate(
      {
        scene,
        prompt,
        width: project.width,
        height: project.height,
        seed,
        // a still redone for a new frame is drawn as the take it replaces (same composition)
        take: reframesTake ?? take.take,
        outPath,
        ...(referenceImages.length ? { referenceImages } : {}),
        ...(look ? { look } : {}),
        resumePredictionId: take.prediction_id,
        knownPredictionIds: await otherTakesPredictionIds(deps.store, 'generated_images', scene.id, take.id),
        onPrediction: async (predictionId) => {
          await deps.store.update('generated_images', take.id, { prediction_id: predictionId });
        },
        onAttempt: async (attempt) => {
          await recordAttempt(deps.store, 'generated_images', take.id, attempt);
          if (attempt.cost_usd > 0) paid?.(attempt.cost_usd);
        },
      },
      { signal, log: deps.note ?? deps.log },
    );
    const recorded = await deps.store.get('generated_images', take.id);
    // the bytes decide what the file is, not what the provider called it
    const format = sniffImageFormat(await fileHead(result.path));
    if (!format) {
      await deps.store.update('generated_images', take.id, { cost_usd: result.costUsd, prediction_id: result.predictionId }).catch(() => undefined);
      throw new OmveeError('provider', `the image for scene ${sceneNumber(scene)} from ${generator.name} is not a PNG, JPEG or WebP image`, {
        hint: 'check the configured image model, or generate the take again',
      });
    }
    const ext = format === 'jpeg' ? 'jpg' : format;
    const key = projectKey(project.id, 'images', `scene-${String(sceneNumber(scene)).padStart(3, '0')}-take-${take.take}.${ext}`);
    await deps.blobs.putFile(key, result.path, { contentType: IMAGE_CONTENT_TYPES[format] });
    await unlink(result.path).catch(() => undefined);
    return await deps.store.update('generated_images', take.id, {
      status: 'completed',
      image_path: key,
      width: project.width,
      height: project.height,
      model: result.model,
      seed: result.seed,
      cost_usd: takeCost(recorded ?? {}, result.costUsd, result.attempts),
      prediction_id: result.predictionId,
      error: null,
    });
  } catch (error) {
    // interrupted: leave the take 'processing' so the next run re-attaches to its prediction
    if (!signal.aborted) await deps.store.update('generated_images', take.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    throw error;
  }
}

/**
 * The reference image keys of the artist each scene features, by scene id. The artist must be in
 * the project's scope (its owner's) and each key inside that artist's own folder: the row is
 * user-writable, the worker reading the files may hold the service key.
 */
async function artistReferenceKeys(deps: PipelineDeps, scope: KeyScope, scenes: readonly Scene[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const scene of scenes) {
    if (!scene.artist_id || scene.artist_role === 'none') continue;
    const artist = await deps.store.get('artists', scene.artist_id);
    if (!artist) continue;
    if (!scope.artistIds.has(artist.id)) {
      throw new OmveeError('invalid_input', `refusing selected_scenes.artist_id of scene ${sceneNumber(scene)}: artist ${artist.id} is outside project ${scope.projectId} (another owner)`, {
        hint: 'feature one of your own artists (omvee artists list)',
      });
    }
    for (const key of artist.reference_images) assertArtistKey(artist.id, key, `artists.reference_images of artist ${artist.name}`);
    out.set(scene.id, [...artist.reference_images]);
  }
  return out;
}

/** Scenes without a completed take (for `frame`: without one made for that frame and frame rate). */
export async function countScenesWithout(deps: Pick<PipelineDeps, 'store'>, projectId: string, table: 'generated_images' | 'video_clips', frame?: FrameSize & { fps: number }): Promise<number> {
  const scenes = await listScenes(deps, projectId);
  const rows: (GeneratedImage | VideoClip)[] = await deps.store.list(table, { where: { project_id: projectId, status: 'completed' } });
  const fits = (r: GeneratedImage | VideoClip): boolean => !frame || ('fps' in r ? clipFits(r, frame) : stillFits(r, frame));
  const done = new Set(rows.filter(fits).map((r) => r.scene_id));
  return scenes.filter((s) => !done.has(s.id)).length;
}
