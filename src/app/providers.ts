/**
 * Picks each step's provider: `local` (embedded, offline) or the real one. `auto` (the
 * default) means the real provider when its key is configured. Real adapters load lazily.
 */
import { OmveeError } from '../core/errors.ts';
import { isLoopbackUrl } from '../providers/http/loopback.ts';
import { DEFAULT_MODELS } from '../providers/models.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { MediaTools } from '../media/port.ts';
import type { ClipGenerator, Director, ImageGenerator, Providers, Transcriber } from '../providers/ports.ts';
import { buildPriceTable, type PriceTable } from '../providers/cost.ts';
import type { WorkModels } from '../core/cost/estimate.ts';
import type { Store } from '../store/port.ts';

export interface ProviderChoice {
  transcriber?: string | undefined;
  director?: string | undefined;
  images?: string | undefined;
  clips?: string | undefined;
}

export interface ProviderPlan {
  transcriber: 'local' | 'openai';
  director: 'local' | 'openrouter' | 'openai';
  images: 'local' | 'replicate';
  clips: 'local' | 'replicate';
}

function missingKey(step: string, envVar: string): OmveeError {
  return new OmveeError('config', `--${step} needs ${envVar}`, { hint: `set ${envVar} in the environment or .env, or use --${step} local` });
}

/** Decide which provider runs each step (no I/O): flags > config > auto. */
export function planProviders(config: ResolvedConfig, choice: ProviderChoice = {}): ProviderPlan {
  const v = config.values;
  const transcriber = choice.transcriber ?? v.OMVEE_TRANSCRIBER ?? 'auto';
  const director = choice.director ?? v.OMVEE_DIRECTOR ?? 'auto';
  const images = choice.images ?? v.OMVEE_IMAGES ?? 'auto';
  const clips = choice.clips ?? v.OMVEE_CLIPS ?? 'auto';
  const plan: ProviderPlan = {
    transcriber: transcriber === 'auto' ? (v.OPENAI_API_KEY ? 'openai' : 'local') : (transcriber as ProviderPlan['transcriber']),
    director: director === 'auto' ? (v.OPENROUTER_API_KEY ? 'openrouter' : v.OPENAI_API_KEY ? 'openai' : 'local') : (director as ProviderPlan['director']),
    images: images === 'auto' ? (v.REPLICATE_API_TOKEN ? 'replicate' : 'local') : (images as ProviderPlan['images']),
    clips: clips === 'auto' ? (v.REPLICATE_API_TOKEN ? 'replicate' : 'local') : (clips as ProviderPlan['clips']),
  };
  const valid = { transcriber: ['local', 'openai'], director: ['local', 'openrouter', 'openai'], images: ['local', 'replicate'], clips: ['local', 'replicate'] } as const;
  for (const step of Object.keys(valid) as (keyof ProviderPlan)[]) {
    if (!(valid[step] as readonly string[]).includes(plan[step])) {
      throw new OmveeError('usage', `unknown ${step} provider "${plan[step]}"`, { hint: `choose one of: auto, ${valid[step].join(', ')}` });
    }
  }
  if (plan.transcriber === 'openai' && !v.OPENAI_API_KEY) throw missingKey('transcriber', 'OPENAI_API_KEY');
  if (plan.director === 'openrouter' && !v.OPENROUTER_API_KEY) throw missingKey('director', 'OPENROUTER_API_KEY');
  if (plan.director === 'openai' && !v.OPENAI_API_KEY) throw missingKey('director', 'OPENAI_API_KEY');
  if (plan.images === 'replicate' && !v.REPLICATE_API_TOKEN) throw missingKey('images', 'REPLICATE_API_TOKEN');
  if (plan.clips === 'replicate' && !v.REPLICATE_API_TOKEN) throw missingKey('clips', 'REPLICATE_API_TOKEN');
  return plan;
}

