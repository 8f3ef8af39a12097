/**
 * An energy guess (0..1) for a scene without listening to the audio: how densely it is sung
 * (words per second), where it sits in the song (songs build towards the last third),
 * exclamations, and whether it holds a repeated line (a chorus).
 */
import type { TranscriptSegment } from '../../../core/model.ts';
import { lineKey, words } from './text.ts';

export interface EnergyInput {
  startS: number;
  endS: number;
  durationS: number;
  segments: readonly TranscriptSegment[];
  /** line keys sung more than once in the song */
  repeatedLines: ReadonlySet<string>;
}

/** Line keys (lineKey) that occur at least twice in the transcript. */
export function findRepeatedLines(segments: readonly TranscriptSegment[]): Set<string> {
  const counts = new Map<string, number>();
  for (const s of segments) {
    const k = lineKey(s.text);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 2).map(([k]) => k));
}

export function guessEnergy(input: EnergyInput): number {
  const len = Math.max(0.001, input.endS - input.startS);
  const text = input.segments.map((s) => s.text).join(' ');
  const wordCount = words(text).length;
  const density = Math.min(1, wordCount / len / 3); // 3 words/s is dense singing
  const mid = (input.startS + input.endS) / 2 / Math.max(0.001, input.durationS);
  const arc = 0.15 * Math.sin(Math.PI * Math.min(1, Math.max(0, mid))) + 0.1 * mid;
  const exclaim = Math.min(0.15, 0.05 * (text.match(/!/g)?.length ?? 0));
  const chorus = input.segments.some((s) => input.repeatedLines.has(lineKey(s.text))) ? 0.15 : 0;
  const base = input.segments.length === 0 ? 0.2 : 0.15;
  const e = base + 0.45 * density + arc + exclaim + chorus;
  return Math.round(Math.min(1, Math.max(0, e)) * 100) / 100;
}
