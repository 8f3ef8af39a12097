/**
 * A model contract: what omvee needs to know about a Replicate model, derived from its
 * published input schema alone — which field is the prompt, the first frame, the last frame,
 * the reference images, the negative prompt, the seed; which durations, resolutions, aspect
 * ratios and frame rates it accepts; how long a prompt may be.
 */
import { OmveeError } from '../../../core/errors.ts';
import { MAKER_LIMITS } from './maker-limits.ts';
import { readInputSchema, type InputField, type InputSchema } from './openapi.ts';

/** Allowed output lengths: an integer range (seedance 2..12) or a list (kling 5 / 10). */
export type DurationRule =
  | { kind: 'range'; min: number; max: number; integer: boolean; field: string; valueType: 'number' | 'string' }
  | { kind: 'enum'; values: readonly number[]; field: string; valueType: 'number' | 'string' };

export interface ContractFields {
  prompt: string | null;
  negativePrompt: string | null;
  seed: string | null;
  firstFrame: string | null;
  lastFrame: string | null;
  /** an array of images, or one image (minimax subject_reference) */
  referenceImages: string | null;
  duration: string | null;
  resolution: string | null;
  aspectRatio: string | null;
  fps: string | null;
  width: string | null;
  height: string | null;
  outputCount: string | null;
  /** boolean "rewrite my prompt" switches (prompt_optimizer, enable_prompt_expansion…) */
  promptRewriters: readonly string[];
  outputFormat: string | null;
}

export type ContractSourceKind = 'api' | 'cache' | 'fixture';

export interface ModelContract {
  /** owner/name */
  model: string;
  /** the version the schema belongs to */
  version: string;
  /** where the schema came from this time */
  source: ContractSourceKind;
  kind: 'video' | 'image';
  fields: ContractFields;
  durations: DurationRule | null;
  /** allowed resolutions, smallest first ('480p', '720p', '1080p', '4k') */
  resolutions: readonly string[];
  /** allowed aspect ratios as "w:h" (values like 'adaptive' are left out) */
  aspectRatios: readonly string[];
  /** allowed frame rates (from the fps field's enum / bounds / default), empty when unknown */
  fps: readonly number[];
  promptMaxLength: number | null;
  negativePromptMaxLength: number | null;
  /** how many reference images the model takes (1 for a single-image field) */
  referenceMaxItems: number | null;
  /** true when the schema says references cannot go with a first frame */
  referencesExcludeFirstFrame: boolean;
  /** the input fields after maker limits were applied, as the validator checks them */
  schema: InputSchema;
  /** what was taken from outside the schema, with sources */
  notes: readonly string[];
}

const FIRST_FRAME = ['image', 'start_image', 'first_frame_image', 'first_frame', 'start_frame', 'input_image', 'init_image', 'image_url', 'start_image_url'];
const LAST_FRAME = ['last_frame_image', 'last_frame', 'end_image', 'end_frame', 'tail_image', 'last_image', 'end_image_url'];
const REFERENCES = ['reference_images', 'subject_reference', 'reference_image', 'image_input', 'input_images', 'ref_images', 'character_reference'];
const NEGATIVE = ['negative_prompt', 'negative'];
const SEED = ['seed'];
const DURATION = ['duration', 'duration_seconds', 'seconds', 'video_length'];
const RESOLUTION = ['resolution', 'video_resolution'];
const ASPECT = ['aspect_ratio', 'ratio'];
const FPS = ['fps', 'frames_per_second', 'frame_rate'];
const COUNT = ['number_of_images', 'num_outputs', 'num_images', 'n'];
const REWRITERS = ['prompt_optimizer', 'enable_prompt_expansion', 'enhance_prompt', 'prompt_expansion', 'prompt_extend'];

const isImageUri = (f: InputField | undefined): boolean => !!f && (f.type === 'string' || f.type === undefined) && (f.format === 'uri' || /image|frame/i.test(f.name));
const isImageList = (f: InputField | undefined): boolean => !!f && f.type === 'array' && (f.items?.format === 'uri' || /image/i.test(f.name));

function pick(schema: InputSchema, names: readonly string[], ok: (f: InputField) => boolean = () => true): string | null {
  for (const n of names) {
    const f = schema.fields[n];
    if (f && ok(f)) return n;
  }
  return null;
}

/** Pixels of the short side a resolution name stands for ('720p' → 720, '4k' → 2160). */
export function resolutionPixels(name: string): number | null {
  const m = /^(\d{3,4})p$/i.exec(name.trim());
  if (m) return Number(m[1]);
  const k = /^(\d)k$/i.exec(name.trim());
  if (k) return Number(k[1]) === 4 ? 2160 : Number(k[1]) === 2 ? 1440 : null;
  return null;
}

export const isRatio = (v: string): boolean => /^\d+(\.\d+)?:\d+(\.\d+)?$/.test(v);

function applyMakerLimits(model: string, schema: InputSchema): { schema: InputSchema; notes: string[] } {
  const limits = MAKER_LIMITS[model];
  if (!limits) return { schema, notes: [] };
  const fields: Record<string, InputField> = { ...schema.fields };
  const notes: string[] = [];
  for (const [name, extra] of Object.entries(limits.fields)) {
    const f = fields[name];
    if (!f) continue;
    const next: InputField = { ...f };
    if (extra.maxLength !== undefined && (f.maxLength === undefined || extra.maxLength < f.maxLength)) next.maxLength = extra.maxLength;
    if (extra.minimum !== undefined && (f.minimum === undefined || extra.minimum > f.minimum)) next.minimum = extra.minimum;
    if (extra.maximum !== undefined && (f.maximum === undefined || extra.maximum < f.maximum)) next.maximum = extra.maximum;
    fields[name] = next;
    notes.push(`${name}: ${JSON.stringify(extra)} from ${limits.source}`);
  }
  if (limits.outputFps !== undefined && !FPS.some((n) => fields[n])) notes.push(`makes ${limits.outputFps} fps, from ${limits.source}`);
  return { schema: { fields, required: schema.required }, notes };
}

