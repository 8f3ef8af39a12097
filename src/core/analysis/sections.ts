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

/** Change-statistic window: up to this many units each side of a candidate boundary. */
const WINDOW_HALF = 8;
/** Weakest change (relative to the song's bar-to-bar noise) that makes a boundary. */
const MIN_CHANGE = 3;
/** Smallest bar-to-bar noise level assumed (squared feature units). */
const NOISE_FLOOR = 0.05;
const NOISE_LAG = 4;
/** Shortest section, in units. */
const MIN_SECTION_UNITS = 3;
/** Sections at least this alike (0..1) share a label. */
const SAME_LABEL = 0.62;
const BLOCK_S = 2;
/** A silent start this long becomes its own section. */
const LEAD_SILENCE_S = 1;
/**
 * Weight of the chroma in the vectors that find boundaries, and in those that compare sections.
 * Chord changes inside a section (every bar of a verse has another chord) make harmony a noisy
 * boundary cue, so timbre and loudness lead there; repeated sections replay the same chords in
 * the same order, so harmony weighs more when comparing them bar by bar.
 */
const CHROMA_W_BOUNDARY = 0.5;
const CHROMA_W_LABEL = 2;

/** Unit edges in seconds covering [0, duration]: bars from the downbeats, extended both ways. */
export function unitEdges(durationS: number, marks: readonly number[], fallbackS: number, musicEndS = durationS): number[] {
  const edges: number[] = [];
  if (marks.length >= 2) {
    const first = marks[0]!;
    const len0 = marks[1]! - first;
    const lenN = marks[marks.length - 1]! - marks[marks.length - 2]!;
    const before: number[] = [];
    for (let t = first - len0; t > len0 * 0.5; t -= len0) before.push(t);
    edges.push(0, ...before.reverse());
    // a pickup shorter than half a bar joins the first bar
    if (first > len0 * 0.5) edges.push(first);
    for (let i = 1; i < marks.length; i++) if (marks[i]! < durationS) edges.push(marks[i]!);
    // bars go on to the end of the music; the tail after it (reverb, silence) joins the last bar
    let t = edges[edges.length - 1]! + lenN;
    while (t < Math.min(durationS, musicEndS) - lenN * 0.5) {
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
export function unitFeatures(edges: readonly number[], f: FrameFeatures, chromaWeight: number): Float64Array[] {
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
  // z-scores, with a floor under the spread so a steady sound's tiny wobbles stay tiny
  const z = (xs: number[], floor: number): number[] => {
    const m = mean(xs);
    const s = Math.max(floor, std(xs));
    return xs.map((x) => (x - m) / s);
  };
  const mz: number[][] = [];
  for (let c = 0; c < MFCC_COUNT; c++) mz.push(z(mfcc.map((v) => v[c]!), 0.5));
  const lz = z(loud, 1.5);
  const pz = z(perc, 0.1);
  return chroma.map((ch, u) => {
    const v = new Float64Array(CHROMA_BINS + MFCC_COUNT + 2);
    for (let c = 0; c < CHROMA_BINS; c++) v[c] = ch[c]! * chromaWeight;
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

/** Prefix sums of unit vectors, for O(dim) means of any range. */
function prefixSums(vectors: readonly Float64Array[]): Float64Array[] {
  const dim = vectors[0]?.length ?? 0;
  const prefix: Float64Array[] = [new Float64Array(dim)];
  for (let u = 0; u < vectors.length; u++) {
    const p = Float64Array.from(prefix[u]!);
    for (let d = 0; d < dim; d++) p[d] = p[d]! + vectors[u]![d]!;
    prefix.push(p);
  }
  return prefix;
}

/**
 * Two-sample change statistic at edge u inside segment [s, e): ‖mean(left) − mean(right)‖² ·
 * nl·nr/(nl + nr), with up to `half` units each side, never crossing the segment's ends. Divided
 * by the noise level (half the median squared difference of neighbouring units) it is ~1 where
 * nothing changes.
 */
function changeAt(prefix: Float64Array[], s: number, e: number, u: number, half: number): number {
  const a = Math.max(s, u - half);
  const b = Math.min(e, u + half);
  const nl = u - a;
  const nr = b - u;
  if (nl < 1 || nr < 1) return 0;
  const dim = prefix[0]!.length;
  let d2 = 0;
  for (let d = 0; d < dim; d++) {
    const l = (prefix[u]![d]! - prefix[a]![d]!) / nl;
    const r = (prefix[b]![d]! - prefix[u]![d]!) / nr;
    d2 += (l - r) ** 2;
  }
  return (d2 * nl * nr) / (nl + nr);
}

export interface Segmentation {
  /** unit indices of the boundaries, ascending (0 and n excluded) */
  cuts: number[];
  /** normalised change statistic of each cut */
  scores: number[];
}

/**
 * Binary segmentation: the strongest change over the whole song becomes a boundary, then each
 * part is searched again with windows that stop at the boundaries found, until no change is
 * strong enough. Stopping at found boundaries keeps a big change (a quiet intro) from masking a
 * smaller one a few bars later (verse → chorus).
 */
export function segmentUnits(vectors: readonly Float64Array[], minLen = MIN_SECTION_UNITS, half = WINDOW_HALF, threshold = MIN_CHANGE): Segmentation {
  const n = vectors.length;
  if (n < 2 * minLen) return { cuts: [], scores: [] };
  const prefix = prefixSums(vectors);
  // noise: how much a unit differs from the one a phrase (4 units) earlier — inside a section
  // that is the same chord in the same groove, so only the true wobble is left; for units with
  // no phrase structure (noise, clicks) it is the plain unit-to-unit spread. (Tried and dropped:
  // a lower quantile, and leaving out pairs that straddle boundaries found — on songs that repeat
  // exactly both shrink the noise to nothing and every wobble becomes a boundary.)
  const lag = n > 12 ? NOISE_LAG : 1;
  const diffs: number[] = [];
  for (let u = lag; u < n; u++) {
    let d2 = 0;
    for (let d = 0; d < vectors[u]!.length; d++) d2 += (vectors[u]![d]! - vectors[u - lag]![d]!) ** 2;
    diffs.push(d2 / 2);
  }
  const noise = Math.max(NOISE_FLOOR, median(diffs));
  const cuts: number[] = [];
  const scores: number[] = [];
  for (;;) {
    const bounds = [0, ...cuts, n];
    let best = -1;
    let bestScore = 0;
    for (let k = 0; k + 1 < bounds.length; k++) {
      const s = bounds[k]!;
      const e = bounds[k + 1]!;
      for (let u = s + minLen; u <= e - minLen; u++) {
        const v = changeAt(prefix, s, e, u, half) / noise;
        if (v > bestScore) {
          bestScore = v;
          best = u;
        }
      }
    }
    if (best < 0 || bestScore < threshold) break;
    const at = cuts.findIndex((c) => c > best);
    if (at < 0) {
      cuts.push(best);
      scores.push(bestScore);
    } else {
      cuts.splice(at, 0, best);
      scores.splice(at, 0, bestScore);
    }
  }
  return { cuts, scores };
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

export interface MusicSpan {
  /** where the music starts (first beat or first sound) */
  startS: number;
  /** where it ends (a beat after the last beat, or the last sound) */
  endS: number;
}

export function findSections(
  durationS: number,
  marks: readonly number[],
  f: FrameFeatures,
  sectionEnergy: (a: number, b: number) => number,
  music: MusicSpan = { startS: 0, endS: durationS },
): SectionCut {
  const edges = unitEdges(durationS, marks, BLOCK_S, music.endS);
  const units = edges.length - 1;
  if (units < 2 * MIN_SECTION_UNITS || f.frames === 0) return { bounds: [0, durationS], labels: ['A'], chorusLabel: null };
  const S = selfSimilarity(unitFeatures(edges, f, CHROMA_W_LABEL));
  // a silent start of a second or more is a section of its own; the search starts after it
  let first = 0;
  if (music.startS >= LEAD_SILENCE_S) {
    first = edges.findIndex((e) => e >= music.startS - 0.25 * (edges[1]! - edges[0]!));
    if (first < 1 || first >= units - MIN_SECTION_UNITS) first = 0;
  }
  const vectors = unitFeatures(edges.slice(first), f, CHROMA_W_BOUNDARY);
  const found = segmentUnits(vectors).cuts.map((c) => c + first);
  const cuts = first > 0 ? [first, ...found] : found;
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
  // neighbours with one label are one section (a chorus played twice in a row)
  for (let i = labels.length - 1; i > 0; i--) {
    if (labels[i] === labels[i - 1]) {
      labels.splice(i, 1);
      unitBounds.splice(i, 1);
    }
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
