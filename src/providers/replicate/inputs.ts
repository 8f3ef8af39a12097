/**
 * What the rest of omvee asks about a clip model without a network (estimates, `--dry-run`):
 * answered from the model's shipped published schema (contract/fixtures), never from a table of
 * guesses. Running generators read the live schema (contract/source.ts).
 */
import type { ScenePrompt } from '../../core/model.ts';
import { allowedDurations, chooseDuration } from './contract/durations.ts';
import { fixtureContract } from './contract/fixtures.ts';
import { chooseResolution as chooseByShortSide } from './contract/sizes.ts';

export { nearestAspectRatio } from './contract/sizes.ts';

export function composeImagePrompt(prompt: Pick<ScenePrompt, 'image_prompt' | 'style_notes'>): string {
  return [prompt.image_prompt, prompt.style_notes].filter((s) => s && s.trim()).join('. ');
}

/** What a video model accepts: allowed output durations (s), resolutions and its frame rate. */
export interface ClipModelLimits {
  /** every allowed length, shortest first (a 2–12 s range lists 2, 3, … 12); empty when unknown */
  durationsS: readonly number[];
  resolutions: readonly string[];
  /** the model's frame rate; null when its schema does not say */
  fps: number | null;
}

/** From the schema shipped with omvee; a model without one: nothing known (empty lists). */
export function clipModelLimits(model: string): ClipModelLimits {
  const contract = fixtureContract(model.split(':')[0] ?? model);
  return {
    durationsS: allowedDurations(contract?.durations ?? null),
    resolutions: contract?.resolutions ?? [],
    fps: contract?.fps[0] ?? null,
  };
}

/**
 * The smallest allowed duration at least as long as the scene; when the scene is longer than
 * the model can make, its longest (the scene is then planned shorter or made from two clips).
 * With no known durations: the scene rounded up to a whole second.
 */
export function chooseClipDuration(sceneS: number, allowed: readonly number[]): { durationS: number; short: boolean } {
  return chooseDuration(sceneS, allowed.length ? { kind: 'enum', values: [...allowed].sort((a, b) => a - b), field: 'duration', valueType: 'number' } : null);
}

/**
 * The model resolution for a frame whose SHORT side is `shortSidePx` (a 720×1280 project → 720,
 * so 720p): the smallest allowed ≥ it, else the largest.
 */
export function chooseResolution(shortSidePx: number, allowed: readonly string[]): string | undefined {
  return chooseByShortSide(shortSidePx, shortSidePx, allowed);
}
