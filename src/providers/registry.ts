/**
 * The provider registry: one entry per provider, and everything that names providers derives
 * from it — the config schema's OMVEE_TRANSCRIBER/DIRECTOR/IMAGES/CLIPS enums, the
 * `--transcriber/--director/--images/--clips` choices, the auto rule and missing-key messages
 * (src/app/providers.ts), doctor's key rows, cost planning and `jobs cancel`.
 *
 * Light on purpose (command definitions import it for --help): entries hold names and lazy
 * loaders; the adapters load only when a provider is built. Adding a provider is one folder
 * with its adapter and `entry.ts`, one line in PROVIDERS, and its protocol fake for tests.
 */
import type { ConfigKey, ConfigValues } from '../config/schema.ts';
import type { PriceTable } from '../core/cost/prices.ts';
import type { ClipBilling, ClipSceneShape } from '../core/cost/estimate.ts';
import type { MediaTools } from '../media/port.ts';
import type { ClipGenerator, Director, ImageGenerator, Transcriber } from './ports.ts';
import { localProvider } from './local/entry.ts';
import { openAiProvider } from './openai/entry.ts';
import { openRouterProvider } from './openrouter/entry.ts';
import { replicateProvider } from './replicate/entry.ts';

/** The pipeline's provider slots: which provider does each kind of work. */
export const PROVIDER_SLOTS = ['transcriber', 'director', 'images', 'clips'] as const;
export type ProviderSlot = (typeof PROVIDER_SLOTS)[number];

export interface SlotAdapters {
  transcriber: Transcriber;
  director: Director;
  images: ImageGenerator;
  clips: ClipGenerator;
}

/** What building an adapter gets: settings, ffmpeg, prices, and flags that tune it. */
export interface BuildContext {
  settings: ConfigValues;
  media: MediaTools;
  /** the price table (built when any paid provider is in use) */
  prices: PriceTable | undefined;
  /** the model to use (the setting, else the offer's default) */
  model: string | undefined;
  /** parallel generations for images/clips */
  concurrency?: number | undefined;
}

/** What a video model allows, for cost planning (so an estimate prices what would be sent). */
export interface ClipLimits {
  durationsS: readonly number[];
  resolutions: readonly string[];
  /** null when the model's schema does not say */
  fps: number | null;
}

export type { ClipBilling, ClipSceneShape } from '../core/cost/estimate.ts';

/** The clip model's own planning (same code as its generator): predictions per scene, its longest clip and its frame rate. */
export interface ClipPlanner {
  model: string;
  /** the predictions a scene's clip is made of, in order */
  predictions(scene: ClipSceneShape): ClipBilling[];
  /** the longest clip one prediction makes, seconds (null when the model does not say) */
  maxDurationS: number | null;
  /** the frame rate it makes (null when unknown) */
  fps: number | null;
}

export interface SlotOffer<S extends ProviderSlot> {
  /** how doctor and messages name it, e.g. "the local director" */
  title: string;
  /** the setting that picks the model, and the model used when it is unset */
  modelSetting?: ConfigKey | undefined;
  defaultModel?: string | undefined;
  /** parallel generations when no flag or setting says (images, clips) */
  defaultConcurrency?: number | undefined;
  create(ctx: BuildContext): Promise<SlotAdapters[S]>;
  /** clip models: what the model accepts (cost planning) */
  clipLimits?(model: string): Promise<ClipLimits>;
  /**
   * clip models: the planner `--dry-run` / `--max-cost` price with — the generator's own plan,
   * from the same contract (online: the live schema; offline: the shipped one)
   */
  clipPlanner?(model: string, settings: ConfigValues): Promise<ClipPlanner>;
}

export interface ProviderEntry {
  name: string;
  /** the secret that enables it; absent for providers that need none (local) */
  keySetting?: ConfigKey | undefined;
  baseUrlSetting?: ConfigKey | undefined;
  offers: { [S in ProviderSlot]?: SlotOffer<S> };
  /** doctor: one cheap authenticated call with the key */
  checkKey?(opts: { apiKey: string; baseURL: string | undefined; timeoutMs: number }): Promise<{ ok: boolean; detail: string; unreachable?: boolean }>;
  /** stop one piece of paid work it started (a prediction), by the id stored on the take */
  cancelWork?(settings: ConfigValues, workId: string, signal: AbortSignal): Promise<string>;
}

/**
 * Every provider. For `auto`, the first entry (in this order) offering the slot whose key is set
 * wins; `local` needs no key and is the fallback.
 */
export const PROVIDERS: readonly ProviderEntry[] = [openRouterProvider, openAiProvider, replicateProvider, localProvider];

/** The provider that runs a slot when nothing is configured. */
export const FALLBACK_PROVIDER = localProvider.name;

export function providersFor(slot: ProviderSlot): string[] {
  return PROVIDERS.filter((p) => p.offers[slot] !== undefined).map((p) => p.name);
}

/** The values `--<slot>` and OMVEE_<SLOT> accept. */
export function providerChoices(slot: ProviderSlot): [string, ...string[]] {
  return ['auto', ...providersFor(slot).sort((a, b) => (a === FALLBACK_PROVIDER ? -1 : b === FALLBACK_PROVIDER ? 1 : 0))];
}

export function providerNamed(name: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.name === name);
}

/** The setting that picks a slot's provider: OMVEE_TRANSCRIBER, OMVEE_DIRECTOR, OMVEE_IMAGES, OMVEE_CLIPS. */
export const SLOT_SETTING = {
  transcriber: 'OMVEE_TRANSCRIBER',
  director: 'OMVEE_DIRECTOR',
  images: 'OMVEE_IMAGES',
  clips: 'OMVEE_CLIPS',
} as const satisfies Record<ProviderSlot, ConfigKey>;
