/**
 * `--dry-run` and the up-front `--max-cost` check: what the work still to do would cost with
 * the chosen models. Work already done (a transcript, scenes, prompts, completed takes) is not
 * counted; when the scenes are not chosen yet their count is estimated from the song length
 * and the scene bounds, as the director would choose them.
 */
import { clipFits, stillFits } from '../video/project-format.ts';
import { naturalSceneCount, targetSceneCount } from '../timeline/bounds.ts';
import { sceneFrameCounts } from '../timeline/frames.ts';
import { chooseClipDuration } from './clip-plan.ts';
import { llmCallCost, predictionCost, roundUsd, transcriptionCost, type PriceTable } from './prices.ts';
import type { Store } from '../../store/port.ts';
import type { Project, Scene } from '../model.ts';

/** Model per step; null where the step runs locally (free). */
export interface WorkModels {
  transcriber: string | null;
  director: string | null;
  images: string | null;
  clips: string | null;
  /** clip resolution the clip model will be asked for, e.g. '720p' */
  clipResolution?: string | undefined;
  /** the clip model's allowed durations, seconds */
  clipDurationsS?: readonly number[] | undefined;
  /**
   * the clip provider's own plan of a scene's predictions (the generator's code, from the model's
   * contract): when set, clips are priced prediction by prediction as they will be sent
   */
  clipPredictions?: ClipPredictionsOf | undefined;
}

/** One scene's clip: the frames it has in the final cut, and the frame. */
export interface ClipSceneShape {
  frameCount: number;
  fps: number;
  width: number;
  height: number;
}

/** What each prediction of a scene's clip is billed on, as the generator will send it. */
export interface ClipBilling {
  videoSeconds: number;
  resolution: string | undefined;
}

/** The predictions a clip is made of, each with what it is billed on. */
export type ClipPredictionsOf = (scene: ClipSceneShape) => readonly ClipBilling[];

/** The frame a project is made in (the store's default for a song not stored yet). */
export const DEFAULT_FRAME = { width: 1280, height: 720, fps: 30 } as const;

export interface PlannedWork {
  durationS: number;
  transcript: boolean;
  scenes: boolean;
  /** number of scenes that need a prompt */
  prompts: number;
  /** lengths of the scenes that need an image / a clip, seconds */
  images: number[];
  clips: number[];
  /** frames in the final cut of each clip to make (same order as clips) */
  clipFrames?: number[] | undefined;
  /** the project's frame (size and rate) */
  frame?: { width: number; height: number; fps: number } | undefined;
  /** true when scene lengths are estimated (scenes not chosen yet) */
  scenesEstimated: boolean;
}

export type WorkSteps = 'all' | 'images' | 'clips';

export interface PlanWorkInput {
  durationS: number;
  bounds: { sceneMinS: number; sceneMaxS: number };
  /** lyrics given: no transcription */
  lyrics?: boolean;
  steps?: WorkSteps;
  /** only these 1-based scene numbers (images/clips generate --scene) */
  sceneNumbers?: readonly number[] | undefined;
  /** a new take for every picked scene */
  newTake?: boolean;
  /**
   * the frame (and frame rate) the work is made at — a song not stored yet (default 1280×720 at
   * 30 fps), or a project's new frame: takes made for another one are redone, so they count as work
   */
  frame?: { width: number; height: number; fps: number } | undefined;
  /** run --preview: nothing after the images */
  stopAfterImages?: boolean | undefined;
}


