/**
 * Turns parser output into a valid transcript: sorted, every segment start < end, no overlaps,
 * inside the song. Every repair leaves a warning; nothing here throws.
 */
import type { TranscriptSegment } from '../model.ts';
import { formatLrcTime, roundMs } from './time.ts';
import type { ParserOutput, Word } from './types.ts';

/** The last LRC line has no end: it lasts at most this long (and never past the song). */
export const LAST_LINE_MAX_S = 8;
/** A cue whose end is missing or not after its start gets at most this length. */
const FALLBACK_LINE_S = 4;
const EPS = 1e-6;

interface Work {
  start: number;
  end: number | null;
  text: string;
  words?: Word[];
}

function fixWords(words: Word[] | undefined, start: number, end: number): Word[] | undefined {
  if (!words || words.length === 0) return undefined;
  const sorted = [...words].sort((a, b) => a.start - b.start);
  const out: Word[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const w = sorted[i]!;
    const ws = roundMs(Math.max(start, w.start));
    if (ws >= end) continue;
    const next = sorted[i + 1];
    let we = Number.isNaN(w.end) ? (next ? next.start : end) : w.end;
    we = roundMs(Math.min(end, Math.max(we, ws)));
    if (we <= ws) we = roundMs(Math.min(end, ws + 0.001));
    if (we <= ws) continue;
    out.push({ start: ws, end: we, text: w.text });
  }
  return out.length > 0 ? out : undefined;
}

export function normalizeSegments(
  parsed: ParserOutput,
  durationS: number | null,
): { segments: TranscriptSegment[]; warnings: string[] } {
  const warnings: string[] = [];
  let items: Work[] = [];
  let negative = 0;
  for (const s of parsed.segments) {
    const text = s.text.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    let start = s.start;
    if (start < 0) {
      negative++;
      start = 0;
    }
    items.push({ start: roundMs(start), end: s.end === null ? null : roundMs(s.end), text, words: s.words });
  }
  if (negative > 0) warnings.push(`${negative} line(s) started before 0:00 and were moved to 0:00`);

  if (items.some((s, i) => i > 0 && s.start < items[i - 1]!.start)) {
    warnings.push('the lyric lines were not in time order; they were sorted');
    items = items.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i).map((x) => x.s);
  }

  // Lines that start at the same time are one line (duplicate cues, two speakers).
  const merged: Work[] = [];
  let mergedCount = 0;
  for (const s of items) {
    const prev = merged[merged.length - 1];
    if (prev && Math.abs(prev.start - s.start) < 0.0005) {
      prev.text = prev.text === s.text ? prev.text : `${prev.text} / ${s.text}`;
      if (s.end !== null) prev.end = prev.end === null ? s.end : Math.max(prev.end, s.end);
      if (s.words) prev.words = [...(prev.words ?? []), ...s.words];
      mergedCount++;
      continue;
    }
    merged.push({ ...s });
  }
  if (mergedCount > 0) warnings.push(`${mergedCount} line(s) started at the same time as another and were joined to it`);

  // Derive missing ends from the next start or the next instrumental-gap marker.
  const markers = [...(parsed.endMarkers ?? [])].sort((a, b) => a - b);
  let badEnds = 0;
  for (let i = 0; i < merged.length; i++) {
    const s = merged[i]!;
    const nextStart = merged[i + 1]?.start ?? Infinity;
    const marker = markers.find((m) => m > s.start + EPS) ?? Infinity;
    const boundary = Math.min(nextStart, marker);
    if (s.end === null) {
      s.end = Number.isFinite(boundary) ? boundary : s.start + LAST_LINE_MAX_S;
      // An open-ended last line simply ends with the song: no warning.
      if (durationS !== null && s.end > durationS && s.start < durationS) s.end = durationS;
    } else if (s.end <= s.start) {
      badEnds++;
      s.end = Math.min(s.start + FALLBACK_LINE_S, boundary);
    }
  }
  if (badEnds > 0) warnings.push(`${badEnds} line(s) ended before they started; they were given a default length`);

  // The song's end.
  const kept: Work[] = [];
  if (durationS !== null) {
    let dropped = 0;
    let clipped = 0;
    for (const s of merged) {
      if (s.start >= durationS - EPS) {
        dropped++;
        continue;
      }
      if ((s.end as number) > durationS + EPS) {
        clipped++;
        s.end = durationS;
      }
      kept.push(s);
    }
    const at = formatLrcTime(durationS);
    if (dropped > 0) warnings.push(`dropped ${dropped} line(s) that start after the end of the song (${at})`);
    if (clipped > 0) warnings.push(`cut ${clipped} line(s) that ran past the end of the song (${at})`);
  } else {
    kept.push(...merged);
  }

  // Overlaps: a line ends where the next begins.
  let overlaps = 0;
  const segments: TranscriptSegment[] = [];
  for (let i = 0; i < kept.length; i++) {
    const s = kept[i]!;
    let end = s.end as number;
    const next = kept[i + 1];
    if (next && end > next.start + EPS) {
      overlaps++;
      end = next.start;
    }
    const start = roundMs(s.start);
    end = roundMs(end);
    if (end <= start) continue;
    const seg: TranscriptSegment = { start, end, text: s.text };
    const words = fixWords(s.words, start, end);
    if (words) seg.words = words;
    segments.push(seg);
  }
  if (overlaps > 0) warnings.push(`${overlaps} overlapping line(s) were shortened to end where the next begins`);
  return { segments, warnings };
}
