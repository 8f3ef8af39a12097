/**
 * Sections: where the music changes, and which parts repeat.
 *
 * The song is cut into units — bars when downbeats are known, groups of four beats otherwise, or
 * 2-second blocks when there is no beat — and each unit gets a feature vector: its chroma
 * (harmony), its MFCCs (timbre: which instruments play) and its loudness. A self-similarity matrix
 * of the units is scanned with a Gaussian-tapered checkerboard kernel (Foote 2000); peaks of that
 * novelty are the section boundaries. Sections are then compared along the diagonals of the same
 * matrix (unit by unit, allowing a one-unit shift), and a section takes the label of the most
 * similar earlier section when they are alike, otherwise the next new letter. The chorus is the
 * repeated label with the most energy.
 */
import { CHROMA_BINS, MFCC_COUNT } from './features.ts';
import type { FrameFeatures } from './features.ts';
import { mean, median, std } from './stats.ts';
import { normalise, poolRows } from './sync.ts';

export interface SectionCut {
  /** boundaries in seconds, 0 and duration included */
  bounds: number[];
  labels: string[];
  chorusLabel: string | null;
}

/** Checkerboard kernel half-width, in units (bars). */
const KERNEL_HALF = 4;
/** Shortest section, in units. */
const MIN_SECTION_UNITS = 3;
/** Sections at least this alike (0..1) share a label. */
const SAME_LABEL = 0.62;
const BLOCK_S = 2;

/** Unit edges in seconds covering [0, duration]: bars from the downbeats, extended both ways. */
export function unitEdges(durationS: number, marks: readonly number[], fallbackS: number): number[] {
  const edges: number[] = [];
  if (marks.length >= 2) {
    const first = marks[0]!;
    const len0 = marks[1]! - first;
    const lenN = marks[marks.length - 1]! - marks[marks.length - 2]!;
    const before: number[] = [];
    for (let t = first - len0; t > len0 * 0.5; t -= len0) before.push(t);
    edges.push(0, ...before.reverse());
    if (first > 1e-3) edges.push(first);
    for (let i = 1; i < marks.length; i++) if (marks[i]! < durationS) edges.push(marks[i]!);
    let t = edges[edges.length - 1]! + lenN;
    while (t < durationS - lenN * 0.5) {
      edges.push(t);
      t += lenN;
    }
  } else {
    for (let t = 0; t < durationS - fallbackS * 0.5; t += fallbackS) edges.push(t);
    if (edges.length === 0) edges.push(0);
  }
  edges.push(durationS);
  return edges.filter((t, i) => i === 0 || t > edges[i - 1]! + 1e-6);
}

/** Feature vectors of the units: chroma, z-scored MFCC and loudness. */
function unitFeatures(edges: readonly number[], f: FrameFeatures): Float64Array[] {
  const units = edges.length - 1;
  const fr = f.frameRate;
  const chroma: Float64Array[] = [];
  const mfcc: Float64Array[] = [];
  const loud: number[] = [];
  const perc: number[] = [];
  for (let u = 0; u < units; u++) {
    const a = edges[u]! * fr;
    const b = Math.max(a + 1, edges[u + 1]! * fr);
    chroma.push(normalise(poolRows(f.chroma, CHROMA_BINS, a, b)));
    mfcc.push(poolRows(f.mfcc, MFCC_COUNT, a, b));
    let e = 0;
    let o = 0;
    let count = 0;
    for (let k = Math.max(0, Math.floor(a)); k < Math.min(f.frames, Math.ceil(b)); k++) {
      e += f.rms[k]! * f.rms[k]!;
      o += f.onset[k]!;
      count += 1;
    }
    loud.push(10 * Math.log10((count ? e / count : 0) + 1e-10));
    perc.push(count ? o / count : 0);
  }
  const z = (xs: number[]): number[] => {
    const m = mean(xs);
    const s = std(xs);
    return xs.map((x) => (s > 1e-9 ? (x - m) / s : 0));
  };
  const mz: number[][] = [];
  for (let c = 0; c < MFCC_COUNT; c++) mz.push(z(mfcc.map((v) => v[c]!)));
  const lz = z(loud);
  const pz = z(perc);
  return chroma.map((ch, u) => {
    const v = new Float64Array(CHROMA_BINS + MFCC_COUNT + 2);
    for (let c = 0; c < CHROMA_BINS; c++) v[c] = ch[c]! * 2;
    for (let c = 0; c < MFCC_COUNT; c++) v[CHROMA_BINS + c] = mz[c]![u]! / Math.sqrt(MFCC_COUNT);
    v[CHROMA_BINS + MFCC_COUNT] = lz[u]! * 0.6;
    v[CHROMA_BINS + MFCC_COUNT + 1] = pz[u]! * 0.4;
    return v;
  });
}

/** Self-similarity: exp(−d² / median d²) between units (1 on the diagonal). */
export function selfSimilarity(vectors: readonly Float64Array[]): Float64Array {
  const n = vectors.length;
  const d2 = new Float64Array(n * n);
  const off: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      const a = vectors[i]!;
      const b = vectors[j]!;
      for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
      d2[i * n + j] = s;
      d2[j * n + i] = s;
      if (off.length < 200_000) off.push(s);
    }
  }
  const scale = Math.max(1e-9, median(off));
  const S = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) S[i] = Math.exp(-d2[i]! / scale);
  return S;
}