/** The work left on a project (or on a song not stored yet when project is null). */
export async function planWork(store: Store, project: Project | null, input: PlanWorkInput): Promise<PlannedWork> {
  const steps = input.steps ?? 'all';
  // the frame the work is made at: the one asked for (a new project's, or a change to this one), else the project's
  const frame = input.frame ?? (project ? { width: project.width, height: project.height, fps: project.fps } : DEFAULT_FRAME);
  let scenes: Scene[] = [];
  let transcriptDone = input.lyrics === true;
  let prompted = new Set<string>();
  let imaged = new Set<string>();
  let clipped = new Set<string>();
  if (project) {
    transcriptDone ||= project.transcript !== null;
    scenes = await store.list('selected_scenes', { where: { project_id: project.id }, order: { column: 'order_idx', ascending: true } });
    const [prompts, images, clips] = await Promise.all([
      store.list('scene_prompts', { where: { project_id: project.id } }),
      store.list('generated_images', { where: { project_id: project.id, status: 'completed' } }),
      store.list('video_clips', { where: { project_id: project.id, status: 'completed' } }),
    ]);
    prompted = new Set(prompts.map((p) => p.scene_id));
    // takes made for another frame are redone by the steps, so they are work here too
    imaged = new Set(images.filter((i) => stillFits(i, frame)).map((i) => i.scene_id));
    clipped = new Set(clips.filter((c) => clipFits(c, frame)).map((c) => c.scene_id));
  }
  const estimated = scenes.length === 0;
  const count = targetSceneCount(input.durationS, input.bounds.sceneMinS, input.bounds.sceneMaxS);
  const lengths = estimated ? Array.from({ length: count }, () => input.durationS / count) : scenes.map((s) => s.end_time_s - s.start_time_s);
  const ids = estimated ? lengths.map((_, i) => `estimated-${i}`) : scenes.map((s) => s.id);
  // the frames each scene has in the final cut, as the clip step counts them
  let t = 0;
  const spans = estimated ? lengths.map((len) => ({ start_time_s: t, end_time_s: (t += len) })) : scenes;
  const frames = sceneFrameCounts(spans, frame.fps);
  const picked = new Set(input.sceneNumbers && input.sceneNumbers.length > 0 ? input.sceneNumbers.map((n) => n - 1) : lengths.map((_, i) => i));
  const wanted = (done: Set<string>) => (_: unknown, i: number) => picked.has(i) && (input.newTake === true || !done.has(ids[i]!));
  const todo = (done: Set<string>) => lengths.filter(wanted(done));
  const noClips = steps === 'images' || input.stopAfterImages === true;
  return {
    durationS: input.durationS,
    transcript: steps === 'all' && !transcriptDone,
    scenes: steps === 'all' && estimated,
    prompts: steps === 'all' ? ids.filter((id) => !prompted.has(id)).length : 0,
    images: steps === 'clips' ? [] : todo(imaged),
    clips: noClips ? [] : todo(clipped),
    clipFrames: noClips ? [] : frames.filter(wanted(clipped)),
    frame,
    scenesEstimated: estimated,
  };
}

/** Price planned work with a price table. */
export function priceWork(table: PriceTable, models: WorkModels, work: PlannedWork): Estimate {
  const lines: EstimateLine[] = [];
  const base = { durationS: work.durationS, clipResolution: models.clipResolution, clipDurationsS: models.clipDurationsS, clipPredictions: models.clipPredictions, frame: work.frame };
  if (work.transcript && models.transcriber) lines.push(...estimateRunCost(table, { ...base, transcriber: models.transcriber }).lines);
  if (models.director) {
    const llm = estimateRunCost(table, { ...base, director: models.director }).lines;
    if (work.scenes) lines.push(...llm.filter((l) => l.step === 'scenes'));
    if (work.prompts > 0) lines.push(...llm.filter((l) => l.step === 'prompts'));
  }
  if (work.images.length > 0 && models.images) lines.push(...estimateRunCost(table, { ...base, sceneDurationsS: work.images, images: models.images }).lines);
  if (work.clips.length > 0 && models.clips) lines.push(...estimateRunCost(table, { ...base, sceneDurationsS: work.clips, clipFrames: work.clipFrames, clips: models.clips }).lines);
  const note = `estimate from the price table${work.scenesEstimated && (work.images.length || work.clips.length) ? '; scene count estimated from the song length' : ''}; providers bill the actual amounts`;
  return { lines, totalUsd: roundUsd(lines.reduce((s, l) => s + l.usd, 0)), note };
}

/** Estimated price of one image or clip generation (a clip priced by its frames when they are known). */
export function unitPrice(table: PriceTable, models: WorkModels, kind: 'image' | 'clip', sceneDurationS: number, clip?: ClipSceneShape): number {
  const work: PlannedWork = {
    durationS: sceneDurationS,
    transcript: false,
    scenes: false,
    prompts: 0,
    images: kind === 'image' ? [sceneDurationS] : [],
    clips: kind === 'clip' ? [sceneDurationS] : [],
    ...(kind === 'clip' && clip ? { clipFrames: [clip.frameCount], frame: { width: clip.width, height: clip.height, fps: clip.fps } } : {}),
    scenesEstimated: false,
  };
  return priceWork(table, models, work).totalUsd;
}

