/** Scene length bounds: defaults, validation, and whether a song can be cut within them. */
import { OmveeError } from '../errors.ts';

export const DEFAULT_SCENE_MIN_S = 5;
export const DEFAULT_SCENE_MAX_S = 10;
/** Shortest scene we allow: a shot people can see, and never zero frames. */
export const SCENE_MIN_LIMIT_S = 0.5;
/** Longest scene we allow: image-to-video models make clips of seconds, not minutes. */
export const SCENE_MAX_LIMIT_S = 60;
/** Tolerance for comparing times (seconds). */
export const TIME_EPS = 1e-6;

export interface SceneBounds {
  sceneMinS: number;
  sceneMaxS: number;
}

/**
 * Checks --scene-min/--scene-max (undefined → defaults 5 and 10). Throws OmveeError('usage').
 */
export function validateSceneBounds(min: number | undefined = DEFAULT_SCENE_MIN_S, max: number | undefined = DEFAULT_SCENE_MAX_S): SceneBounds {
  const hint = `Scene lengths are seconds with ${SCENE_MIN_LIMIT_S} ≤ min ≤ max ≤ ${SCENE_MAX_LIMIT_S} (defaults: min ${DEFAULT_SCENE_MIN_S}, max ${DEFAULT_SCENE_MAX_S}).`;
  for (const [name, v] of [
    ['minimum', min],
    ['maximum', max],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new OmveeError('usage', `the scene ${name} length must be a number of seconds (got ${String(v)})`, { hint });
    }
    if (v < SCENE_MIN_LIMIT_S) throw new OmveeError('usage', `the scene ${name} length must be at least ${SCENE_MIN_LIMIT_S} s (got ${v})`, { hint });
  }
  if (max > SCENE_MAX_LIMIT_S) {
    throw new OmveeError('usage', `the scene maximum length ${max} s is above the limit of ${SCENE_MAX_LIMIT_S} s`, { hint });
  }
  if (min > max) {
    throw new OmveeError('usage', `the scene minimum length (${min} s) is greater than the maximum (${max} s)`, { hint });
  }
  return { sceneMinS: min, sceneMaxS: max };
}

/** Number of scenes k with k·min ≤ D ≤ k·max closest to D / target, or null when none exists. */
export function feasibleSceneCount(durationS: number, min: number, max: number, targetS = (min + max) / 2): number | null {
  const kMin = Math.max(1, Math.ceil(durationS / max - TIME_EPS));
  const kMax = Math.floor(durationS / min + TIME_EPS);
  if (kMin > kMax) return null;
  return Math.min(kMax, Math.max(kMin, Math.round(durationS / targetS)));
}

/** True when [0, D] can be cut into scenes that are all within [min, max]. */
export function isPartitionFeasible(durationS: number, min: number, max: number): boolean {
  return feasibleSceneCount(durationS, min, max) !== null;
}

/**
 * When no exact partition exists (e.g. min 5, max 6, song 13 s) — the scene count whose equal
 * length breaks the bounds the least, relatively: too long by x% vs too short by y%; ties go to
 * the longer scenes.
 */
export function leastViolatingSceneCount(durationS: number, min: number, max: number): number {
  const kShort = Math.max(1, Math.ceil(durationS / max - TIME_EPS)); // pieces ≤ max, but < min
  const kLong = kShort - 1; // pieces > max
  if (kLong < 1) return kShort;
  const over = (durationS / kLong - max) / max;
  const under = (min - durationS / kShort) / min;
  return over <= under ? kLong : kShort;
}

/** About one scene per 10 s: 15–20 scenes for a 3-minute song, scaled by duration. */
export function naturalSceneCount(durationS: number): number {
  return Math.max(1, Math.round(durationS / 10.3));
}

/** How many scenes to aim for: the natural count, kept within what the length bounds allow. */
export function targetSceneCount(durationS: number, minS: number, maxS: number): number {
  const lo = Math.max(1, Math.ceil(durationS / maxS - 1e-9));
  const hi = Math.max(lo, Math.floor(durationS / minS + 1e-9));
  return Math.min(hi, Math.max(lo, naturalSceneCount(durationS)));
}
