/** Human-readable problems of a list of scene times (an LLM's answer, an edited list…). */
import { TIME_EPS } from './bounds.ts';
import { frameBoundary } from './frames.ts';

export interface ValidateScenesOptions {
  durationS: number;
  sceneMinS: number;
  sceneMaxS: number;
  /** when given, scenes shorter than one frame are reported */
  fps?: number;
}

const fmt = (t: number): string => (Number.isFinite(t) ? `${Math.round(t * 1000) / 1000}s` : String(t));

/**
 * Returns [] when the scenes, in the given order, cover [0, durationS] exactly with no gap and
 * no overlap, each within [min, max]. A single scene covering a song shorter than min is fine.
 */
export function validateScenes(
  drafts: readonly { start_time_s: number; end_time_s: number }[],
  opts: ValidateScenesOptions,
): string[] {
  const { durationS: D, sceneMinS: min, sceneMaxS: max, fps } = opts;
  const problems: string[] = [];
  if (drafts.length === 0) return ['there are no scenes'];
  let timesOk = true;
  drafts.forEach((s, i) => {
    const n = i + 1;
    if (!Number.isFinite(s.start_time_s) || !Number.isFinite(s.end_time_s)) {
      problems.push(`scene ${n}: start or end is not a number (${s.start_time_s} → ${s.end_time_s})`);
      timesOk = false;
      return;
    }
    const len = s.end_time_s - s.start_time_s;
    if (len <= TIME_EPS) {
      problems.push(`scene ${n}: ends at ${fmt(s.end_time_s)}, not after its start ${fmt(s.start_time_s)}`);
      return;
    }
    if (s.start_time_s < -TIME_EPS || s.end_time_s > D + TIME_EPS) {
      problems.push(`scene ${n}: ${fmt(s.start_time_s)}–${fmt(s.end_time_s)} is outside the song (0s–${fmt(D)})`);
    }
    const wholeShortSong = drafts.length === 1 && D < min;
    if (len < min - TIME_EPS && !wholeShortSong) problems.push(`scene ${n}: ${fmt(len)} long, shorter than the minimum ${fmt(min)}`);
    if (len > max + TIME_EPS) problems.push(`scene ${n}: ${fmt(len)} long, longer than the maximum ${fmt(max)}`);
    if (fps !== undefined && frameBoundary(s.end_time_s, fps) - frameBoundary(s.start_time_s, fps) < 1) {
      problems.push(`scene ${n}: shorter than one frame at ${fps} fps`);
    }
  });
  if (!timesOk) return problems;
  // Order is reported once; gaps and overlaps are then judged in time order.
  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a]!.start_time_s - drafts[b]!.start_time_s || a - b);
  const outOfOrder = order.findIndex((v, k) => v !== k);
  if (outOfOrder >= 0) {
    problems.push(`scenes ${outOfOrder + 1} and ${outOfOrder + 2} are not in time order`);
  }
  const first = drafts[order[0]!]!;
  const last = drafts[order[order.length - 1]!]!;
  if (Math.abs(first.start_time_s) > TIME_EPS) problems.push(`the first scene starts at ${fmt(first.start_time_s)}, not at 0s`);
  if (Math.abs(last.end_time_s - D) > TIME_EPS) problems.push(`the last scene ends at ${fmt(last.end_time_s)}, not at the end of the song (${fmt(D)})`);
  for (let k = 0; k + 1 < order.length; k++) {
    const i = order[k]!;
    const j = order[k + 1]!;
    const a = drafts[i]!;
    const b = drafts[j]!;
    if (b.start_time_s > a.end_time_s + TIME_EPS) {
      problems.push(`gap of ${fmt(b.start_time_s - a.end_time_s)} between scene ${i + 1} and scene ${j + 1}`);
    } else if (b.start_time_s < a.end_time_s - TIME_EPS) {
      problems.push(`scenes ${i + 1} and ${j + 1} overlap by ${fmt(a.end_time_s - b.start_time_s)}`);
    }
  }
  return problems;
}
