/**
 * Cuts that follow the music: proposed scene cuts (a director's, the planner's, or none) moved
 * onto beats — downbeats first, section boundaries always — within the scene length bounds,
 * away from the middle of sung lines, with every cut on the video's frame grid so each scene is a
 * whole number of frames and the scenes cover [0, duration] exactly.
 *
 * How: dynamic programming over candidate cut frames (beats, downbeats, section boundaries, line
 * starts/ends, the proposals and a coarse grid so a valid cut always exists), like
 * partitionTimeline but in frames. A cut costs by what it lands on (section boundary < downbeat <
 * beat < anything else, more inside a sung line, less the closer it is to a proposed cut, so each
 * proposal moves to the nearest beat — a downbeat when one is about as near) and a scene by how
 * far its length is from the target. Then a local pass guarantees the promise callers rely on: when a
 * beat lies in a cut's allowed window (the times the cut could move to with both neighbouring
 * scenes staying within bounds), the cut sits within one frame of a beat.
 */
import { TIME_EPS, feasibleSceneCount, leastViolatingSceneCount, targetSceneCount } from './bounds.ts';
import { totalFrames } from './frames.ts';
import { assertDuration } from './partition.ts';
import { insideLine } from './plan.ts';

export interface SnapMusic {
  beats: readonly number[];
  downbeats: readonly number[];
  sections: readonly { start_s: number; end_s: number }[];
}

export interface SnapCutsInput {
  durationS: number;
  fps: number;
  sceneMinS: number;
  sceneMaxS: number;
  /** proposed cut times between 0 and the duration (0 and the end are implied); [] to plan from scratch */
  proposed: readonly number[];
  /** the audio analysis (beats, downbeats, sections); null when the song was not analysed */
  music: SnapMusic | null;
  /** sung lines (transcript segments); cuts avoid their middles */
  lines?: readonly { start: number; end: number }[];
  /**
   * the song's energy (0..1, one value every hop_s): loud parts are cut tighter — a scene louder
   * than the song's mean aims shorter, a quieter one longer (×0.7 … ×1.3 of the even length),
   * always within the bounds
   */
  energy?: { hop_s: number; values: readonly number[] } | undefined;
}

export interface SnapCutsResult {
  /** 0, the cuts (each on the frame grid), the duration */
  boundaries: number[];
  notes: string[];
}

/** What a cut costs by what it lands on. */
const COST = {
  section: -6,
  downbeat: 0,
  beat: 1,
  /** not on a beat: only where no beat can be reached */
  off: 8,
  /** extra for landing strictly inside a sung line */
  midLine: 3,
  /** reward for landing on a proposed cut, falling to 0 a bar away from it */
  nearProposal: -4,
};
/** Weight of the scene-length term, per ((len − target)/(max − min))². */
const LENGTH_WEIGHT = 1;
/** A scene's target length × (1 + slope × (the song's mean energy − the scene's)), within these factors: loud parts cut tighter. */
const ENERGY_SLOPE = 0.8;
const MIN_FACTOR = 0.7;
const MAX_FACTOR = 1.3;
/** Coarse grid spacing for candidates that are not musical (seconds). */
const GRID_S = 0.25;

interface Candidate {
  frame: number;
  cost: number;
}

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distance from t to the nearest value of a sorted list (Infinity when empty). */
function nearest(sorted: readonly number[], t: number): number {
  const i = lowerBound(sorted, t);
  let d = Infinity;
  if (i < sorted.length) d = Math.min(d, Math.abs(sorted[i]! - t));
  if (i > 0) d = Math.min(d, Math.abs(sorted[i - 1]! - t));
  return d;
}

const finiteSorted = (xs: readonly number[], D: number): number[] => xs.filter((t) => Number.isFinite(t) && t > 0 && t < D).sort((a, b) => a - b);

