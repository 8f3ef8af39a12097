/**
 * The caption track of a song: one cue per lyric line, on screen from the moment the line is sung
 * until the next line starts or its own end passes, laid out for the frame (balanced lines, sized
 * to fit, inside the title-safe area). Word times, when the lyrics have them (enhanced LRC word
 * tags, Whisper word timestamps), drive a karaoke highlight.
 *
 * Times are song times (seconds from the start of the song); cues never overlap.
 */
import type { TranscriptSegment } from '../model.ts';
import type { FrameSize } from '../video/frame-format.ts';
import { fitCaption, type FontMetrics } from './layout.ts';
import { titleSafeArea, type Rect } from './safe-area.ts';
import type { CaptionStyle } from './styles.ts';

export interface CaptionWord {
  text: string;
  /** song time the word is sung from / to, when known */
  start: number | null;
  end: number | null;
}

export interface CaptionCue {
  start: number;
  end: number;
  /** words, line by line, as drawn */
  lines: CaptionWord[][];
  fontSize: number;
  /** bottom centre of the text block (the ASS \pos with \an2) */
  x: number;
  y: number;
  /** where the block is expected to be drawn, border included (inside the safe area) */
  box: Rect;
  /** word times known for every word: the karaoke highlight can follow them */
  timedWords: boolean;
}

export interface CaptionLook {
  /** ASS font size as a fraction of the frame's short side */
  size: number;
  minSize: number;
  borderFraction: number;
  maxLinesLandscape: number;
  maxLinesPortrait: number;
  /** the highest the block may reach, as a fraction of the safe area's height from its top */
  topFraction: number;
}

export const CAPTION_LOOKS: Record<Exclude<CaptionStyle, 'none'>, CaptionLook> = {
  karaoke: { size: 0.105, minSize: 0.06, borderFraction: 0.1, maxLinesLandscape: 2, maxLinesPortrait: 3, topFraction: 0.4 },
  line: { size: 0.1, minSize: 0.055, borderFraction: 0.1, maxLinesLandscape: 2, maxLinesPortrait: 3, topFraction: 0.4 },
  minimal: { size: 0.052, minSize: 0.036, borderFraction: 0.08, maxLinesLandscape: 2, maxLinesPortrait: 3, topFraction: 0.6 },
};

export interface CaptionTrackOptions {
  size: FrameSize;
  style: CaptionStyle;
  metrics: FontMetrics;
  /** pixels kept free above the bottom of the safe area (e.g. for a visualizer band) */
  reserveBottom?: number;
}

/** The rectangle a cue's block is fitted into for this frame and style. */
export function captionArea(size: FrameSize, look: CaptionLook, reserveBottom = 0): Rect {
  const safe = titleSafeArea(size);
  const bottom = Math.max(safe.top + 1, safe.bottom - Math.max(0, Math.round(reserveBottom)));
  return { left: safe.left, right: safe.right, top: Math.round(safe.top + (bottom - safe.top) * look.topFraction), bottom };
}

function wordsOf(seg: TranscriptSegment): { words: CaptionWord[]; timed: boolean } {
  const timed = (seg.words ?? []).map((w) => ({ text: w.text.replace(/\s+/g, ' ').trim(), start: w.start, end: w.end })).filter((w) => w.text !== '');
  if (timed.length > 0 && timed.every((w) => Number.isFinite(w.start))) {
    // a word with spaces inside (a Whisper token like " hold on") is split, sharing its time
    const out: CaptionWord[] = [];
    for (const w of timed) {
      const parts = w.text.split(' ');
      const span = Number.isFinite(w.end) && w.end > w.start ? w.end - w.start : 0;
      parts.forEach((p, i) => out.push({ text: p, start: w.start + (span * i) / parts.length, end: Number.isFinite(w.end) ? w.start + (span * (i + 1)) / parts.length : null }));
    }
    return { words: out, timed: true };
  }
  return { words: seg.text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean).map((text) => ({ text, start: null, end: null })), timed: false };
}

export function captionTrack(segments: readonly TranscriptSegment[], opts: CaptionTrackOptions): CaptionCue[] {
  if (opts.style === 'none') return [];
  const look = CAPTION_LOOKS[opts.style];
  const short = Math.min(opts.size.width, opts.size.height);
  const portrait = opts.size.height > opts.size.width;
  const area = captionArea(opts.size, look, opts.reserveBottom);
  const lines = [...segments]
    .filter((s) => s.text.trim() !== '' && !s.suspect && Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const cues: CaptionCue[] = [];
  for (const [i, seg] of lines.entries()) {
    const next = lines[i + 1];
    const start = seg.start;
    const end = Math.min(seg.end, next ? next.start : Infinity);
    if (!(end - start >= 0.04)) continue;
    const { words, timed } = wordsOf(seg);
    if (words.length === 0) continue;
    const fit = fitCaption(words.map((w) => w.text), opts.metrics, {
      area,
      fontSize: Math.round(short * look.size),
      minFontSize: Math.round(short * look.minSize),
      maxLines: portrait ? look.maxLinesPortrait : look.maxLinesLandscape,
      borderFraction: look.borderFraction,
    });
    const fontSize = Math.round(fit.fontSize * 10) / 10;
    const border = look.borderFraction * fontSize;
    const x = Math.round((area.left + area.right) / 2);
    const y = Math.round(area.bottom - border);
    const half = fit.width / 2;
    cues.push({
      start,
      end,
      lines: fit.lines.map((idx) => idx.map((k) => clampWord(words[k]!, start, end))),
      fontSize,
      x,
      y,
      box: { left: Math.floor(x - half), right: Math.ceil(x + half), top: Math.floor(area.bottom - fit.height), bottom: area.bottom },
      timedWords: timed && opts.style === 'karaoke',
    });
  }
  return cues;
}

function clampWord(w: CaptionWord, start: number, end: number): CaptionWord {
  if (w.start === null) return w;
  const s = Math.min(end, Math.max(start, w.start));
  const e = w.end === null ? null : Math.min(end, Math.max(s, w.end));
  return { text: w.text, start: s, end: e };
}

/** The cues on screen at some moment of [from, to) (song seconds). */
export function cuesBetween(cues: readonly CaptionCue[], from: number, to: number): CaptionCue[] {
  return cues.filter((c) => c.end > from && c.start < to);
}
