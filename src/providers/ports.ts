/**
 * Provider ports: the AI steps of the pipeline. Each has an embedded local adapter (offline,
 * no keys) and a real one (OpenAI Whisper, an LLM via OpenRouter/OpenAI, Replicate).
 * Core code depends only on these interfaces.
 */
import type { AudioAnalysis } from '../core/analysis/model.ts';
import type { Scene, ScenePrompt, TakeAttempt, Transcript } from '../core/model.ts';
import type { ClipFinish } from '../media/port.ts';

export interface CallContext {
  signal?: AbortSignal;
  /** called for user-facing progress text (stderr), never with secrets */
  log?: (message: string) => void;
  /** how far this call is, 0..1, for a progress bar that moves inside one piece of work */
  progress?: (fraction: number) => void;
}

export interface TranscribeInput {
  audioPath: string;
  durationS: number;
  language?: string;
}
export interface TranscribeResult {
  transcript: Transcript;
  model: string;
  costUsd: number;
}
export interface Transcriber {
  readonly name: string; // 'local' | 'openai'
  transcribe(input: TranscribeInput, ctx: CallContext): Promise<TranscribeResult>;
}

/** A scene as a director proposes it (before it is stored). */
export interface SceneDraft {
  start_time_s: number;
  end_time_s: number;
  title: string;
  theme: string;
  lyric_excerpt: string;
  energy: number; // 0..1
  artist_role?: 'primary' | 'background' | 'none';
}

export interface SceneSelectionInput {
  projectName: string;
  style: string | null;
  durationS: number;
  transcript: Transcript | null;
  sceneMinS: number;
  sceneMaxS: number;
  /**
   * what the analyze step heard (tempo, sections with labels and the chorus, energy), when known;
   * the pipeline snaps the returned cuts onto its beats and sets each scene's energy from it
   */
  analysis?: AudioAnalysis | null | undefined;
}
export interface SceneSelectionResult {
  scenes: SceneDraft[];
  model: string;
  costUsd: number;
}

/** The prompt fields of scene_prompts, as a director writes them. */
export type PromptDraft = Pick<
  ScenePrompt,
  | 'image_prompt'
  | 'style_notes'
  | 'negative_prompt'
  | 'setting'
  | 'shot_type'
  | 'mood'
  | 'color_palette'
  | 'motion_prompt'
>;

export interface PromptWritingInput {
  projectName: string;
  style: string | null;
  scenes: readonly Scene[];
  transcript: Transcript | null;
  /** the song's analysis, when known: scenes in sections with the same label share a visual motif */
  analysis?: AudioAnalysis | null | undefined;
}
export interface PromptWritingResult {
  /** one per input scene, same order */
  prompts: PromptDraft[];
  model: string;
  costUsd: number;
}

/**
 * The motion of one clip, written once its still exists (the clip step asks right before it
 * makes the clip, and keeps the answer on the take so a rerun does not ask again).
 */
export interface MotionWritingInput {
  projectName: string;
  style: string | null;
  scene: Scene;
  /** the scene's prompts (the still was made from image_prompt); null when there are none */
  prompt: Pick<ScenePrompt, 'image_prompt' | 'style_notes' | 'setting' | 'shot_type' | 'mood' | 'motion_prompt'> | null;
  /** the still the clip starts from (a local file) */
  imagePath: string;
  /** how long the clip is, seconds */
  durationS: number;
  /** the rejected take this one replaces: the reviewer's note and that take's motion */
  rejected?: { note: string | null; motionPrompt: string | null } | null;
}
export interface MotionWritingResult {
  motion_prompt: string;
  model: string;
  costUsd: number;
  /** true when the model was shown the still (a vision model); false when it worked from the prompts */
  sawImage: boolean;
}

