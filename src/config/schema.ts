/**
 * One schema for every setting omvee reads. Each setting has an environment-variable name
 * (also its key in `.env` and in the user config file) and, for some, a command-line flag.
 * Secrets never come from flags.
 */
import { z } from 'zod';
import { isLoopbackHost } from '../providers/http/loopback.ts';
import { providerChoices } from '../providers/registry.ts';

/** Keys travel to these URLs: https, or plain http to this machine only (local servers, tests). */
const optionalUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || isLoopbackHost(url.hostname);
  }, 'must be an https:// URL (plain http is allowed only for localhost)')
  .optional();
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();
const positiveNumber = z.coerce.number().positive().optional();
const positiveInt = z.coerce.number().int().positive().optional();

export const CONFIG_SCHEMA = z.object({
  OMVEE_BACKEND: choice(['auto', 'local', 'supabase']),
  OMVEE_HOME: z.string().min(1).optional(),
  SUPABASE_URL: optionalUrl,
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
  SUPABASE_SERVICE_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: optionalUrl,
  OPENROUTER_API_KEY: z.string().min(1).optional(),
  OPENROUTER_BASE_URL: optionalUrl,
  REPLICATE_API_TOKEN: z.string().min(1).optional(),
  REPLICATE_BASE_URL: optionalUrl,
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  OMVEE_TRANSCRIBER: choice(providerChoices('transcriber')),
  OMVEE_DIRECTOR: choice(providerChoices('director')),
  OMVEE_IMAGES: choice(providerChoices('images')),
  OMVEE_CLIPS: choice(providerChoices('clips')),
  OMVEE_WHISPER_MODEL: z.string().min(1).optional(),
  OMVEE_LLM_MODEL: z.string().min(1).optional(),
  OMVEE_IMAGE_MODEL: z.string().min(1).optional(),
  OMVEE_CLIP_MODEL: z.string().min(1).optional(),
  OMVEE_IMAGE_CONCURRENCY: positiveInt,
  OMVEE_CLIP_CONCURRENCY: positiveInt,
  OMVEE_PRICES_FILE: z.string().min(1).optional(),
  OMVEE_SCENE_MIN: positiveNumber,
  OMVEE_SCENE_MAX: positiveNumber,
  OMVEE_LEASE_SECONDS: positiveInt,
  OMVEE_REPLICATE_POLL_MS: positiveInt,
  OMVEE_LLM_VISION: choice(['auto', 'on', 'off'] as const),
  OMVEE_WHISPER_TIMESTAMP_MODEL: z.string().min(1).optional(),
  OMVEE_MAX_UPLOAD_BYTES: positiveInt,
});
export type ConfigValues = z.infer<typeof CONFIG_SCHEMA>;
export type ConfigKey = keyof ConfigValues;
export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.shape) as ConfigKey[];

/** Values never printed: shown as "set (redacted)" by config show, doctor and --debug logs. */
export const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  'SUPABASE_ANON_KEY',
  'SUPABASE_SERVICE_KEY',
  'OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'REPLICATE_API_TOKEN',
]);

export const CONFIG_DESCRIPTIONS: Record<ConfigKey, string> = {
  OMVEE_BACKEND: 'where state lives: auto (Supabase when configured), local, supabase',
  OMVEE_HOME: 'local store folder (default: $XDG_DATA_HOME/omvee)',
  SUPABASE_URL: 'Supabase project URL',
  SUPABASE_ANON_KEY: 'Supabase anon key (with `omvee login`)',
  SUPABASE_SERVICE_KEY: 'Supabase service-role key (operators, CI)',
  OPENAI_API_KEY: 'OpenAI key (Whisper, or the director with OMVEE_DIRECTOR=openai)',
  OPENAI_BASE_URL: 'OpenAI-compatible base URL',
  OPENROUTER_API_KEY: 'OpenRouter key (the LLM director)',
  OPENROUTER_BASE_URL: 'OpenRouter base URL',
  REPLICATE_API_TOKEN: 'Replicate token (images and clips)',
  REPLICATE_BASE_URL: 'Replicate API base URL',
  FFMPEG_PATH: 'ffmpeg binary (default: found on PATH)',
  FFPROBE_PATH: 'ffprobe binary (default: found on PATH)',
  OMVEE_TRANSCRIBER: providerChoices('transcriber').join(' | '),
  OMVEE_DIRECTOR: providerChoices('director').join(' | '),
  OMVEE_IMAGES: providerChoices('images').join(' | '),
  OMVEE_CLIPS: providerChoices('clips').join(' | '),
  OMVEE_WHISPER_MODEL: 'transcription model (default whisper-1)',
  OMVEE_LLM_MODEL: 'director model (default deepseek/deepseek-v3.1-terminus on OpenRouter)',
  OMVEE_IMAGE_MODEL: 'Replicate image model (default minimax/image-01)',
  OMVEE_CLIP_MODEL: 'Replicate image-to-video model (default bytedance/seedance-1-lite)',
  OMVEE_IMAGE_CONCURRENCY: 'parallel image predictions',
  OMVEE_CLIP_CONCURRENCY: 'parallel clip predictions',
  OMVEE_PRICES_FILE: 'JSON price table overriding the built-in one',
  OMVEE_SCENE_MIN: 'shortest scene in seconds (default 5)',
  OMVEE_SCENE_MAX: 'longest scene in seconds (default: the clip model’s longest clip, 10 for local clips)',
  OMVEE_LEASE_SECONDS: 'job lease length in seconds (default 60)',
  OMVEE_REPLICATE_POLL_MS: 'ms between Replicate prediction status polls (default 2000)',
  OMVEE_LLM_VISION: 'show each still to the director when it writes the clip motion: auto (models known to take images), on, off',
  OMVEE_WHISPER_TIMESTAMP_MODEL: 'model that times the lyrics when the transcription model gives no timestamps (gpt-4o-transcribe): default whisper-1; none = never (an error instead)',
  OMVEE_MAX_UPLOAD_BYTES: "largest file Supabase Storage takes (your plan's global limit; default: the bucket's file_size_limit, else 50 MB)",
};
