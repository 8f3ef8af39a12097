/**
 * Beat tracking by dynamic programming (Ellis 2007, "Beat tracking by dynamic programming"),
 * with a local period from the tempo path so a tempo change mid-song is followed:
 *   score[t] = local[t] + max over p in [t − 2τ(t), t − τ(t)/2] of score[p] − α·log²((t − p)/τ(t))
 * where local is the onset envelope smoothed by a Gaussian a little narrower than a beat.
 * The best chain is read back from the end; leading and trailing beats over silence or with no
 * onset near them are trimmed.
 */
import { mean, std } from './stats.ts';

/** How strictly beats keep the local period (Ellis's α; librosa's default is 100). */
const TIGHTNESS = 100;

export interface BeatTrack {
  /** beat frames (fractional: refined between frames), ascending */
  frames: number[];
}

/** The onset envelope smoothed by a Gaussian of σ = τ/32 (τ = median period in frames). */
export function localScore(env: ArrayLike<number>, period: number): Float64Array {
  const n = env.length;
  const out = new Float64Array(n);
  const half = Math.max(1, Math.round(period / 4));
  const sigma = Math.max(0.5, period / 32);
  const kernel = new Float64Array(2 * half + 1);
  for (let i = -half; i <= half; i++) kernel[i + half] = Math.exp(-0.5 * (i / sigma) ** 2);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = -half; i <= half; i++) {
      const j = t + i;
      if (j >= 0 && j < n) s += kernel[i + half]! * env[j]!;
    }
    out[t] = s;
  }
  return out;
}

/**
 * Tracks beats through `env` (onset strength per frame) with local period `periods[t]` (frames).
 * `active[t]` false marks silence: beats are not kept there at the edges.
 */
export function trackBeats(env: ArrayLike<number>, periods: ArrayLike<number>, active: ArrayLike<boolean>): BeatTrack {
  const n = env.length;
  if (n === 0) return { frames: [] };
  const sd = std(env);
  const norm = new Float64Array(n);
  for (let t = 0; t < n; t++) norm[t] = sd > 0 ? env[t]! / sd : 0;
  let medPeriod = 0;
  for (let t = 0; t < n; t++) medPeriod += periods[t]!;
  medPeriod /= n;
  const local = localScore(norm, medPeriod);
  const score = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) {
    const tau = periods[t]!;
    const lo = Math.max(0, Math.floor(t - 2 * tau));
    const hi = Math.min(t - 1, Math.ceil(t - tau / 2));
    let best = -Infinity;
    let arg = -1;
    for (let p = lo; p <= hi; p++) {
      const l = Math.log((t - p) / tau);
      const v = score[p]! - TIGHTNESS * l * l;
      if (v > best) {
        best = v;
        arg = p;
      }
    }
    if (arg >= 0 && best > 0) {
      score[t] = local[t]! + best;
      back[t] = arg;
    } else {
      score[t] = local[t]!;
    }
  }
  // the last beat: the best-scoring local maximum within the final period
  const lastTau = periods[n - 1]!;
  let end = n - 1;
  let bestEnd = -Infinity;
  for (let t = Math.max(0, Math.floor(n - 1 - lastTau)); t < n; t++) {
    if (score[t]! > bestEnd) {
      bestEnd = score[t]!;
      end = t;
    }
  }
  const frames: number[] = [];
  for (let t = end; t >= 0; t = back[t]!) {
    frames.push(t);
    if (back[t]! < 0) break;
  }
  frames.reverse();
  // sub-frame position: the vertex of a parabola through the local score around each beat
  const refined = trimBeats(frames, local, active).map((t) => {
    if (t < 1 || t >= n - 1) return t;
    const l = local[t - 1]!;
    const c = local[t]!;
    const r = local[t + 1]!;
    const den = l - 2 * c + r;
    if (!(den < 0)) return t;
    const d = (0.5 * (l - r)) / den;
    return d > -1 && d < 1 ? t + d : t;
  });
  return { frames: refined };
}

/** Drops leading/trailing beats over silence or far weaker than the typical beat. */
function trimBeats(frames: number[], local: Float64Array, active: ArrayLike<boolean>): number[] {
  if (frames.length === 0) return frames;
  const strengths = frames.map((f) => local[f]!);
  const typical = Math.sqrt(mean(strengths.map((s) => s * s)));
  const weak = (i: number): boolean => !active[frames[i]!] || strengths[i]! < 0.1 * typical;
  let a = 0;
  let b = frames.length;
  while (a < b && weak(a)) a++;
  while (b > a && weak(b - 1)) b--;
  // beats inside long silences in the middle (a gap in the song) go too
  return frames.slice(a, b).filter((f) => active[f]);
}
