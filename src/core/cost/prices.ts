/**
 * Cost arithmetic for the paid providers: what one call, transcription or prediction costs
 * with a price table. The tables themselves (numbers from the providers' price pages) live with
 * the providers (src/providers/cost.ts); this module only computes.
 *
 * What is authoritative when the provider reports it:
 * - OpenRouter returns the charged amount in `usage.cost` (USD): used as is;
 * - Replicate reports `metrics.predict_time` (seconds of hardware); models billed by hardware
 *   time are priced from it; official models billed per output (image, second of video) are
 *   priced per output.
 */
import { z } from 'zod';
import { OmveeError } from '../errors.ts';
import { describeIssueAt } from '../zod-issues.ts';

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
/** Prices by model ("owner/name" or a bare model id); the key "*" prices models not listed. */
export type PriceTable = Record<string, ModelPrice>;

/** The key of the entry that prices models the table does not list (billed by hardware time). */
export const FALLBACK_PRICE_KEY = '*';

/** A table with validated overrides on top (a bad entry is a config error). */
export function withPriceOverrides(defaults: PriceTable, overrides?: unknown): PriceTable {
  if (overrides == null) return { ...defaults };
  const parsed = z.record(z.string(), ModelPriceSchema).safeParse(overrides);
  if (!parsed.success) {
    throw new OmveeError('config', `invalid price table: ${parsed.error.issues.map((i) => describeIssueAt(i)).join('; ')}`, {
      hint: 'Each entry is "owner/model": { perImage | perVideoSecond | perPredictSecond | inputPer1M/outputPer1M | perAudioMinute }.',
    });
  }
  return { ...defaults, ...parsed.data };
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

/** Cost of one finished prediction. */
export function predictionCost(table: PriceTable, model: string, billing: PredictionBilling): number {
  const p = priceOf(table, model);
  if (p?.perImage !== undefined) return roundUsd(p.perImage * (billing.outputCount ?? 1));
  if (p?.perVideoSecond) {
    const rate = (billing.resolution ? p.perVideoSecond[billing.resolution] : undefined) ?? Object.values(p.perVideoSecond)[0] ?? 0;
    return roundUsd(rate * (billing.videoSeconds ?? 0));
  }
  const predictTime = billing.metrics?.predict_time;
  const perSecond = p?.perPredictSecond ?? table[FALLBACK_PRICE_KEY]?.perPredictSecond ?? 0;
  return typeof predictTime === 'number' ? roundUsd(predictTime * perSecond) : 0;
}
