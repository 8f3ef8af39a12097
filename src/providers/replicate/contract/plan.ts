/**
 * The predictions a scene's clip is made of, and what each is billed on — ONE function, used by
 * the clip generator right before it creates them and by `--dry-run` / `--max-cost` to price
 * them, so an estimate is the cost of exactly what is then sent.
 *
 * From the model's contract: the shortest allowed duration at least as long as the scene (the
 * scene is frameCount / fps seconds, the frames it has in the final cut); a scene longer than
 * the model's longest is made of the cheapest set of predictions covering it (planClipParts),
 * each covering an exact share of the scene's frames; the resolution by the frame's short side.
 */
import type { ModelContract } from './derive.ts';
import { planClipParts } from './durations.ts';
import { chooseResolution } from './sizes.ts';

export interface ClipScene {
  /** frames the clip has in the final cut */
  frameCount: number;
  /** the project's frame rate */
  fps: number;
  width: number;
  height: number;
  /** a forced model resolution (e.g. '480p'); default: by the short side */
  resolution?: string | undefined;
}

export interface PlannedPrediction {
  /** the length asked of the model; null when it has no duration input */
  durationS: number | null;
  /** seconds of the scene this prediction covers */
  coversS: number;
  /** frames of the scene this prediction covers (the parts add up to frameCount) */
  frames: number;
  /** the resolution asked for; null when the model has no resolution input */
  resolution: string | null;
}

/** Predictions of one scene's clip, in order (one unless the scene is longer than the model makes). */
export function planClipPredictions(contract: ModelContract, scene: ClipScene): PlannedPrediction[] {
  const sceneS = scene.frameCount / scene.fps;
  const resolution = contract.fields.resolution ? (scene.resolution ?? chooseResolution(scene.width, scene.height, contract.resolutions) ?? null) : null;
  if (!contract.fields.duration || !contract.durations) return [{ durationS: null, coversS: sceneS, frames: scene.frameCount, resolution }];
  const parts = planClipParts(sceneS, contract.durations);
  const out: PlannedPrediction[] = [];
  let covered = 0;
  let framesSoFar = 0;
  parts.forEach((part, i) => {
    covered += part.coversS;
    // cumulative rounding: the parts' frames add up to the scene's exactly
    const end = i === parts.length - 1 ? scene.frameCount : Math.min(scene.frameCount, Math.round(covered * scene.fps));
    out.push({ durationS: part.durationS, coversS: part.coversS, frames: end - framesSoFar, resolution });
    framesSoFar = end;
  });
  return out;
}

/** What a prediction of this model is billed on: the duration and resolution in its input. */
export function clipBilling(contract: ModelContract, input: Readonly<Record<string, unknown>> | undefined, planned: PlannedPrediction): { videoSeconds: number; resolution: string | undefined } {
  const sent = input ?? {};
  const duration = contract.fields.duration ? Number(sent[contract.fields.duration]) : Number.NaN;
  const resolution = contract.fields.resolution ? sent[contract.fields.resolution] : undefined;
  return {
    videoSeconds: Number.isFinite(duration) ? duration : (planned.durationS ?? planned.coversS),
    resolution: typeof resolution === 'string' ? resolution : (planned.resolution ?? undefined),
  };
}

/** Billing of each planned prediction as it will be sent (the estimate's side of clipBilling). */
export function plannedBilling(contract: ModelContract, scene: ClipScene): { videoSeconds: number; resolution: string | undefined }[] {
  return planClipPredictions(contract, scene).map((p) => clipBilling(contract, undefined, p));
}
