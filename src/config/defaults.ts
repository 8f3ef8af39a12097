/**
 * What each setting is when nobody sets it, for `omvee config show --all` — read off the places
 * that decide it (the scene planner, the provider registry), so the listing cannot drift from
 * what omvee does.
 */
import { DEFAULT_SCENE_MAX_S, DEFAULT_SCENE_MIN_S } from '../core/timeline/bounds.ts';
import { PROVIDERS, SLOT_SETTING } from '../providers/registry.ts';
import type { ConfigKey } from './schema.ts';

/** How long a job's lease lasts without a heartbeat before another worker may take it over. */
export const DEFAULT_LEASE_SECONDS = 60;

export function settingDefaults(): Partial<Record<ConfigKey, string>> {
  const out: Partial<Record<ConfigKey, string>> = {
    OMVEE_BACKEND: 'auto',
    OMVEE_SCENE_MIN: String(DEFAULT_SCENE_MIN_S),
    // AI clips: the clip model's longest clip (src/app/clip-defaults.ts)
    OMVEE_SCENE_MAX: `${DEFAULT_SCENE_MAX_S} (local clips; AI clips: the clip model's longest clip)`,
    OMVEE_LEASE_SECONDS: String(DEFAULT_LEASE_SECONDS),
  };
  for (const setting of Object.values(SLOT_SETTING)) out[setting] = 'auto';
  const models = new Map<ConfigKey, string[]>();
  const parallel: Record<'OMVEE_IMAGE_CONCURRENCY' | 'OMVEE_CLIP_CONCURRENCY', string[]> = { OMVEE_IMAGE_CONCURRENCY: [], OMVEE_CLIP_CONCURRENCY: [] };
  for (const provider of PROVIDERS) {
    for (const [slot, offer] of Object.entries(provider.offers)) {
      if (offer?.modelSetting && offer.defaultModel) models.set(offer.modelSetting, [...(models.get(offer.modelSetting) ?? []), `${offer.defaultModel} (${provider.name})`]);
      if (offer?.defaultConcurrency !== undefined) (slot === 'images' ? parallel.OMVEE_IMAGE_CONCURRENCY : parallel.OMVEE_CLIP_CONCURRENCY).push(`${offer.defaultConcurrency} (${provider.name})`);
    }
  }
  for (const [key, list] of models) out[key] = list.join(', ');
  for (const [key, list] of Object.entries(parallel)) if (list.length) out[key as ConfigKey] = list.join(', ');
  return out;
}