export function snapCuts(input: SnapCutsInput): SnapCutsResult {
  assertDuration(input.durationS);
  const D = input.durationS;
  const { fps, sceneMinS: min, sceneMaxS: max } = input;
  if (!Number.isFinite(fps) || fps <= 0) throw new RangeError(`fps must be positive (got ${fps})`);
  const notes: string[] = [];
  if (D < min - TIME_EPS) return { boundaries: [0, D], notes: ['the song is shorter than one scene: one scene'] };
  const F = totalFrames(D, fps);
  const fmin = Math.ceil(min * fps - 1e-6);
  const fmax = Math.floor(max * fps + 1e-6);
  const beats = finiteSorted(input.music?.beats ?? [], D);
  const downbeats = finiteSorted(input.music?.downbeats ?? [], D);
  const sectionStarts = finiteSorted((input.music?.sections ?? []).map((s) => s.start_s), D);
  const proposed = finiteSorted(input.proposed, D);
  const lines = (input.lines ?? []).filter((l) => Number.isFinite(l.start) && Number.isFinite(l.end) && l.end > l.start).map((l) => ({ start: l.start, end: l.end })).sort((a, b) => a.start - b.start);
  const barS = downbeats.length >= 2 ? (downbeats[downbeats.length - 1]! - downbeats[0]!) / (downbeats.length - 1) : beats.length >= 2 ? (4 * (beats[beats.length - 1]! - beats[0]!)) / (beats.length - 1) : 2;

  const lastScene = (frame: number): number => D - frame / fps;
  const lastOk = (frame: number): boolean => {
    const len = lastScene(frame);
    return len >= min - TIME_EPS && len <= max + TIME_EPS;
  };

  // candidates: frame → cheapest reason to cut there
  const cost = new Map<number, number>();
  const offCost = (t: number): number => {
    let c = 0;
    if (lines.length && insideLine(lines, t)) c += COST.midLine;
    if (proposed.length) c += COST.nearProposal * Math.max(0, 1 - nearest(proposed, t) / Math.max(1, barS));
    return c;
  };
  const add = (t: number, base: number): void => {
    const fr = Math.round(t * fps);
    if (fr <= 0 || fr >= F) return;
    const c = base + offCost(fr / fps);
    const old = cost.get(fr);
    if (old === undefined || c < old) cost.set(fr, c);
  };
  for (const t of beats) add(t, COST.beat);
  for (const t of downbeats) add(t, COST.downbeat);
  for (const t of sectionStarts) add(t, nearest(beats, t) <= 1.5 / fps || beats.length === 0 ? COST.section : COST.section + COST.beat);
  const offBeat = beats.length ? COST.off : COST.beat; // with no beats every point is as good
  for (const t of proposed) add(t, offBeat);
  for (const l of lines) {
    add(l.start, offBeat);
    add(l.end, offBeat);
  }
  const count = proposed.length > 0 ? Math.min(Math.max(proposed.length + 1, Math.ceil(D / max - TIME_EPS)), Math.max(1, Math.floor(D / min + TIME_EPS))) : targetSceneCount(D, min, max);
  const target = D / Math.max(1, count);
  const spread = max - min > 0 ? max - min : Math.max(min, 1);
  const meanEnergy = energyMeans(input.energy, D);
  /** the length cost of a scene from frame a to frame b: far from its (energy-paced) target costs */
  const lenCost = (lenS: number, startS?: number): number => {
    let t = target;
    if (meanEnergy && startS !== undefined) {
      const e = meanEnergy(startS, startS + lenS);
      // relative to the song's own mean energy, so the scene count stays about the same
      const factor = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, 1 + ENERGY_SLOPE * (meanEnergy.overall - e)));
      t = Math.min(max, Math.max(min, target * factor));
    }
    return LENGTH_WEIGHT * ((lenS - t) / spread) ** 2;
  };

  /** The cheapest cut through the candidates plus a grid every `step` frames; null when none fits. */
  const solve = (step: number): number[] | null => {
    const all = new Map(cost);
    for (let fr = step; fr < F; fr += step) {
      const c = offBeat + 1 + offCost(fr / fps);
      const old = all.get(fr);
      if (old === undefined || c < old) all.set(fr, c);
    }
    const frames = [...all.keys()].sort((x, y) => x - y);
    const nodes: Candidate[] = [{ frame: 0, cost: 0 }, ...frames.map((frame) => ({ frame, cost: all.get(frame)! }))];
    const m = nodes.length;
    const best = new Float64Array(m + 1).fill(Infinity);
    const from = new Int32Array(m + 1).fill(-1);
    best[0] = 0;
    for (let j = 1; j < m; j++) {
      const fj = nodes[j]!.frame;
      for (let i = j - 1; i >= 0; i--) {
        const len = fj - nodes[i]!.frame;
        if (len > fmax) break;
        if (len < fmin || best[i] === Infinity) continue;
        const c = best[i]! + lenCost(len / fps, nodes[i]!.frame / fps) + nodes[j]!.cost;
        if (c < best[j]!) {
          best[j] = c;
          from[j] = i;
        }
      }
    }
    // the end node: D itself
    for (let i = m - 1; i >= 0; i--) {
      const fr = nodes[i]!.frame;
      if (lastScene(fr) > max + TIME_EPS) break;
      if (!lastOk(fr) || best[i] === Infinity) continue;
      const c = best[i]! + lenCost(lastScene(fr), fr / fps);
      if (c < best[m]!) {
        best[m] = c;
        from[m] = i;
      }
    }
    if (best[m] === Infinity) return null;
    const cuts: number[] = [];
    for (let j = from[m]!; j > 0; j = from[j]!) cuts.push(nodes[j]!.frame);
    return cuts.reverse();
  };
  const coarse = Math.max(1, Math.round(Math.min(GRID_S, Math.max(1 / fps, (max - min) / 2)) * fps), Math.ceil(F / 20000));
  // a coarse grid fits almost always; tight bounds may need every frame (cheap then: the window is small)
  let cuts = solve(coarse);
  if (!cuts && coarse > 1 && F * (fmax - fmin + 1) <= 5e7) cuts = solve(1);
  if (!cuts) return { boundaries: fallback(D, F, fps, min, max), notes: [...notes, 'no cut on the frame grid fits the scene bounds: the song is cut evenly'] };
  if (beats.length) pullOntoBeats(cuts, beats, { F, fps, fmin, fmax, D, min, max });
  else if (input.music) notes.push('no beats: cuts are not on the beat');
  return { boundaries: [0, ...cuts.map((fr) => fr / fps), D], notes };
}

