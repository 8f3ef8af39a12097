/**
 * Picks and builds each slot's provider from the registry (src/providers/registry.ts): flags >
 * settings (OMVEE_TRANSCRIBER …) > auto, where auto is the first registered provider offering the
 * slot whose key is set, else the local one. Adapters load lazily.
 */
import { OmveeError } from '../core/errors.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { ConfigValues } from '../config/schema.ts';
import type { WorkModels } from '../core/cost/estimate.ts';
import { chooseResolution } from '../core/cost/clip-plan.ts';
import type { ClipSceneShape } from '../core/cost/estimate.ts';
import type { PriceTable } from '../core/cost/prices.ts';
import type { Store } from '../store/port.ts';
import type { MediaTools } from '../media/port.ts';
import { buildPriceTable } from '../providers/cost.ts';
import type { Providers } from '../providers/ports.ts';
import {
  FALLBACK_PROVIDER,
  PROVIDER_SLOTS,
  PROVIDERS,
  providerChoices,
  providerNamed,
  SLOT_SETTING,
  type ClipPlanner,
  type ProviderEntry,
  type ProviderSlot,
  type SlotOffer,
} from '../providers/registry.ts';


/** --transcriber/--director/--images/--clips as given on a command line. */
export type ProviderChoice = { [S in ProviderSlot]?: string | undefined };
/** Every slot on the provider that needs no key (for work that calls no provider, like rendering). */
export const OFFLINE_CHOICE: ProviderChoice = Object.fromEntries(PROVIDER_SLOTS.map((s) => [s, FALLBACK_PROVIDER]));

/** The provider name that runs each slot. */
export type ProviderPlan = Record<ProviderSlot, string>;

const hasKey = (v: ConfigValues, entry: ProviderEntry): boolean => entry.keySetting === undefined || Boolean(v[entry.keySetting]);

/** The provider `auto` picks for a slot with these settings. */
export function autoProvider(v: ConfigValues, slot: ProviderSlot): ProviderEntry {
  return PROVIDERS.find((p) => p.offers[slot] !== undefined && p.keySetting !== undefined && hasKey(v, p)) ?? providerNamed(FALLBACK_PROVIDER)!;
}

/** Decide which provider runs each slot (no I/O): flags > config > auto. */
export function planProviders(config: ResolvedConfig, choice: ProviderChoice = {}): ProviderPlan {
  const v = config.values;
  const plan = {} as ProviderPlan;
  for (const slot of PROVIDER_SLOTS) {
    const wanted = choice[slot] ?? (v[SLOT_SETTING[slot]] as string | undefined) ?? 'auto';
    const entry = wanted === 'auto' ? autoProvider(v, slot) : providerNamed(wanted);
    if (!entry || !entry.offers[slot]) {
      throw new OmveeError('usage', `unknown ${slot} provider "${wanted}"`, { hint: `choose one of: ${providerChoices(slot).join(', ')}` });
    }
    if (!hasKey(v, entry)) {
      throw new OmveeError('config', `--${slot} needs ${entry.keySetting}`, { hint: `set ${entry.keySetting} in the environment or .env, or use --${slot} ${FALLBACK_PROVIDER}` });
    }
    plan[slot] = entry.name;
  }
  return plan;
}

function offerOf<S extends ProviderSlot>(plan: ProviderPlan, slot: S): SlotOffer<S> {
  return providerNamed(plan[slot])!.offers[slot] as SlotOffer<S>;
}

/** The model a slot's provider will use: its setting, else its default; null for free local work. */
function modelOf(v: ConfigValues, offer: SlotOffer<ProviderSlot>): string | undefined {
  return offer.modelSetting ? ((v[offer.modelSetting] as string | undefined) ?? offer.defaultModel) : offer.defaultModel;
}

const isPaid = (plan: ProviderPlan, slot: ProviderSlot): boolean => providerNamed(plan[slot])!.keySetting !== undefined;

/** Parallel generations of a slot when no flag or setting says. */
export function defaultConcurrency(plan: ProviderPlan, slot: 'images' | 'clips'): number {
  return offerOf(plan, slot).defaultConcurrency ?? 2;
}

/** Knobs of the adapters that come from flags rather than config. */
export interface ProviderTuning {
  concurrency?: { images?: number | undefined; clips?: number | undefined };
}

