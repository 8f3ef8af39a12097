/**
 * The deterministic cut of a song into scenes: covers [0, D] exactly, no gaps or overlaps,
 * every scene within [min, max] whenever that is possible, cutting where lyric lines start (or
 * end, before a pause) and otherwise on an even grid, avoiding cuts in the middle of a sung line.
 *
 * Infeasible bounds: a song shorter than min is one scene; when no partition with all lengths in
 * [min, max] exists (min 5, max 6, 13 s), the song is split into equal scenes whose length breaks
 * the bounds least (13 s → two scenes of 6.5 s).
 */
import type { Transcript, TranscriptSegment } from '../model.ts';
import { partitionTimeline } from './partition.ts';

export interface PlanScenesInput {
  durationS: number;
  transcript: Transcript | null;
  sceneMinS: number;
  sceneMaxS: number;
}

export interface PlannedScene {
  start_time_s: number;
  end_time_s: number;
  /** the lyric lines sung in the scene, joined with " / " ('' for instrumental scenes) */
  lyric_excerpt: string;
  /** indices into transcript.segments of the lines sung in the scene */
  segmentIdx: number[];
}

/** Cost of cutting at a line start (the best cut), at a line end before a pause, on the grid. */
const LINE_START_COST = 0;
const LINE_END_COST = 0.5;
const GRID_COST = 3;
/** Extra cost of a grid cut that falls inside a sung line. */
const MID_LINE_COST = 6;
/** A line belongs to a scene that holds at least this much of it (or half of it, if shorter). */
const LINE_SHARE_S = 0.5;

export const EXCERPT_SEPARATOR = ' / ';

function usableSegments(transcript: Transcript | null, D: number): { seg: TranscriptSegment; idx: number }[] {
  if (!transcript) return [];
  return transcript.segments
    .map((seg, idx) => ({ seg, idx }))
    .filter(({ seg }) => Number.isFinite(seg.start) && Number.isFinite(seg.end) && seg.end > seg.start && seg.start < D && seg.end > 0);
}

/** True when t falls strictly inside a sung line (segments sorted by start); shared with snap.ts. */
export function insideLine(sorted: readonly { start: number; end: number }[], t: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sorted[mid]!;
    if (t <= s.start + 0.05) hi = mid - 1;
    else if (t >= s.end - 0.05) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Which lines each scene holds: enough of the line, and always the scene holding most of it. */
export function assignSegments(
  bounds: readonly number[],
  segments: readonly { seg: TranscriptSegment; idx: number }[],
): number[][] {
  const perScene: number[][] = bounds.slice(1).map(() => []);
  for (const { seg, idx } of segments) {
    const len = seg.end - seg.start;
    let bestScene = -1;
    let bestOverlap = 0;
    const chosen: number[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const overlap = Math.min(seg.end, bounds[k + 1]!) - Math.max(seg.start, bounds[k]!);
      if (overlap <= 0) continue;
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        bestScene = k;
      }
      if (overlap >= Math.min(LINE_SHARE_S, len / 2)) chosen.push(k);
    }
    if (bestScene >= 0 && !chosen.includes(bestScene)) chosen.push(bestScene);
    for (const k of chosen) perScene[k]!.push(idx);
  }
  for (const list of perScene) list.sort((a, b) => a - b);
  return perScene;
}

export function planScenes(input: PlanScenesInput): PlannedScene[] {
  const D = input.durationS;
  const usable = usableSegments(input.transcript, D);
  // Candidate times on the millisecond grid, so boundaries read cleanly (12.34, not 12.3399999).
  const ms = (t: number): number => Math.round(t * 1000) / 1000;
  const sorted = usable.map((u) => ({ ...u.seg, start: ms(u.seg.start), end: ms(u.seg.end) })).sort((a, b) => a.start - b.start);
  const candidates = [];
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    candidates.push({ t: s.start, cost: LINE_START_COST });
    const next = sorted[i + 1];
    if (!next || next.start - s.end > 0.05) candidates.push({ t: s.end, cost: LINE_END_COST });
  }
  const bounds = partitionTimeline(D, candidates, {
    sceneMinS: input.sceneMinS,
    sceneMaxS: input.sceneMaxS,
    lengthWeight: 1,
    gridCost: (t) => GRID_COST + (insideLine(sorted, t) ? MID_LINE_COST : 0),
  });
  const perScene = assignSegments(bounds, usable);
  const texts = input.transcript?.segments ?? [];
  return perScene.map((segmentIdx, k) => ({
    start_time_s: bounds[k]!,
    end_time_s: bounds[k + 1]!,
    lyric_excerpt: segmentIdx.map((i) => texts[i]!.text.trim()).filter(Boolean).join(EXCERPT_SEPARATOR),
    segmentIdx,
  }));
}
