/**
 * From frame features to beats: tempo path (tempo.ts), metrical level, beat tracking (beats.ts).
 */
import { trackBeats } from './beats.ts';
import { foldedPath, pathToFrames, summarisePath, tempogram, unwrapPath } from './tempo.ts';
import { mean } from './stats.ts';

export interface Rhythm {
  /** beat times in seconds */
  beats: number[];
  /** local BPM per frame at the chosen metrical level */
  bpm: Float64Array;
  medianBpm: number;
  /** tempogram strength along the path (0 = none) */
  strength: number;
  /** the doubling score (see DOUBLE_SCORE) at the chosen level */
  offbeatRatio: number;
  varies: boolean;
  /** mean onset strength at the beats over the mean onset strength: ~1 when beats fall anywhere */
  salience: number;
}

/** Below this tempogram strength there is no steady beat (noise scores ~0.02, music 0.2+). */
export const MIN_BEAT_STRENGTH = 0.08;
/** Beats must sit on onsets at least this much stronger than average. */
export const MIN_BEAT_SALIENCE = 1.5;
/**
 * Double the tempo while the off-beats look like beats. The evidence is the off-beat/on-beat
 * onset ratio in the 200 Hz–4 kHz band (snare, kick attack; not hi-hats) plus a quarter of the
 * ratio below 200 Hz (capped at 3): tracking half the true tempo puts the beats either on the
 * kicks, with snares as strong off-beats (mid ratio 0.99–1.43 on the bench songs), or on the
 * snares, with the kicks between them (mid 0.70–1.02, low 2.1–3.2). At the true tempo the
 * off-beats are hi-hats, bass notes and the odd syncopated kick: mid 0.29–0.63, low ≤ 0.92.
 * Combined: ≥ 1.11 at half tempo, ≤ 0.78 at the true one.
 */
const DOUBLE_SCORE = 0.95;
/** Fastest tempo a beat is reported at. */
const MAX_BPM = 200;
/** Onset-envelope peaks come ~1 frame before the sound's attack: beats are shifted by this. */
export const ONSET_LATENCY_S = 0.01;

function peakNear(env: ArrayLike<number>, f: number, radius: number): number {
  let best = 0;
  for (let i = Math.max(0, Math.round(f - radius)); i <= Math.min(env.length - 1, Math.round(f + radius)); i++) best = Math.max(best, env[i]!);
  return best;
}

export function offbeatRatio(env: ArrayLike<number>, beats: readonly number[], frameRate: number): number {
  if (beats.length < 3) return 0;
  const radius = Math.max(1, Math.round(0.03 * frameRate));
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i + 1 < beats.length; i++) {
    on.push(peakNear(env, beats[i]!, radius));
    off.push(peakNear(env, (beats[i]! + beats[i + 1]!) / 2, radius));
  }
  const m = mean(on);
  return m > 0 ? mean(off) / m : 0;
}

/**
 * `env` drives tempo and beats (broadband onsets); `accentEnv` (200 Hz–4 kHz) and `lowEnv`
 * (below 200 Hz) decide the metrical level.
 */
export function findRhythm(env: Float32Array, accentEnv: Float32Array, lowEnv: Float32Array, active: ArrayLike<boolean>, frameRate: number): Rhythm {
  const n = env.length;
  const tg = tempogram(env, frameRate);
  const { bins, strength } = foldedPath(tg);
  const stepBpm = unwrapPath(bins);
  const base = pathToFrames(stepBpm, tg.centres, n);
  let chosen: { bpm: Float64Array; beats: number[]; ratio: number } | null = null;
  for (let k = 0; k < 3; k++) {
    const bpm = base.map((b) => b * 2 ** k);
    const periods = bpm.map((b) => (60 * frameRate) / b);
    const { frames } = trackBeats(env, periods, active);
    const ratio = offbeatRatio(accentEnv, frames, frameRate) + 0.25 * Math.min(3, offbeatRatio(lowEnv, frames, frameRate));
    chosen = { bpm, beats: frames, ratio };
    const med = summarisePath(bpm, strength).medianBpm;
    if (ratio < DOUBLE_SCORE || med * 2 > MAX_BPM) break;
  }
  const c = chosen!;
  const summary = summarisePath(c.bpm, strength);
  const radius = Math.max(1, Math.round(0.03 * frameRate));
  const overall = mean(env);
  const atBeats = mean(c.beats.map((b) => peakNear(env, b, radius)));
  const salience = overall > 1e-9 ? atBeats / overall : 0;
  return {
    beats: c.beats.map((f) => f / frameRate + ONSET_LATENCY_S),
    bpm: c.bpm,
    medianBpm: summary.medianBpm,
    strength,
    offbeatRatio: c.ratio,
    varies: summary.varies,
    salience,
  };
}
