/**
 * `scenes edit`: move a scene's start or end. The neighbour's boundary moves with it, so the
 * scenes still cover the song whole; changes that would squeeze a scene below a minimum or leave
 * the song are refused with a usage error.
 */
import { OmveeError } from '../errors.ts';
import { TIME_EPS } from './bounds.ts';
import type { TimeSpan } from './frames.ts';

export interface AdjustSceneOptions {
  durationS: number;
  /** shortest a scene (the edited one or its neighbour) may become; default 0.5 s */
  minSceneS?: number;
}

export const ADJUST_MIN_SCENE_S = 0.5;

function usage(message: string, hint: string): OmveeError {
  return new OmveeError('usage', message, { hint });
}

const fmt = (t: number): string => `${Math.round(t * 1000) / 1000}s`;

export function adjustScene<T extends TimeSpan>(
  scenes: readonly T[],
  index: number,
  change: { start_time_s?: number; end_time_s?: number },
  opts: AdjustSceneOptions,
): T[] {
  const minLen = opts.minSceneS ?? ADJUST_MIN_SCENE_S;
  const D = opts.durationS;
  if (!Number.isInteger(index) || index < 0 || index >= scenes.length) {
    throw usage(`there is no scene ${index + 1} (the project has ${scenes.length})`, 'List the scenes with `omvee scenes list`.');
  }
  const out = scenes.map((s) => ({ ...s }));
  const hint = `Scenes cover the song (0s–${fmt(D)}) without gaps; each must stay at least ${fmt(minLen)} long.`;

  const move = (boundary: number, t: number, which: 'start' | 'end'): void => {
    // boundary k sits between scene k-1 and scene k
    if (!Number.isFinite(t)) throw usage(`the new ${which} time must be a number of seconds (got ${t})`, hint);
    if (t < -TIME_EPS || t > D + TIME_EPS) throw usage(`${fmt(t)} is outside the song (0s–${fmt(D)})`, hint);
    if (boundary === 0 && Math.abs(t) > TIME_EPS) throw usage('the first scene must start at 0s', hint);
    if (boundary === out.length && Math.abs(t - D) > TIME_EPS) throw usage(`the last scene must end at the end of the song (${fmt(D)})`, hint);
    if (boundary === 0 || boundary === out.length) return;
    const before = out[boundary - 1]!;
    const after = out[boundary]!;
    if (t - before.start_time_s < minLen - TIME_EPS) {
      throw usage(`moving the ${which} of scene ${index + 1} to ${fmt(t)} would leave scene ${boundary} shorter than ${fmt(minLen)}`, hint);
    }
    if (after.end_time_s - t < minLen - TIME_EPS) {
      throw usage(`moving the ${which} of scene ${index + 1} to ${fmt(t)} would leave scene ${boundary + 1} shorter than ${fmt(minLen)}`, hint);
    }
    before.end_time_s = t;
    after.start_time_s = t;
  };

  if (change.start_time_s !== undefined) move(index, change.start_time_s, 'start');
  if (change.end_time_s !== undefined) move(index + 1, change.end_time_s, 'end');
  const edited = out[index]!;
  if (edited.end_time_s - edited.start_time_s < minLen - TIME_EPS) {
    throw usage(`scene ${index + 1} would be shorter than ${fmt(minLen)}`, hint);
  }
  return out;
}
