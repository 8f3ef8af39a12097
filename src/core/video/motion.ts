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

const CAMERA_WORDS: readonly [RegExp, Exclude<MotionKind, 'none'>][] = [
  [/zoom(ing)? out|pull(ing)? (back|out)/, 'zoom_out'],
  [/zoom(ing)? in|push(ing|es)? in|dolly in/, 'zoom_in'],
  [/pan(ning)? left|track(ing)? left/, 'pan_left'],
  [/pan(ning)? right|track(ing)? right/, 'pan_right'],
  [/tilt(ing)? up|pan(ning)? up|\brise\b|\brising\b|crane up/, 'pan_up'],
  [/tilt(ing)? down|pan(ning)? down|\bdescend|crane down/, 'pan_down'],
];

/**
 * The camera move a motion text names FIRST, or null: a setting later in the text ("…at
 * sunrise", "a slow dance") does not override the move the prompt opens with.
 */
export function cameraMoveOf(prompt: string | null | undefined): Exclude<MotionKind, 'none'> | null {
  const text = (prompt ?? '').toLowerCase();
  let found: Exclude<MotionKind, 'none'> | null = null;
  let at = Number.POSITIVE_INFINITY;
  for (const [re, kind] of CAMERA_WORDS) {
    const m = re.exec(text);
    if (m && m.index < at) {
      at = m.index;
      found = kind;
    }
  }
  return found;
}

export function chooseMotion(choice: MotionChoice): Motion {
  const text = (choice.prompt ?? '').toLowerCase();
  const take = Math.max(1, Math.floor(choice.take ?? 1));
  // the pace named first wins, like the move
  const paceWord = /\b(slow|slowly|gentle|gently|subtle|fast|rapid|rapidly|dramatic|push)\b/.exec(text)?.[1] ?? '';
  const worded = /^(slow|slowly|gentle|gently|subtle)$/.test(paceWord) ? 0.5 : paceWord ? 1 : 0.75;
  const energy = choice.energy;
  const strength = energy === null || energy === undefined || !Number.isFinite(energy) ? worded : Math.min(1, Math.max(0.25, 0.25 + 0.75 * energy));
  const stated: MotionKind | null = cameraMoveOf(text);
  const base = stated ? MOTION_CYCLE.indexOf(stated) : (choice.sceneIndex + (choice.seed % 3)) % MOTION_CYCLE.length;
  const kind = MOTION_CYCLE[(base + (take - 1) * 2) % MOTION_CYCLE.length]!;
  return { kind, strength, ...(choice.pace ? { pace: choice.pace } : {}) };
}