export async function buildProviders(config: ResolvedConfig, media: MediaTools, plan: ProviderPlan, tuning: ProviderTuning = {}): Promise<Providers> {
  const v = config.values;
  const prices = PROVIDER_SLOTS.some((s) => isPaid(plan, s)) ? await loadPriceTable(config) : undefined;
  const build = <S extends ProviderSlot>(slot: S, concurrency?: number) => {
    const offer = offerOf(plan, slot);
    return offer.create({ settings: v, media, prices, model: modelOf(v, offer as SlotOffer<ProviderSlot>), concurrency });
  };
  const [transcriber, director, images, clips] = await Promise.all([
    build('transcriber'),
    build('director'),
    build('images', tuning.concurrency?.images ?? v.OMVEE_IMAGE_CONCURRENCY),
    build('clips', tuning.concurrency?.clips ?? v.OMVEE_CLIP_CONCURRENCY),
  ]);
  return { transcriber, director, images, clips };
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

/** The model each slot of the plan would use (null where it runs locally, for free), for cost planning. */
export async function planModels(config: ResolvedConfig, plan: ProviderPlan, frame: { width: number; height: number } = { width: 1280, height: 720 }): Promise<WorkModels> {
  const v = config.values;
  const paidModel = (slot: ProviderSlot): string | null => (isPaid(plan, slot) ? (modelOf(v, offerOf(plan, slot) as SlotOffer<ProviderSlot>) ?? null) : null);
  const clips = paidModel('clips');
  const offer = offerOf(plan, 'clips');
  const limits = clips && offer.clipLimits ? await offer.clipLimits(clips) : null;
  // the generator's own plan of each scene's predictions, so the estimate prices what will be sent
  const planner = await clipPlannerOf(config, plan);
  return {
    transcriber: paidModel('transcriber'),
    director: paidModel('director'),
    images: paidModel('images'),
    clips,
    ...(limits ? { clipDurationsS: limits.durationsS, clipResolution: chooseResolution(frame.width, frame.height, limits.resolutions) } : {}),
    ...(planner ? { clipPredictions: (scene: ClipSceneShape) => planner.predictions(scene) } : {}),
  };
}

/** The paid clip model's own planner (its longest clip, its frame rate, its predictions per scene); null for local clips. */
export async function clipPlannerOf(config: ResolvedConfig, plan: ProviderPlan): Promise<ClipPlanner | null> {
  if (!isPaid(plan, 'clips')) return null;
  const offer = offerOf(plan, 'clips');
  const model = modelOf(config.values, offer as SlotOffer<ProviderSlot>);
  if (!model || !offer.clipPlanner) return null;
  // one schema read per process and model (run asks for the bounds, the fps and the estimate)
  const key = `${plan.clips}\u0000${model}`;
  let planner = planners.get(key);
  if (!planner) {
    planner = offer.clipPlanner(model, config.values);
    planners.set(key, planner);
    planner.catch(() => planners.delete(key));
  }
  return planner;
}

const planners = new Map<string, Promise<ClipPlanner>>();

/**
 * What the paid clip model makes — its longest clip and frame rate — without a network when omvee
 * ships its schema (else from its planner, which reads the live schema); null for local clips.
 */
export async function clipFactsOf(config: ResolvedConfig, plan: ProviderPlan): Promise<{ maxDurationS: number | null; fps: number | null } | null> {
  if (!isPaid(plan, 'clips')) return null;
  const offer = offerOf(plan, 'clips');
  const model = modelOf(config.values, offer as SlotOffer<ProviderSlot>);
  if (!model) return null;
  const shipped = offer.clipLimits ? await offer.clipLimits(model) : null;
  if (shipped && shipped.durationsS.length > 0) return { maxDurationS: shipped.durationsS[shipped.durationsS.length - 1]!, fps: shipped.fps };
  const planner = await clipPlannerOf(config, plan);
  return planner ? { maxDurationS: planner.maxDurationS, fps: planner.fps } : null;
}

/**
 * --cancel-on-exit and `jobs cancel`: stop the project's in-flight paid work (image and clip
 * takes still 'processing' with a stored prediction id) through the provider that can cancel it,
 * and mark those takes failed, keeping the id in the error text. Returns how many were stopped.
 * Never throws: it runs while exiting.
 */
export async function cancelInFlightWork(config: ResolvedConfig, store: Store, projectId: string, log: (message: string) => void, tables: readonly ('generated_images' | 'video_clips')[] = ['generated_images', 'video_clips']): Promise<number> {
  const v = config.values;
  const slotOf = { generated_images: 'images', video_clips: 'clips' } as const;
  let canceled = 0;
  for (const table of tables) {
    const cancelers = PROVIDERS.filter((p) => p.cancelWork && p.offers[slotOf[table]] && p.keySetting && hasKey(v, p));
    if (cancelers.length === 0) continue;
    const rows = await store.list(table, { where: { project_id: projectId, status: 'processing' } }).catch(() => []);
    for (const row of rows) {
      if (!row.prediction_id) continue;
      for (const provider of cancelers) {
        try {
          const status = await provider.cancelWork!(v, row.prediction_id, AbortSignal.timeout(15_000));
          await store.update(table, row.id, { status: 'failed', error: `prediction ${row.prediction_id} canceled on exit (--cancel-on-exit): ${status}` });
          canceled += 1;
          break;
        } catch (error) {
          log(`could not cancel prediction ${row.prediction_id}: ${error instanceof Error ? error.message : String(error)} (it stays recorded; the next run re-attaches)`);
        }
      }
    }
  }
  return canceled;
}

/** Whether any configured provider can stop paid work (so `jobs cancel` knows to try). */
export function canCancelWork(config: ResolvedConfig): boolean {
  return PROVIDERS.some((p) => p.cancelWork && p.keySetting && hasKey(config.values, p));
}
