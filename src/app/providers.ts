/**
 * Picks each step's provider: `local` (embedded, offline) or the real one. `auto` (the
 * default) means the real provider when its key is configured. Real adapters load lazily.
 */
import { OmveeError } from '../cli/errors.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { MediaTools } from '../media/port.ts';
import type { ClipGenerator, Director, ImageGenerator, Providers, Transcriber } from '../providers/ports.ts';

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

export async function buildProviders(config: ResolvedConfig, media: MediaTools, plan: ProviderPlan): Promise<Providers> {
  const v = config.values;
  const ffmpeg = (await media.versions()).ffmpegPath;
  let transcriber: Transcriber;
  if (plan.transcriber === 'openai') {
    const { createWhisperTranscriber } = await import('../providers/openai/whisper-transcriber.ts');
    transcriber = createWhisperTranscriber({ apiKey: v.OPENAI_API_KEY!, ffmpeg, ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}), ...(v.OMVEE_WHISPER_MODEL ? { model: v.OMVEE_WHISPER_MODEL } : {}) });
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
    director =
      plan.director === 'openrouter'
        ? createLlmDirector({ provider: 'openrouter', apiKey: v.OPENROUTER_API_KEY!, ...(v.OPENROUTER_BASE_URL ? { baseURL: v.OPENROUTER_BASE_URL } : {}), ...(v.OMVEE_LLM_MODEL ? { model: v.OMVEE_LLM_MODEL } : {}) })
        : createLlmDirector({ provider: 'openai', apiKey: v.OPENAI_API_KEY!, ...(v.OPENAI_BASE_URL ? { baseURL: v.OPENAI_BASE_URL } : {}), ...(v.OMVEE_LLM_MODEL ? { model: v.OMVEE_LLM_MODEL } : {}) });
  }
  let images: ImageGenerator;
  let clips: ClipGenerator;
  if (plan.images === 'replicate' || plan.clips === 'replicate') {
    const replicate = await import('../providers/replicate/index.ts');
    const common = { apiToken: v.REPLICATE_API_TOKEN!, ...(v.REPLICATE_BASE_URL ? { baseUrl: v.REPLICATE_BASE_URL, allowLoopbackHttp: isLoopback(v.REPLICATE_BASE_URL) } : {}) };
    images = plan.images === 'replicate' ? replicate.createReplicateImageGenerator({ ...common, ...(v.OMVEE_IMAGE_MODEL ? { model: v.OMVEE_IMAGE_MODEL } : {}) }) : await localImages(media);
    clips = plan.clips === 'replicate' ? replicate.createReplicateClipGenerator({ ...common, ...(v.OMVEE_CLIP_MODEL ? { model: v.OMVEE_CLIP_MODEL } : {}) }) : await localClips(media);
  } else {
    images = await localImages(media);
    clips = await localClips(media);
  }
  return { transcriber, director, images, clips };
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

async function localImages(media: MediaTools): Promise<ImageGenerator> {
  const { createLocalImageGenerator } = await import('../providers/local/local-images.ts');
  return createLocalImageGenerator(media);
}

async function localClips(media: MediaTools): Promise<ClipGenerator> {
  const { createLocalClipGenerator } = await import('../providers/local/local-clips.ts');
  return createLocalClipGenerator(media);
}