export interface EstimateInput {
  durationS: number;
  /** lengths of the scenes (seconds); when unknown, pass a count via sceneCount */
  sceneDurationsS?: readonly number[] | undefined;
  sceneCount?: number | undefined;
  takes?: number | undefined;
  transcriber?: string | null | undefined; // model, null = local/free
  director?: string | null | undefined;
  images?: string | null | undefined;
  clips?: string | null | undefined;
  clipResolution?: string | undefined;
  /** allowed clip durations of the clip model, from its published schema (default: any whole second) */
  clipDurationsS?: readonly number[] | undefined;
  /** the clip provider's plan of a scene's predictions (priced one by one when frames are known) */
  clipPredictions?: ClipPredictionsOf | undefined;
  /** frames in the final cut of each scene (same order as sceneDurationsS) */
  clipFrames?: readonly number[] | undefined;
  frame?: { width: number; height: number; fps: number } | undefined;
}
export interface EstimateLine {
  step: 'transcript' | 'scenes' | 'prompts' | 'images' | 'clips';
  model: string;
  usd: number;
  detail: string;
}
export interface Estimate {
  lines: EstimateLine[];
  totalUsd: number;
  note: string;
}

/** Rough LLM token budget per call, for estimates only. */
const LLM_TOKENS = { scenes: { in: 3000, out: 2500 }, prompts: { in: 4000, out: 6000 } };

/** An estimate for `--dry-run`: what a run would cost with the chosen models. */
export function estimateRunCost(table: PriceTable, input: EstimateInput): Estimate {
  const takes = input.takes ?? 1;
  const count = input.sceneCount ?? naturalSceneCount(input.durationS);
  const durations = input.sceneDurationsS ?? Array.from({ length: count }, () => input.durationS / count);
  const lines: EstimateLine[] = [];
  if (input.transcriber) {
    lines.push({ step: 'transcript', model: input.transcriber, usd: transcriptionCost(table, input.transcriber, input.durationS), detail: `${(input.durationS / 60).toFixed(1)} min of audio` });
  }
  if (input.director) {
    for (const step of ['scenes', 'prompts'] as const) {
      const t = LLM_TOKENS[step];
      lines.push({ step, model: input.director, usd: llmCallCost(table, input.director, { prompt_tokens: t.in, completion_tokens: t.out }), detail: `~${t.in + t.out} tokens` });
    }
  }
  if (input.images) {
    lines.push({ step: 'images', model: input.images, usd: roundUsd(predictionCost(table, input.images, { outputCount: 1, metrics: { predict_time: 5 } }) * durations.length * takes), detail: `${durations.length} scenes × ${takes} take(s)` });
  }
  if (input.clips) {
    let usd = 0;
    let seconds = 0;
    let predictions = 0;
    const frame = input.frame ?? DEFAULT_FRAME;
    durations.forEach((d, i) => {
      const frames = input.clipFrames?.[i];
      if (input.clipPredictions && frames !== undefined) {
        // exactly the predictions the generator will create, priced as they will be billed
        for (const p of input.clipPredictions({ frameCount: frames, fps: frame.fps, width: frame.width, height: frame.height })) {
          seconds += p.videoSeconds;
          predictions += 1;
          usd += predictionCost(table, input.clips!, { videoSeconds: p.videoSeconds, resolution: p.resolution, metrics: { predict_time: 60 } });
        }
        return;
      }
      const s = input.clipDurationsS ? chooseClipDuration(d, input.clipDurationsS).durationS : Math.ceil(d - 1e-6);
      seconds += s;
      predictions += 1;
      usd += predictionCost(table, input.clips!, { videoSeconds: s, resolution: input.clipResolution ?? '720p', metrics: { predict_time: 60 } });
    });
    const split = predictions > durations.length ? ` in ${predictions} predictions` : '';
    lines.push({ step: 'clips', model: input.clips, usd: roundUsd(usd * takes), detail: `${durations.length} clips${split}, ${seconds} s of video × ${takes} take(s)` });
  }
  return {
    lines,
    totalUsd: roundUsd(lines.reduce((s, l) => s + l.usd, 0)),
    note: 'estimate from the configured price table; providers bill the actual amounts',
  };
}