export interface Director {
  readonly name: string; // 'local' | 'openrouter' | 'openai'
  selectScenes(input: SceneSelectionInput, ctx: CallContext): Promise<SceneSelectionResult>;
  writePrompts(input: PromptWritingInput, ctx: CallContext): Promise<PromptWritingResult>;
  writeMotion(input: MotionWritingInput, ctx: CallContext): Promise<MotionWritingResult>;
}

/**
 * Paid generators work through predictions. To never pay twice, the caller stores the
 * prediction id (onPrediction) before the adapter waits on it, and passes a stored id back
 * (resumePredictionId) so a resumed run re-attaches instead of creating a new one.
 */
export interface PredictionHooks {
  resumePredictionId?: string | null;
  onPrediction?: (predictionId: string) => Promise<void>;
  /**
   * Every paid attempt of the take as it ends (a transient failure is retried as a new
   * prediction), so the caller records it with its cost even when the take then fails.
   */
  onAttempt?: (attempt: TakeAttempt) => Promise<void>;
  /**
   * Predictions of the scene's OTHER takes: when a create's answer is lost and Replicate is
   * searched for the prediction it made, these are never taken for it (a model without a seed
   * input gives two takes of a scene the same input).
   */
  knownPredictionIds?: readonly string[];
}

export interface ImageInput extends PredictionHooks {
  scene: Scene;
  prompt: ScenePrompt;
  width: number;
  height: number;
  seed: number;
  take: number;
  /** local file paths of an artist's reference images, when the scene features one */
  referenceImages?: readonly string[];
  /** where to write the result (PNG or JPEG); written atomically */
  outPath: string;
  /**
   * the scene's look: scenes of the same section (e.g. every chorus) share a key and a palette, so
   * a section keeps its look when it returns (used by the offline generator)
   */
  look?: { key: string; palette: readonly string[] | null; /** the look's order of first appearance in the song plus a per-project offset: consecutive looks differ */ index?: number } | undefined;
}
export interface ImageResult {
  path: string;
  contentType: string;
  model: string;
  seed: number;
  costUsd: number;
  predictionId: string | null;
  /** the paid attempts (costUsd is their sum); absent for local generators */
  attempts?: TakeAttempt[];
}
export interface ImageGenerator {
  readonly name: string; // 'local' | 'replicate'
  readonly model: string;
  generate(input: ImageInput, ctx: CallContext): Promise<ImageResult>;
}

export interface ClipInput extends PredictionHooks {
  scene: Scene;
  imagePath: string;
  motionPrompt: string | null;
  /** exact frames this clip must have in the final cut */
  frameCount: number;
  fps: number;
  width: number;
  height: number;
  seed: number;
  take: number;
  /** where to write the raw clip (the pipeline normalises it afterwards when needed) */
  outPath: string;
  /**
   * what to burn in (captions, beat flashes, visualizer) — applied by a generator that writes the
   * house format itself (normalized: true); others ignore it and the pipeline burns it while
   * normalising their output
   */
  finish?: ClipFinish | undefined;
  /** the music under the scene, when the analysis is known: energy 0..1 and a pace curve for the camera */
  music?: { energy: number | null; pace: readonly number[] | null } | undefined;
  /** the attempts already recorded on this take (a take of several predictions re-attaches part by part) */
  attempts?: readonly TakeAttempt[] | undefined;
}
export interface ClipResult {
  path: string;
  model: string;
  costUsd: number;
  predictionId: string | null;
  /** true when the clip already has the exact frame count and the shared format */
  normalized: boolean;
  /** the paid attempts (costUsd is their sum); absent for local generators */
  attempts?: TakeAttempt[];
  /** what was asked of the model (durationS, resolution, fps), for normalising and costs */
  asked?: { durationS: number | null; resolution: string | null; fps: number | null };
}
export interface ClipGenerator {
  readonly name: string; // 'local' | 'replicate'
  readonly model: string;
  generate(input: ClipInput, ctx: CallContext): Promise<ClipResult>;
}

export interface Providers {
  transcriber: Transcriber;
  director: Director;
  images: ImageGenerator;
  clips: ClipGenerator;
}
