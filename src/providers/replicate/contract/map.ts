/**
 * omvee's request → the model's own input fields, by schema alone: the same code drives
 * seedance, kling, wan, veo or any cog image-to-video model whose schema names a first-frame
 * image, so `OMVEE_CLIP_MODEL=kwaivgi/kling-v2.1-master` needs no code change. The still is
 * always sent as the first frame.
 */
import { OmveeError } from '../../../core/errors.ts';
import type { ModelContract } from './derive.ts';
import { chooseDuration } from './durations.ts';
import type { InputField } from './openapi.ts';
import { cutToLength } from './prompt.ts';
import { chooseResolution, nearestAspectRatio } from './sizes.ts';

export interface ClipRequest {
  prompt: string;
  negativePrompt?: string | null | undefined;
  /** URL (or small data URL) of the still: the first frame */
  firstFrame: string;
  lastFrame?: string | null | undefined;
  referenceImages?: readonly string[] | undefined;
  /** seconds of the scene (or of the part) this prediction must cover */
  sceneS: number;
  /** an exact length to ask for (e.g. from planClipParts); else the shortest allowed ≥ sceneS */
  durationS?: number | undefined;
  width: number;
  height: number;
  /** the project's frame rate, used when the model offers a choice */
  fps?: number | undefined;
  seed: number;
  /** force a resolution (must be one the model allows) */
  resolution?: string | undefined;
}

export interface ImageRequest {
  prompt: string;
  negativePrompt?: string | null | undefined;
  width: number;
  height: number;
  seed: number;
  referenceImage?: string | undefined;
}

export interface MappedInput {
  input: Record<string, unknown>;
  /** the clip length asked for (null for models without a duration input, and for images) */
  durationS: number | null;
  /** true when the scene is longer than the longest the model makes */
  short: boolean;
  resolution: string | null;
  aspectRatio: string | null;
  fps: number | null;
  /** what was adjusted (shortened prompts, dropped references), for the user's log */
  notes: string[];
}

function seedFor(field: InputField | undefined, seed: number): number {
  const max = field?.maximum;
  const min = field?.minimum ?? 0;
  let s = Math.abs(Math.trunc(seed));
  if (max !== undefined && max >= min) s = min + (s % (max - min + 1));
  return s;
}

function typed(field: InputField | undefined, value: number): number | string {
  return field?.type === 'string' || typeof field?.enum?.[0] === 'string' ? String(value) : value;
}

function textInputs(contract: ModelContract, input: Record<string, unknown>, notes: string[], prompt: string, negative: string | null | undefined): void {
  const f = contract.fields;
  const p = cutToLength(prompt, contract.promptMaxLength, 'prompt');
  if (p.note) notes.push(p.note);
  input[f.prompt!] = p.text;
  if (f.negativePrompt && negative && negative.trim()) {
    const n = cutToLength(negative.trim(), contract.negativePromptMaxLength, 'negative prompt');
    if (n.note) notes.push(n.note);
    input[f.negativePrompt] = n.text;
  }
  // omvee writes its own prompts: the model's rewriter would change them between takes
  for (const name of f.promptRewriters) input[name] = false;
}

/** The model's input for one image-to-video prediction. */
export function mapClipRequest(contract: ModelContract, req: ClipRequest): MappedInput {
  const f = contract.fields;
  const fields = contract.schema.fields;
  if (!f.firstFrame) {
    throw new OmveeError('config', `${contract.model} takes no first-frame image, so it cannot animate the scene's still`, {
      hint: `Choose an image-to-video model whose inputs include an image (e.g. bytedance/seedance-1-lite, kwaivgi/kling-v2.1-master) in OMVEE_CLIP_MODEL.`,
    });
  }
  const notes: string[] = [];
  const input: Record<string, unknown> = {};
  textInputs(contract, input, notes, req.prompt, req.negativePrompt);
  input[f.firstFrame] = req.firstFrame;
  if (req.lastFrame && f.lastFrame) input[f.lastFrame] = req.lastFrame;
  const refs = req.referenceImages ?? [];
  if (refs.length > 0 && f.referenceImages) {
    if (contract.referencesExcludeFirstFrame) {
      notes.push(`${contract.model} cannot take reference images together with a first frame; the still is sent alone`);
    } else {
      const max = contract.referenceMaxItems ?? refs.length;
      const field = fields[f.referenceImages]!;
      input[f.referenceImages] = field.type === 'array' ? refs.slice(0, max) : refs[0];
      if (refs.length > max) notes.push(`${contract.model} takes at most ${max} reference image(s); ${refs.length - max} left out`);
    }
  }
  let durationS: number | null = null;
  let short = false;
  if (f.duration && contract.durations) {
    const choice = req.durationS !== undefined ? { durationS: req.durationS, short: false } : chooseDuration(req.sceneS, contract.durations);
    durationS = choice.durationS;
    short = choice.short;
    input[f.duration] = typed(fields[f.duration], durationS);
  }
  let resolution: string | null = null;
  if (f.resolution) {
    resolution = req.resolution ?? chooseResolution(req.width, req.height, contract.resolutions) ?? null;
    if (resolution) input[f.resolution] = resolution;
  }
  let aspectRatio: string | null = null;
  if (f.aspectRatio) {
    aspectRatio = nearestAspectRatio(req.width, req.height, contract.aspectRatios) ?? null;
    if (aspectRatio) input[f.aspectRatio] = aspectRatio;
  }
  let fps: number | null = null;
  if (f.fps && contract.fps.length > 0) {
    fps = req.fps !== undefined && contract.fps.includes(req.fps) ? req.fps : contract.fps[0]!;
    input[f.fps] = typed(fields[f.fps], fps);
  } else if (contract.fps.length > 0) fps = contract.fps[0]!;
  if (f.seed) input[f.seed] = seedFor(fields[f.seed], req.seed);
  return { input, durationS, short, resolution, aspectRatio, fps, notes };
}

/** The model's input for one text-to-image prediction. */
export function mapImageRequest(contract: ModelContract, req: ImageRequest): MappedInput {
  const f = contract.fields;
  const fields = contract.schema.fields;
  const notes: string[] = [];
  const input: Record<string, unknown> = {};
  textInputs(contract, input, notes, req.prompt, req.negativePrompt);
  let aspectRatio: string | null = null;
  if (f.aspectRatio) {
    aspectRatio = nearestAspectRatio(req.width, req.height, contract.aspectRatios) ?? null;
    if (aspectRatio) input[f.aspectRatio] = aspectRatio;
  }
  if (!aspectRatio && f.width && f.height) {
    const clamp = (field: InputField | undefined, v: number): number => Math.min(field?.maximum ?? v, Math.max(field?.minimum ?? v, v));
    input[f.width] = clamp(fields[f.width], req.width);
    input[f.height] = clamp(fields[f.height], req.height);
  }
  if (f.outputCount) input[f.outputCount] = 1;
  if (f.outputFormat && fields[f.outputFormat]!.enum?.includes('png')) input[f.outputFormat] = 'png';
  if (f.seed) input[f.seed] = seedFor(fields[f.seed], req.seed);
  if (req.referenceImage && f.referenceImages) {
    input[f.referenceImages] = fields[f.referenceImages]!.type === 'array' ? [req.referenceImage] : req.referenceImage;
  }
  return { input, durationS: null, short: false, resolution: null, aspectRatio, fps: null, notes };
}
