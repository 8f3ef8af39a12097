/** Replicate: text-to-image stills and image-to-video clips (create + poll, ids stored first). */
import type { ConfigValues } from '../../config/schema.ts';
import { isLoopbackUrl } from '../http/loopback.ts';
import type { ProviderEntry } from '../registry.ts';
import { DEFAULT_CLIP_MODEL, DEFAULT_IMAGE_MODEL } from './models.ts';

/** Token and base URL; http output URLs are allowed only for a loopback base URL (tests). */
function connection(v: ConfigValues): { apiToken: string; baseUrl?: string; allowLoopbackHttp?: boolean } {
  return { apiToken: v.REPLICATE_API_TOKEN ?? '', ...(v.REPLICATE_BASE_URL ? { baseUrl: v.REPLICATE_BASE_URL, allowLoopbackHttp: isLoopbackUrl(v.REPLICATE_BASE_URL) } : {}) };
}

function common(v: ConfigValues) {
  return { ...connection(v), ...(v.OMVEE_REPLICATE_POLL_MS ? { pollIntervalMs: v.OMVEE_REPLICATE_POLL_MS } : {}) };
}

export const replicateProvider: ProviderEntry = {
  name: 'replicate',
  keySetting: 'REPLICATE_API_TOKEN',
  baseUrlSetting: 'REPLICATE_BASE_URL',
  offers: {
    images: {
      title: 'Replicate',
      modelSetting: 'OMVEE_IMAGE_MODEL',
      defaultModel: DEFAULT_IMAGE_MODEL,
      defaultConcurrency: 4,
      async create({ settings, prices, model, concurrency }) {
        const { createReplicateImageGenerator } = await import('./generators.ts');
        return createReplicateImageGenerator({ ...common(settings), prices, model, ...(concurrency ? { concurrency } : {}) });
      },
    },
    clips: {
      title: 'Replicate',
      modelSetting: 'OMVEE_CLIP_MODEL',
      defaultModel: DEFAULT_CLIP_MODEL,
      defaultConcurrency: 2,
      async create({ settings, prices, model, concurrency, media }) {
        const { createReplicateClipGenerator } = await import('./generators.ts');
        return createReplicateClipGenerator({ ...common(settings), prices, model, media, ...(concurrency ? { concurrency } : {}) });
      },
      async clipLimits(model) {
        return (await import('./inputs.ts')).clipModelLimits(model);
      },
      async clipPlanner(model, settings) {
        return (await import('./planner.ts')).replicateClipPlanner(model, settings.REPLICATE_API_TOKEN ? connection(settings) : null);
      },
    },
  },
  async checkKey(opts) {
    return (await import('../doctor-checks.ts')).checkReplicateToken(opts);
  },
  async cancelWork(settings, predictionId, signal) {
    const { cancelPrediction } = await import('./generators.ts');
    return cancelPrediction({ ...connection(settings), requestTimeoutMs: 10_000, retry: { maxAttempts: 2 } }, predictionId, signal);
  },
};