/** Knobs of the real adapters that come from flags rather than config. */
export interface ProviderTuning {
  /** concurrent predictions per Replicate generator (the step's own limit should match) */
  concurrency?: { images?: number | undefined; clips?: number | undefined };
}

export async function buildProviders(config: ResolvedConfig, media: MediaTools, plan: ProviderPlan, tuning: ProviderTuning = {}): Promise<Providers> {
  const v = config.values;
  const needsPrices = plan.transcriber !== 'local' || plan.director !== 'local' || plan.images !== 'local' || plan.clips !== 'local';
  const prices = needsPrices ? await loadPriceTable(config) : undefined;
  let transcriber: Transcriber;
  if (plan.transcriber === 'openai') {
    const ffmpeg = (await media.versions()).ffmpegPath;
    const { createWhisperTranscriber } = await import('../providers/openai/whisper-transcriber.ts');
    transcriber = createWhisperTranscriber({ apiKey: v.OPENAI_API_KEY!, ffmpeg, prices, ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}), ...(v.OMVEE_WHISPER_MODEL ? { model: v.OMVEE_WHISPER_MODEL } : {}) });
  } else {
    const { createLocalTranscriber } = await import('../providers/local/local-transcriber.ts');
    transcriber = createLocalTranscriber();
  }
  let director: Director;
  if (plan.director === 'local') {
    const { createLocalDirector } = await import('../providers/local/local-director.ts');
    director = createLocalDirector();
  } else {
    const { createLlmDirector } = await import('../providers/llm/llm-director.ts');
    const model = v.OMVEE_LLM_MODEL ? { model: v.OMVEE_LLM_MODEL } : {};
    director =
      plan.director === 'openrouter'
        ? createLlmDirector({ provider: 'openrouter', apiKey: v.OPENROUTER_API_KEY!, prices, ...(v.OPENROUTER_BASE_URL ? { baseURL: v.OPENROUTER_BASE_URL } : {}), ...model })
        : createLlmDirector({ provider: 'openai', apiKey: v.OPENAI_API_KEY!, prices, ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}), ...model });
  }
  let images: ImageGenerator;
  let clips: ClipGenerator;
  if (plan.images === 'replicate' || plan.clips === 'replicate') {
    const replicate = await import('../providers/replicate/index.ts');
    const common = {
      ...replicateConnection(config),
      prices,
      ...(v.OMVEE_REPLICATE_POLL_MS ? { pollIntervalMs: v.OMVEE_REPLICATE_POLL_MS } : {}),
    };
    const imageConcurrency = tuning.concurrency?.images ?? v.OMVEE_IMAGE_CONCURRENCY;
    const clipConcurrency = tuning.concurrency?.clips ?? v.OMVEE_CLIP_CONCURRENCY;
    images =
      plan.images === 'replicate'
        ? replicate.createReplicateImageGenerator({ ...common, ...(imageConcurrency ? { concurrency: imageConcurrency } : {}), ...(v.OMVEE_IMAGE_MODEL ? { model: v.OMVEE_IMAGE_MODEL } : {}) })
        : await localImages(media);
    clips =
      plan.clips === 'replicate'
        ? replicate.createReplicateClipGenerator({ ...common, ...(clipConcurrency ? { concurrency: clipConcurrency } : {}), ...(v.OMVEE_CLIP_MODEL ? { model: v.OMVEE_CLIP_MODEL } : {}) })
        : await localClips(media);
  } else {
    images = await localImages(media);
    clips = await localClips(media);
  }
  return { transcriber, director, images, clips };
}

/** Token and base URL for Replicate; http output URLs are allowed only for a loopback base URL (tests). */
function replicateConnection(config: ResolvedConfig): { apiToken: string; baseUrl?: string; allowLoopbackHttp?: boolean } {
  const v = config.values;
  return { apiToken: v.REPLICATE_API_TOKEN ?? '', ...(v.REPLICATE_BASE_URL ? { baseUrl: v.REPLICATE_BASE_URL, allowLoopbackHttp: isLoopbackUrl(v.REPLICATE_BASE_URL) } : {}) };
}

