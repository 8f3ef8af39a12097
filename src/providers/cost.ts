/**
 * Price tables of the paid providers.
 *
 * ALL NUMBERS ARE ESTIMATES in US dollars, taken from the providers' public price pages at the
 * time of writing; providers change prices without notice. Override any entry with the JSON
 * file named by OMVEE_PRICES_FILE, e.g. { "minimax/image-01": { "perImage": 0.01 } }. The
 * arithmetic is src/core/cost/prices.ts.
 */
import { FALLBACK_PRICE_KEY, withPriceOverrides, type PriceTable } from '../core/cost/prices.ts';

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
  /** Kling 2.1 Master makes 1080p only: $1.40 for 5 s, $0.28 per second (fal.ai/models/fal-ai/kling-video/v2.1/master/text-to-video) */
  'kwaivgi/kling-v2.1-master': { perVideoSecond: { '1080p': 0.28 } },
  /** Replicate models not listed: a mid-range GPU, USD per second of predict time */
  [FALLBACK_PRICE_KEY]: { perPredictSecond: 0.000975 },
};

/** The default table with the overrides of OMVEE_PRICES_FILE (validated). */
export function buildPriceTable(overrides?: unknown): PriceTable {
  return withPriceOverrides(DEFAULT_PRICES, overrides);
}
