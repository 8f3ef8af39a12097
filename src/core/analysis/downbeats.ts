/**
 * Downbeats and meter from the beats: chords tend to change on the first beat of a bar and the
 * kick lands there, so each beat gets a "bar start" score — how much the harmony (beat-synchronous
 * chroma) changes from the two beats before it to the two beats from it, plus the low-band onset —
 * and a Viterbi pass over bar positions (for 3 and 4 beats per bar) places the bar starts, allowing
 * a costly phase jump where a beat was missed or added. The meter whose bar starts stand out most
 * is kept; when none stands out the meter is unclear and no downbeats are given.
 */
import type { FrameFeatures } from './features.ts';
import { mean, std } from './stats.ts';
import { cosine, spanChroma } from './sync.ts';

export interface Downbeats {
  /** indices into the beats of the bar starts */
  indices: number[];
  meter: number | null;
  /** contrast of the chosen bar starts (z-score units) */
  contrast: number;
}

/** Below this contrast the meter is unclear. */
const MIN_CONTRAST = 0.35;
/** Cost of a phase jump, in z-score units. */
const JUMP_COST = 3;

function zscore(xs: number[]): number[] {
  const m = mean(xs);
  const s = std(xs);
  return xs.map((x) => (s > 1e-9 ? (x - m) / s : 0));
}

/** Bar-start evidence per beat (z-scored). */
export function barStartEvidence(beatFrames: readonly number[], f: FrameFeatures): number[] {
  const n = beatFrames.length;
  if (n === 0) return [];
  const period = n > 1 ? (beatFrames[n - 1]! - beatFrames[0]!) / (n - 1) : f.frameRate / 2;
  const edges = [...beatFrames, beatFrames[n - 1]! + period];
  const chroma = spanChroma(f.chroma, edges);
  const dim = chroma[0]!.length;
  const avg = (from: number, to: number): Float64Array => {
    const v = new Float64Array(dim);
    for (let i = Math.max(0, from); i < Math.min(n, to); i++) for (let d = 0; d < dim; d++) v[d] = v[d]! + chroma[i]![d]!;
    return v;
  };
  const harmonic: number[] = [];
  const low: number[] = [];
  const radius = Math.max(1, Math.round(0.03 * f.frameRate));
  for (let i = 0; i < n; i++) {
    harmonic.push(i === 0 ? 0 : 1 - cosine(avg(i - 2, i), avg(i, i + 2)));
    let peak = 0;
    const c = Math.round(beatFrames[i]!);
    for (let k = Math.max(0, c - radius); k <= Math.min(f.frames - 1, c + radius); k++) peak = Math.max(peak, f.onsetLow[k]!);
    low.push(peak);
  }
  const h = zscore(harmonic);
  const l = zscore(low);
  return h.map((x, i) => x + 0.5 * l[i]!);
}

/** Viterbi over bar positions; returns the bar-start beat indices and their contrast. */
function placeBars(ev: readonly number[], meter: number): { indices: number[]; contrast: number } {
  const n = ev.length;
  const M = meter;
  let score = new Float64Array(M);
  let next = new Float64Array(M);
  const back = new Int8Array(n * M);
  for (let p = 0; p < M; p++) score[p] = p === 0 ? ev[0]! : 0;
  for (let i = 1; i < n; i++) {
    for (let p = 0; p < M; p++) {
      const prev = (p + M - 1) % M;
      let best = score[prev]!;
      let arg = prev;
      for (let q = 0; q < M; q++) {
        if (q === prev) continue;
        const v = score[q]! - JUMP_COST;
        if (v > best) {
          best = v;
          arg = q;
        }
      }
      next[p] = best + (p === 0 ? ev[i]! : 0);
      back[i * M + p] = arg;
    }
    [score, next] = [next, score];
  }
  let p = 0;
  for (let q = 1; q < M; q++) if (score[q]! > score[p]!) p = q;
  const pos = new Int8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    pos[i] = p;
    if (i > 0) p = back[i * M + p]!;
  }
  const indices: number[] = [];
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pos[i] === 0) {
      indices.push(i);
      on.push(ev[i]!);
    } else off.push(ev[i]!);
  }
  return { indices, contrast: mean(on) - mean(off) };
}

export function findDownbeats(beatFrames: readonly number[], f: FrameFeatures): Downbeats {
  if (beatFrames.length < 8) return { indices: [], meter: null, contrast: 0 };
  const ev = barStartEvidence(beatFrames, f);
  const four = placeBars(ev, 4);
  const three = placeBars(ev, 3);
  // a 4/4 bar start also stands out every third beat far less: prefer 4 unless 3 is clearly better
  const best = three.contrast > four.contrast * 1.25 ? { ...three, meter: 3 } : { ...four, meter: 4 };
  if (best.contrast < MIN_CONTRAST) return { indices: [], meter: null, contrast: best.contrast };
  return best;
}
