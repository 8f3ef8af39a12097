/**
 * The camera move of an offline clip (and of a preview's animatic): read from the motion prompt
 * ("slow zoom in", "pan left across…"), else varied by scene; how strong follows the music's
 * energy when known (the analysis, else the director's guess), and a pace curve makes the move
 * surge where the song is louder. A new take moves differently from the one before.
 */
import type { Motion, MotionKind } from '../../media/port.ts';

/** The model name of the offline clips (the local clip generator), so a clip can be remade from its still. */
export const LOCAL_MOTION_MODEL = 'omvee-local-motion-1';

/** The moving kinds, in the order scenes without a stated motion cycle through them. */
export const MOTION_CYCLE: readonly MotionKind[] = ['zoom_in', 'pan_right', 'zoom_out', 'pan_left', 'pan_up', 'pan_down'];

export interface MotionChoice {
  prompt: string | null;
  sceneIndex: number;
  seed: number;
  /** 1 for the first take; later takes turn to another move */
  take?: number;
  /** 0..1 energy of the scene (analysis or director), when known */
  energy?: number | null;
  pace?: readonly number[] | null;
}

export function chooseMotion(choice: MotionChoice): Motion {
  const text = (choice.prompt ?? '').toLowerCase();
  const take = Math.max(1, Math.floor(choice.take ?? 1));
  const worded = /\b(slow|gentle|subtle)\b/.test(text) ? 0.5 : /\b(fast|rapid|dramatic|push)\b/.test(text) ? 1 : 0.75;
  const energy = choice.energy;
  const strength = energy === null || energy === undefined || !Number.isFinite(energy) ? worded : Math.min(1, Math.max(0.25, 0.25 + 0.75 * energy));
  const stated: MotionKind | null =
    /zoom(ing)? out|pull(ing)? (back|out)/.test(text) ? 'zoom_out'
    : /zoom(ing)? in|push(ing)? in|dolly in/.test(text) ? 'zoom_in'
    : /pan(ning)? left|track(ing)? left/.test(text) ? 'pan_left'
    : /pan(ning)? right|track(ing)? right/.test(text) ? 'pan_right'
    : /tilt(ing)? up|pan(ning)? up|rise|rising|crane up/.test(text) ? 'pan_up'
    : /tilt(ing)? down|pan(ning)? down|descend|crane down/.test(text) ? 'pan_down'
    : null;
  const base = stated ? MOTION_CYCLE.indexOf(stated) : (choice.sceneIndex + (choice.seed % 3)) % MOTION_CYCLE.length;
  const kind = MOTION_CYCLE[(base + (take - 1) * 2) % MOTION_CYCLE.length]!;
  return { kind, strength, ...(choice.pace ? { pace: choice.pace } : {}) };
}
