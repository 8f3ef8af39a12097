/**
 * Prices and cost arithmetic for the paid providers.
 *
 * ALL NUMBERS ARE ESTIMATES in US dollars, taken from the providers' public price pages at the
 * time of writing; providers change prices without notice. Override any entry with a JSON
 * object (config `prices`), e.g. { "minimax/image-01": { "perImage": 0.01 } }.
 *
 * What is authoritative when the provider reports it:
 * - OpenRouter returns the charged amount in `usage.cost` (USD): used as is;
 * - Replicate reports `metrics.predict_time` (seconds of hardware); models billed by hardware
 *   time are priced from it; official models billed per output (image, second of video) are
 *   priced per output.
 */
import { z } from 'zod';
import { OmveeError } from '../core/errors.ts';
import { naturalSceneCount } from '../core/timeline/bounds.ts';
import { chooseClipDuration, clipModelLimits } from './replicate/inputs.ts';

export const ModelPriceSchema = z
  .object({
    /** audio transcription, USD per minute of audio */
    perAudioMinute: z.number().nonnegative().optional(),
    /** LLMs, USD per 1M input / output tokens */
    inputPer1M: z.number().nonnegative().optional(),
    outputPer1M: z.number().nonnegative().optional(),
    /** image models billed per output image */
    perImage: z.number().nonnegative().optional(),
    /** video models billed per second of output, by resolution ('480p', '720p', '1080p') */
    perVideoSecond: z.record(z.string(), z.number().nonnegative()).optional(),
    /** models billed by hardware time, USD per second of metrics.predict_time */
    perPredictSecond: z.number().nonnegative().optional(),
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export type PriceTable = Record<string, ModelPrice>;

export const DEFAULT_PRICES: PriceTable = {
  'whisper-1': { perAudioMinute: 0.006 },
  'gpt-4o-mini-transcribe': { perAudioMinute: 0.003 },
  'gpt-4o-transcribe': { perAudioMinute: 0.006 },
  'gpt-4o-mini': { inputPer1M: 0.15, outputPer1M: 0.6 },
  'gpt-4o': { inputPer1M: 2.5, outputPer1M: 10 },
  'openai/gpt-4o-mini': { inputPer1M: 0.15, outputPer1M: 0.6 },
  'deepseek/deepseek-v3.1-terminus': { inputPer1M: 0.27, outputPer1M: 1.0 },
  'deepseek/deepseek-chat': { inputPer1M: 0.3, outputPer1M: 0.85 },
  'minimax/image-01': { perImage: 0.01 },
  'black-forest-labs/flux-schnell': { perImage: 0.003 },
  'black-forest-labs/flux-dev': { perImage: 0.025 },
  'black-forest-labs/flux-1.1-pro': { perImage: 0.04 },
  'bytedance/seedance-1-lite': { perVideoSecond: { '480p': 0.018, '720p': 0.036, '1080p': 0.072 } },
  'bytedance/seedance-1-pro': { perVideoSecond: { '480p': 0.03, '720p': 0.06, '1080p': 0.15 } },
};

/** Fallback for Replicate models not in the table: a mid-range GPU, USD per second. */
export const DEFAULT_PER_PREDICT_SECOND = 0.000975;

/** The default table with overrides from config (validated; a bad entry is a config error). */
export function buildPriceTable(overrides?: unknown): PriceTable {
  if (overrides == null) return { ...DEFAULT_PRICES };
  const parsed = z.record(z.string(), ModelPriceSchema).safeParse(overrides);
  if (!parsed.success) {
    throw new OmveeError('config', `invalid price table: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      hint: 'Each entry is "owner/model": { perImage | perVideoSecond | perPredictSecond | inputPer1M/outputPer1M | perAudioMinute }.',
    });
  }
  return { ...DEFAULT_PRICES, ...parsed.data };
}

/** Price entry for a model; "owner/name:version" falls back to "owner/name". */
export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  return table[model] ?? table[model.split(':')[0] ?? model];
}

/** Money is kept to a millionth of a dollar. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export interface LlmUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  /** OpenRouter: what was actually charged, USD */
  cost?: number | null;
}

/** Cost of one chat completion: OpenRouter's reported cost when present, else tokens × price. */
export function llmCallCost(table: PriceTable, model: string, usage: LlmUsage | null | undefined): number {
  if (!usage) return 0;
  if (typeof usage.cost === 'number' && Number.isFinite(usage.cost)) return roundUsd(usage.cost);
  const p = priceOf(table, model);
  if (!p) return 0;
  return roundUsd(((usage.prompt_tokens ?? 0) * (p.inputPer1M ?? 0) + (usage.completion_tokens ?? 0) * (p.outputPer1M ?? 0)) / 1e6);
}

export function transcriptionCost(table: PriceTable, model: string, durationS: number): number {
  const p = priceOf(table, model);
  return roundUsd(((p?.perAudioMinute ?? 0) * Math.max(0, durationS)) / 60);
}

export interface PredictionBilling {
  metrics?: { predict_time?: number | null; [k: string]: unknown } | null | undefined;
  /** number of output files (images) */
  outputCount?: number | undefined;
  /** seconds of video produced (video models) */
  videoSeconds?: number | undefined;
  /** video resolution asked for, e.g. '720p' */
  resolution?: string | undefined;
}

/** Cost of one finished Replicate prediction. */
export function predictionCost(table: PriceTable, model: string, billing: PredictionBilling): number {
  const p = priceOf(table, model);
  if (p?.perImage !== undefined) return roundUsd(p.perImage * (billing.outputCount ?? 1));
  if (p?.perVideoSecond) {
    const rate = (billing.resolution ? p.perVideoSecond[billing.resolution] : undefined) ?? Object.values(p.perVideoSecond)[0] ?? 0;
    return roundUsd(rate * (billing.videoSeconds ?? 0));
  }
  const predictTime = billing.metrics?.predict_time;
  const perSecond = p?.perPredictSecond ?? DEFAULT_PER_PREDICT_SECOND;
  return typeof predictTime === 'number' ? roundUsd(predictTime * perSecond) : 0;
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
  /** allowed clip durations of the clip model (default: from its shipped published schema) */
  clipDurationsS?: readonly number[] | undefined;
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
    const allowed = input.clipDurationsS ?? clipModelLimits(input.clips).durationsS;
    let usd = 0;
    let seconds = 0;
    for (const d of durations) {
      const s = chooseClipDuration(d, allowed).durationS;
      seconds += s;
      usd += predictionCost(table, input.clips, { videoSeconds: s, resolution: input.clipResolution ?? '720p', metrics: { predict_time: 60 } });
    }
    lines.push({ step: 'clips', model: input.clips, usd: roundUsd(usd * takes), detail: `${durations.length} clips, ${seconds} s of video × ${takes} take(s)` });
  }
  return {
    lines,
    totalUsd: roundUsd(lines.reduce((s, l) => s + l.usd, 0)),
    note: 'estimate from the configured price table; providers bill the actual amounts',
  };
}

