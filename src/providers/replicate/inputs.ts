/**
 * What the rest of omvee asks about a clip model without a network (estimates, `--dry-run`):
 * answered from the model's shipped published schema (contract/fixtures), never from a table of
 * guesses. Running generators read the live schema (contract/source.ts).
 */
import type { ScenePrompt } from '../../core/model.ts';
import { allowedDurations } from './contract/durations.ts';
import { fixtureContract } from './contract/fixtures.ts';

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