function durationRule(field: InputField | undefined): DurationRule | null {
  if (!field) return null;
  const valueType = field.type === 'string' ? 'string' : 'number';
  if (field.enum && field.enum.length > 0) {
    const values = field.enum.map((v) => Number(v)).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
    return values.length ? { kind: 'enum', values, field: field.name, valueType } : null;
  }
  if (field.type === 'integer' || field.type === 'number') {
    // -1 / 0 are "let the model decide" sentinels, never a length omvee asks for
    const min = Math.max(field.type === 'integer' ? 1 : Number.EPSILON, field.minimum ?? 1, field.exclusiveMinimum !== undefined ? field.exclusiveMinimum + (field.type === 'integer' ? 1 : 0) : -Infinity);
    const max = Math.min(field.maximum ?? Infinity, field.exclusiveMaximum !== undefined ? field.exclusiveMaximum - (field.type === 'integer' ? 1 : 0) : Infinity);
    if (!Number.isFinite(max) || max < min) return null;
    return { kind: 'range', min, max, integer: field.type === 'integer', field: field.name, valueType };
  }
  return null;
}

function fpsValues(field: InputField | undefined): number[] {
  if (!field) return [];
  if (field.enum?.length) return field.enum.map(Number).filter((v) => v > 0);
  if (typeof field.default === 'number') return [field.default];
  return [];
}

/** Derive the contract of `model` (owner/name) at `version` from its published openapi_schema. */
export function deriveContract(model: string, version: string, openapiSchema: unknown, source: ContractSourceKind): ModelContract {
  const published = readInputSchema(openapiSchema);
  const { schema, notes } = applyMakerLimits(model, published);
  const f = schema.fields;
  const prompt = pick(schema, ['prompt', 'text', 'caption'], (x) => x.type === 'string' || x.type === undefined);
  const duration = pick(schema, DURATION, (x) => x.type !== 'boolean' && x.type !== 'array');
  const fps = pick(schema, FPS, (x) => x.type === 'integer' || x.type === 'number' || !!x.enum);
  const kind: ModelContract['kind'] = duration || fps ? 'video' : 'image';
  const firstFrame = kind === 'video' ? pick(schema, FIRST_FRAME, isImageUri) : null;
  const lastFrame = kind === 'video' ? pick(schema, LAST_FRAME, isImageUri) : null;
  const referenceImages = pick(schema, REFERENCES, (x) => isImageList(x) || isImageUri(x));
  const resolution = pick(schema, RESOLUTION, (x) => !!x.enum?.length);
  const aspectRatio = pick(schema, ASPECT, (x) => !!x.enum?.length);
  const negativePrompt = pick(schema, NEGATIVE, (x) => x.type === 'string' || x.type === undefined);
  const refField = referenceImages ? f[referenceImages] : undefined;
  const contract: ModelContract = {
    model,
    version,
    source,
    kind,
    fields: {
      prompt,
      negativePrompt,
      seed: pick(schema, SEED, (x) => x.type === 'integer' || x.type === 'number'),
      firstFrame,
      lastFrame,
      referenceImages,
      duration,
      resolution,
      aspectRatio,
      fps,
      width: pick(schema, ['width'], (x) => x.type === 'integer' || x.type === 'number'),
      height: pick(schema, ['height'], (x) => x.type === 'integer' || x.type === 'number'),
      outputCount: pick(schema, COUNT, (x) => x.type === 'integer'),
      promptRewriters: REWRITERS.filter((n) => f[n]?.type === 'boolean'),
      outputFormat: pick(schema, ['output_format'], (x) => !!x.enum?.length),
    },
    durations: durationRule(duration ? f[duration] : undefined),
    resolutions: resolution
      ? [...(f[resolution]!.enum ?? [])].map(String).filter((r) => resolutionPixels(r) !== null).sort((a, b) => resolutionPixels(a)! - resolutionPixels(b)!)
      : [],
    aspectRatios: aspectRatio ? [...(f[aspectRatio]!.enum ?? [])].map(String).filter(isRatio) : [],
    fps: fps ? fpsValues(f[fps]) : MAKER_LIMITS[model]?.outputFps ? [MAKER_LIMITS[model]!.outputFps!] : [],
    promptMaxLength: prompt ? (f[prompt]!.maxLength ?? null) : null,
    negativePromptMaxLength: negativePrompt ? (f[negativePrompt]!.maxLength ?? null) : null,
    referenceMaxItems: refField ? (refField.type === 'array' ? (refField.maxItems ?? maxFromDescription(refField.description)) : 1) : null,
    referencesExcludeFirstFrame: !!refField && /cannot be (used|combined)[^.]*\b(first|start)\b/i.test(refField.description ?? ''),
    schema,
    notes,
  };
  if (!prompt) {
    throw new OmveeError('provider', `${model} has no prompt input; omvee cannot drive it`, { hint: 'Pick a text-prompted image or image-to-video model.' });
  }
  return contract;
}

/** "Reference images (1-4 images)" / "(up to 9)" → 4 / 9 */
function maxFromDescription(text: string | undefined): number | null {
  if (!text) return null;
  const m = /\(\s*(?:\d+\s*[-–]\s*(\d+)|up to (\d+))/i.exec(text);
  return m ? Number(m[1] ?? m[2]) : null;
}
