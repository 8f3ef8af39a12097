/**
 * The local director's motion prompts, from templates: per theme what moves in the picture,
 * one camera move, the pace from the scene's energy, one continuous shot, positive phrasing.
 *
 * The local clip maker reads its camera move and strength back out of this text
 * (local-clips.ts motionFromPrompt): the camera phrase comes first and uses its words ("zoom
 * in", "pan left", "tilt up"…), the pace word is "slow" (gentle), none (moderate) or "fast"
 * (intense), and the subject phrases avoid every word that parser looks for.
 */
import { intensityFor, type Intensity } from '../../motion-guidance.ts';
import type { MotionKind } from '../../../media/port.ts';
import { cameraMoveOf } from '../../../core/video/motion.ts';
import { hash32, pick, pickDifferent } from './hash.ts';

/** What moves, per theme (no camera words, no pace words: see the module note). */
const SUBJECT_MOTION: Record<string, readonly string[]> = {
  night: ['stars twinkle and thin clouds drift across the moon', 'a curtain stirs in the night air and a lamp flickers'],
  fire: ['flames flicker and sparks drift upward', 'embers glow and smoke curls through the air'],
  water: ['raindrops streak down and ripples spread across the puddles', 'waves roll in and the light shimmers on the water'],
  city: ['neon signs flicker and headlights stream past', 'people cross the street and reflections shimmer on the wet asphalt'],
  love: ['hair and fabric sway softly and warm light breathes across two faces', 'petals drift through the air and candle flames waver'],
  road: ['the road lines stream by and dust swirls behind', 'telegraph poles slide past and the grass bends in the wind'],
  sky: ['clouds roll across the sky and birds wheel overhead', 'light shifts across the clouds and a kite sways on its string'],
  sun: ['sunbeams flare and dust motes float in the light', 'heat haze shimmers and the long grass sways'],
  winter: ['snowflakes swirl and breath mists in the cold air', 'frost glitters and snow drifts off the branches'],
  dream: ['soft shapes float and morph and the light ripples like water', 'particles of light drift and fabric billows weightlessly'],
  nature: ['leaves tremble in the wind and light flickers through the branches', 'tall grass waves and a stream sparkles over the stones'],
  dance: ['dancers spin and their clothes swirl with the beat', 'the crowd moves with the beat and lights strobe across the floor'],
  struggle: ['the figure strains forward and dust and debris scatter', 'chains rattle and the wind tears at the clothes'],
  cinematic: ['the light shifts and the air moves through the scene', 'fabric and hair stir and the background comes alive'],
};

/** How each camera move is said so that the local clip maker reads it back. */
const CAMERA_PHRASE: Record<Exclude<MotionKind, 'none'>, string> = {
  zoom_in: 'zoom in on',
  zoom_out: 'zoom out from',
  pan_left: 'pan left across',
  pan_right: 'pan right across',
  pan_up: 'tilt up over',
  pan_down: 'tilt down over',
};
const CAMERA_MOVES = Object.keys(CAMERA_PHRASE) as Exclude<MotionKind, 'none'>[];

const PACE: Record<Intensity['label'], { lead: string; pace: string }> = {
  gentle: { lead: 'Slow', pace: 'a calm, unhurried pace' },
  moderate: { lead: 'Steady', pace: 'an even, steady pace' },
  intense: { lead: 'Fast', pace: 'an energetic pace that hits the beat' },
};

const LOWER: Record<Intensity['label'], Intensity['label']> = { gentle: 'gentle', moderate: 'gentle', intense: 'moderate' };
const HIGHER: Record<Intensity['label'], Intensity['label']> = { gentle: 'moderate', moderate: 'intense', intense: 'intense' };

/** A reviewer's note nudges the pace: "too fast / shaky / busy" → calmer, "too static / boring" → livelier. */
export function paceFromNote(base: Intensity['label'], note: string | null | undefined): Intensity['label'] {
  const n = (note ?? '').toLowerCase();
  if (/too (fast|quick|much|shaky|busy|jerky|frantic|wild)|calmer|slower|less motion|less movement|gentler|smoother/.test(n)) return LOWER[base];
  if (/too (slow|static|still|boring|dull|calm)|more (motion|movement|energy|dynamic)|faster|livelier|punchier/.test(n)) return HIGHER[base];
  return base;
}

export interface LocalMotionInput {
  seedParts: readonly (string | number | null | undefined)[];
  themeName: string;
  setting: string | null;
  energy: number | null;
  durationS: number;
  /** the motion written with the prompts (its camera move is kept when it names one) */
  plannedMotion: string | null;
  rejected: { note: string | null; motionPrompt: string | null } | null;
}

export function localMotionPrompt(input: LocalMotionInput): string {
  const seed = hash32(...input.seedParts);
  const previous = cameraMoveOf(input.rejected?.motionPrompt);
  const planned = cameraMoveOf(input.plannedMotion);
  // a rejected take gets another camera move; otherwise the planned one (or one from the seed)
  const camera = input.rejected ? pickDifferent(CAMERA_MOVES, seed, previous ?? planned ?? undefined) : (planned ?? pick(CAMERA_MOVES, seed));
  const label = paceFromNote(intensityFor(input.energy).label, input.rejected?.note);
  const subject = pick(SUBJECT_MOTION[input.themeName] ?? SUBJECT_MOTION['cinematic']!, seed >>> 8);
  const where = input.setting?.trim() || 'the scene';
  const { lead, pace } = PACE[label];
  return `${lead} ${CAMERA_PHRASE[camera]} ${where}; ${subject}; one continuous ${input.durationS.toFixed(1)}-second shot at ${pace}.`;
}