/** The price table: built-in prices, overridden by the JSON file named by OMVEE_PRICES_FILE. */
export async function loadPriceTable(config: ResolvedConfig): Promise<PriceTable> {
  const file = config.values.OMVEE_PRICES_FILE;
  if (!file) return buildPriceTable();
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OmveeError('config', `cannot read the price table ${file}: ${(error as Error).message}`, { hint: 'fix OMVEE_PRICES_FILE or unset it to use the built-in prices' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OmveeError('config', `the price table ${file} is not valid JSON: ${(error as Error).message}`, { hint: 'it is an object like {"minimax/image-01": {"perImage": 0.01}}' });
  }
  return buildPriceTable(json);
}

/** The model each step of the plan would use (null where the step runs locally, for free). */
export async function planModels(config: ResolvedConfig, plan: ProviderPlan, projectHeight = 720): Promise<WorkModels> {
  const v = config.values;
  const replicate = plan.images === 'replicate' || plan.clips === 'replicate' ? await import('../providers/replicate/index.ts') : null;
  const inputs = replicate ? await import('../providers/replicate/inputs.ts') : null;
  const clipModel = plan.clips === 'replicate' ? (v.OMVEE_CLIP_MODEL ?? DEFAULT_MODELS.clip) : null;
  const limits = clipModel ? replicate!.clipModelLimits(clipModel) : null;
  return {
    transcriber: plan.transcriber === 'openai' ? (v.OMVEE_WHISPER_MODEL ?? DEFAULT_MODELS.whisper) : null,
    director:
      plan.director === 'local' ? null : (v.OMVEE_LLM_MODEL ?? (plan.director === 'openrouter' ? DEFAULT_MODELS.openrouter : DEFAULT_MODELS.openaiChat)),
    images: plan.images === 'replicate' ? (v.OMVEE_IMAGE_MODEL ?? DEFAULT_MODELS.image) : null,
    clips: clipModel,
    ...(limits ? { clipDurationsS: limits.durationsS, clipResolution: inputs!.chooseResolution(projectHeight, limits.resolutions) } : {}),
  };
}

/**
 * --cancel-on-exit: cancel the project's in-flight Replicate predictions (takes still
 * 'processing' with a stored prediction id) and mark those takes failed, keeping the id in the
 * error text. Returns how many were canceled. Never throws: it runs while exiting.
 */
export async function cancelInFlightPredictions(config: ResolvedConfig, store: Store, projectId: string, log: (message: string) => void): Promise<number> {
  if (!config.values.REPLICATE_API_TOKEN) return 0;
  const { cancelPrediction } = await import('../providers/replicate/index.ts');
  const conn = { ...replicateConnection(config), requestTimeoutMs: 10_000, retry: { maxAttempts: 2 } };
  let canceled = 0;
  for (const table of ['generated_images', 'video_clips'] as const) {
    const rows = await store.list(table, { where: { project_id: projectId, status: 'processing' } }).catch(() => []);
    for (const row of rows) {
      if (!row.prediction_id) continue;
      try {
        const status = await cancelPrediction(conn, row.prediction_id, AbortSignal.timeout(15_000));
        await store.update(table, row.id, { status: 'failed', error: `prediction ${row.prediction_id} canceled on exit (--cancel-on-exit): ${status}` });
        canceled += 1;
      } catch (error) {
        log(`could not cancel prediction ${row.prediction_id}: ${error instanceof Error ? error.message : String(error)} (it stays recorded; the next run re-attaches)`);
      }
    }
  }
  return canceled;
}

async function localImages(media: MediaTools): Promise<ImageGenerator> {
  const { createLocalImageGenerator } = await import('../providers/local/local-images.ts');
  return createLocalImageGenerator(media);
}

async function localClips(media: MediaTools): Promise<ClipGenerator> {
  const { createLocalClipGenerator } = await import('../providers/local/local-clips.ts');
  return createLocalClipGenerator(media);
}
