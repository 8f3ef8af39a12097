/**
 * The cutting engine shared by planScenes and repairScenes: choose boundaries 0 = b0 < b1 < … <
 * bn = D, every gap within [min, max], preferring "good" cut points (lyric line starts, an LLM's
 * boundaries) over a fine even grid ("beat-ish" cuts where nothing better exists).
 *
 * Dynamic programming over the sorted candidate points: best[j] = cheapest way to cut [0, p_j].
 * A scene costs lengthWeight·((len − target)/(max − min))²; cutting at a point costs that point's
 * cost. Only scenes of length within [min, max] are considered, so the window per point is small
 * (max / grid step) and a 15-minute song plans in milliseconds.
 *
 * When the DP finds nothing (bounds so tight that no candidate fits) but a partition exists, the
 * song is split into equal scenes (exact by construction). When no partition exists at all, the
 * equal split that breaks the bounds least is used (see leastViolatingSceneCount).
 */
import { OmveeError } from '../errors.ts';
import { TIME_EPS, feasibleSceneCount, leastViolatingSceneCount } from './bounds.ts';

export interface CutCandidate {
  t: number;
  /** cost of cutting here; 0 for the best points */
  cost: number;
}

export interface PartitionOptions {
  sceneMinS: number;
  sceneMaxS: number;
  /** weight of the length-near-target term (0: any valid length is as good) */
  lengthWeight: number;
  /** preferred scene length; default the middle of [min, max] */
  targetS?: number;
  /** cost of a grid point at time t (e.g. higher inside a sung line) */
  gridCost: (t: number) => number;
}

/** Points closer than this are one point. */
const MERGE_S = 1e-3;
/** Upper bound on grid points, so the DP stays fast on long songs with tight bounds. */
const MAX_GRID_POINTS = 6000;

const roundMs = (t: number): number => Math.round(t * 1000) / 1000;

export function assertDuration(durationS: number): void {
  if (!Number.isFinite(durationS) || durationS <= 0) {
    throw new OmveeError('invalid_input', `the song duration must be a positive number of seconds (got ${durationS})`, {
      hint: 'Upload the audio again so its duration is probed.',
    });
  }
}

/** Equal split into k scenes; the last boundary is exactly D. */
export function evenBoundaries(start: number, end: number, k: number): number[] {
  const out = [start];
  for (let i = 1; i < k; i++) out.push(start + ((end - start) * i) / k);
  out.push(end);
  return out;
}

/** Boundaries (including 0 and D) of the chosen cut. */
export function partitionTimeline(durationS: number, candidates: readonly CutCandidate[], opts: PartitionOptions): number[] {
  assertDuration(durationS);
  const D = durationS;
  const { sceneMinS: min, sceneMaxS: max } = opts;
  if (D < min - TIME_EPS) return [0, D]; // a song shorter than one scene is one scene
  const k = feasibleSceneCount(D, min, max, opts.targetS);
  if (k === null) return evenBoundaries(0, D, leastViolatingSceneCount(D, min, max));

  // Candidate points: given ones + an even grid, merged (the cheaper cost wins), 0 and D exact.
  const spread = max - min;
  const step = Math.max(D / MAX_GRID_POINTS, Math.min(0.25, spread > 0 ? spread / 2 : 0.25));
  const n = Math.max(1, Math.round(D / step));
  const raw: CutCandidate[] = [];
  for (const c of candidates) if (Number.isFinite(c.t) && c.t > MERGE_S && c.t < D - MERGE_S) raw.push(c);
  for (let i = 1; i < n; i++) {
    const t = roundMs((D * i) / n);
    if (t > MERGE_S && t < D - MERGE_S) raw.push({ t, cost: opts.gridCost(t) });
  }
  raw.sort((a, b) => a.t - b.t || a.cost - b.cost);
  const pts: CutCandidate[] = [{ t: 0, cost: 0 }];
  for (const c of raw) {
    const last = pts[pts.length - 1]!;
    if (c.t - last.t < MERGE_S) {
      if (pts.length > 1 && c.cost < last.cost) pts[pts.length - 1] = c;
      continue;
    }
    pts.push(c);
  }
  while (pts.length > 1 && D - pts[pts.length - 1]!.t < MERGE_S) pts.pop();
  pts.push({ t: D, cost: 0 });

  const target = opts.targetS ?? (min + max) / 2;
  const norm = spread > 0 ? spread : Math.max(min, 1);
  const m = pts.length;
  const best = new Float64Array(m).fill(Infinity);
  const from = new Int32Array(m).fill(-1);
  best[0] = 0;
  for (let j = 1; j < m; j++) {
    const tj = pts[j]!.t;
    const cut = j < m - 1 ? pts[j]!.cost : 0;
    for (let i = j - 1; i >= 0; i--) {
      const len = tj - pts[i]!.t;
      if (len > max + TIME_EPS) break;
      if (len < min - TIME_EPS || best[i] === Infinity) continue;
      const d = (len - target) / norm;
      const c = best[i]! + opts.lengthWeight * d * d + cut;
      if (c < best[j]! - 1e-12) {
        best[j] = c;
        from[j] = i;
      }
    }
  }
  if (best[m - 1] === Infinity) return evenBoundaries(0, D, k);
  const out: number[] = [];
  for (let j = m - 1; j >= 0; j = from[j]!) {
    out.push(pts[j]!.t);
    if (j === 0) break;
  }
  return out.reverse();
}