/** Foote novelty at each unit edge u (between unit u−1 and u). */
export function novelty(S: Float64Array, n: number, half = KERNEL_HALF): Float64Array {
  const out = new Float64Array(n);
  const sigma = half / 2;
  for (let u = 1; u < n; u++) {
    let sum = 0;
    let weight = 0;
    for (let i = -half; i < half; i++) {
      const a = u + i;
      if (a < 0 || a >= n) continue;
      for (let j = -half; j < half; j++) {
        const b = u + j;
        if (b < 0 || b >= n || a === b) continue;
        const g = Math.exp(-((i + 0.5) ** 2 + (j + 0.5) ** 2) / (2 * sigma * sigma));
        const sign = (i < 0) === (j < 0) ? 1 : -1;
        sum += sign * g * S[a * n + b]!;
        weight += g;
      }
    }
    out[u] = weight > 0 ? Math.max(0, sum / weight) : 0;
  }
  return out;
}

/** Peaks of the novelty curve, at least MIN_SECTION_UNITS apart, strongest first. */
export function pickBoundaries(nov: Float64Array, minGap = MIN_SECTION_UNITS): number[] {
  const n = nov.length;
  const values = Array.from(nov.subarray(1));
  const top = Math.max(0, ...values);
  if (top <= 1e-6) return [];
  const floor = Math.max(0.25 * top, median(values) + 1.0 * std(values));
  const cands: number[] = [];
  for (let u = 1; u < n; u++) {
    const v = nov[u]!;
    if (v < floor) continue;
    let isMax = true;
    for (let k = Math.max(1, u - 2); k <= Math.min(n - 1, u + 2); k++) if (nov[k]! > v) isMax = false;
    if (isMax) cands.push(u);
  }
  cands.sort((a, b) => nov[b]! - nov[a]!);
  const chosen: number[] = [];
  for (const u of cands) {
    if (u < minGap - 1 || n - u < minGap - 1) continue;
    if (chosen.every((c) => Math.abs(c - u) >= minGap)) chosen.push(u);
  }
  return chosen.sort((a, b) => a - b);
}

/** Similarity (0..1) of two unit ranges along the SSM diagonal, best of shifts −1..1. */
function rangeSimilarity(S: Float64Array, n: number, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  let best = 0;
  for (let shift = -1; shift <= 1; shift++) {
    let s = 0;
    let c = 0;
    for (let k = 0; k < Math.min(la, lb); k++) {
      const i = a0 + k;
      const j = b0 + k + shift;
      if (j < b0 || j >= b1 || i >= a1) continue;
      s += S[i * n + j]!;
      c += 1;
    }
    if (c > 0) best = Math.max(best, s / c);
  }
  const ratio = Math.min(la, lb) / Math.max(la, lb);
  return best * ratio ** 0.25;
}

const letter = (k: number): string => (k < 26 ? String.fromCharCode(65 + k) : `${String.fromCharCode(65 + (k % 26))}${Math.floor(k / 26)}`);

export function findSections(durationS: number, marks: readonly number[], f: FrameFeatures, sectionEnergy: (a: number, b: number) => number): SectionCut {
  const edges = unitEdges(durationS, marks, BLOCK_S);
  const units = edges.length - 1;
  if (units < 2 * MIN_SECTION_UNITS || f.frames === 0) return { bounds: [0, durationS], labels: ['A'], chorusLabel: null };
  const vectors = unitFeatures(edges, f);
  const S = selfSimilarity(vectors);
  const nov = novelty(S, units);
  const cuts = pickBoundaries(nov);
  const unitBounds = [0, ...cuts, units];
  // labels
  const labels: string[] = [];
  let nextLabel = 0;
  for (let s = 0; s + 1 < unitBounds.length; s++) {
    let bestSim = 0;
    let bestLabel = '';
    for (let r = 0; r < s; r++) {
      const sim = rangeSimilarity(S, units, unitBounds[r]!, unitBounds[r + 1]!, unitBounds[s]!, unitBounds[s + 1]!);
      if (sim > bestSim) {
        bestSim = sim;
        bestLabel = labels[r]!;
      }
    }
    if (bestSim >= SAME_LABEL) labels.push(bestLabel);
    else labels.push(letter(nextLabel++));
  }
  const bounds = unitBounds.map((u) => edges[u]!);
  bounds[0] = 0;
  bounds[bounds.length - 1] = durationS;
  // chorus: the repeated label with the most energy (ties: more repeats, then earlier)
  const stats = new Map<string, { count: number; energy: number; len: number }>();
  labels.forEach((l, i) => {
    const st = stats.get(l) ?? { count: 0, energy: 0, len: 0 };
    const len = bounds[i + 1]! - bounds[i]!;
    st.count += 1;
    st.energy += sectionEnergy(bounds[i]!, bounds[i + 1]!) * len;
    st.len += len;
    stats.set(l, st);
  });
  let chorusLabel: string | null = null;
  let bestScore = -Infinity;
  for (const [l, st] of stats) {
    if (st.count < 2) continue;
    const score = st.energy / Math.max(1e-9, st.len) + 0.02 * st.count;
    if (score > bestScore) {
      bestScore = score;
      chorusLabel = l;
    }
  }
  return { bounds, labels, chorusLabel };
}