/**
 * Mean energy over [a, b) seconds in O(1) (prefix sums), and the song's overall mean; null
 * without a usable curve.
 */
function energyMeans(energy: SnapCutsInput['energy'], D: number): (((a: number, b: number) => number) & { overall: number }) | null {
  if (!energy || !(energy.hop_s > 0) || energy.values.length === 0) return null;
  const v = energy.values.map((x) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0));
  const prefix = new Float64Array(v.length + 1);
  for (let i = 0; i < v.length; i++) prefix[i + 1] = prefix[i]! + v[i]!;
  const at = (t: number): number => Math.min(v.length, Math.max(0, t / energy.hop_s));
  const sum = (x: number): number => {
    const i = Math.floor(x);
    return prefix[i]! + (i < v.length ? (x - i) * v[i]! : 0);
  };
  const mean = (a: number, b: number): number => {
    const x = at(a);
    const y = at(Math.max(a, b));
    return y - x > 1e-9 ? (sum(y) - sum(x)) / (y - x) : v[Math.min(v.length - 1, Math.floor(x))]!;
  };
  return Object.assign(mean, { overall: mean(0, D) });
}

interface Grid {
  F: number;
  fps: number;
  fmin: number;
  fmax: number;
  D: number;
  min: number;
  max: number;
}

/** Allowed frames [lo, hi] for cut k given its neighbours (0 / the end at the edges). */
function allowedWindow(cuts: readonly number[], k: number, g: Grid): [number, number] {
  const prev = k > 0 ? cuts[k - 1]! : 0;
  let lo = prev + g.fmin;
  let hi = prev + g.fmax;
  if (k + 1 < cuts.length) {
    const next = cuts[k + 1]!;
    lo = Math.max(lo, next - g.fmax);
    hi = Math.min(hi, next - g.fmin);
  } else {
    // the last scene ends at D (not on the grid): its length in seconds must be within bounds
    lo = Math.max(lo, Math.ceil((g.D - g.max) * g.fps - 1e-6));
    hi = Math.min(hi, Math.floor((g.D - g.min) * g.fps + 1e-6));
  }
  return [Math.max(1, lo), Math.min(g.F - 1, hi)];
}

/** Moves every cut that is not within a frame of a beat onto the nearest beat its window allows. */
function pullOntoBeats(cuts: number[], beats: readonly number[], g: Grid): void {
  const onBeat = (fr: number): boolean => nearest(beats, fr / g.fps) <= 1 / g.fps + 1e-9;
  for (let pass = 0, changed = true; changed && pass < 4 * cuts.length + 4; pass++) {
    changed = false;
    for (let k = 0; k < cuts.length; k++) {
      if (onBeat(cuts[k]!)) continue;
      const [lo, hi] = allowedWindow(cuts, k, g);
      if (lo > hi) continue;
      let bestFr = -1;
      let bestD = Infinity;
      for (let i = lowerBound(beats, (lo - 1) / g.fps); i < beats.length && beats[i]! <= (hi + 1) / g.fps; i++) {
        // the frame of this beat inside the window: its nearest frame, else the window edge within a frame
        const b = beats[i]! * g.fps;
        const fr = Math.min(hi, Math.max(lo, Math.round(b)));
        if (Math.abs(fr - b) > 1) continue;
        const d = Math.abs(fr - cuts[k]!);
        if (d < bestD) {
          bestD = d;
          bestFr = fr;
        }
      }
      if (bestFr >= 0) {
        cuts[k] = bestFr;
        changed = true;
      }
    }
  }
}

/** Even cut on the frame grid when the DP finds nothing (bounds tighter than a frame allows). */
function fallback(D: number, F: number, fps: number, min: number, max: number): number[] {
  const k = feasibleSceneCount(D, min, max) ?? leastViolatingSceneCount(D, min, max);
  const out = [0];
  for (let i = 1; i < k; i++) out.push(Math.round((F * i) / k) / fps);
  out.push(D);
  return out.filter((t, i) => i === 0 || t > out[i - 1]!);
}
