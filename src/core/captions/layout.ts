/**
 * Caption layout: a lyric line broken into balanced lines and sized so the whole block fits a
 * rectangle (the frame's title-safe area). Pure: text is measured by the FontMetrics the media
 * layer reads from the font file libass will draw with.
 *
 * Never cuts: when a line cannot fit at the smallest comfortable size, the size keeps shrinking
 * until it does (a single very long word included).
 */
import type { Rect } from './safe-area.ts';

export interface FontMetrics {
  unitsPerEm: number;
  /** ascent and descent as fractions of the ASS font size (they add up to 1) */
  ascent: number;
  descent: number;
  hasGlyph(codePoint: number): boolean;
  /** width in pixels of text at an ASS font size, without kerning */
  measure(text: string, fontSize: number): number;
}

export interface FitOptions {
  area: Rect;
  /** the size wanted (ASS font size = line height in pixels) */
  fontSize: number;
  /** below this the block may take more lines than maxLines rather than shrink further */
  minFontSize: number;
  maxLines: number;
  /** border + shadow around the glyphs, as a fraction of the font size (both sides are kept clear) */
  borderFraction: number;
}

export interface FittedCaption {
  /** word indexes per line */
  lines: number[][];
  fontSize: number;
  /** widest line in pixels, border included */
  width: number;
  /** block height in pixels, border included */
  height: number;
}

/** Kerning and shaping can make a line a little wider than its advances add up to. */
const SHAPING_MARGIN = 1.04;

/** Fewest lines for the widths at maxWidth (greedy is optimal for the count). */
function greedyLineCount(widths: readonly number[], space: number, maxWidth: number): number {
  let lines = 1;
  let current = 0;
  for (const w of widths) {
    if (current === 0) current = w;
    else if (current + space + w <= maxWidth) current += space + w;
    else {
      lines += 1;
      current = w;
    }
  }
  return lines;
}

/**
 * Splits words into exactly k lines no wider than maxWidth, minimising the widest line, then
 * the spread of the widths (balanced lines instead of a long line and a stub).
 */
export function balancedBreaks(widths: readonly number[], space: number, k: number, maxWidth: number): number[][] | null {
  const n = widths.length;
  if (k < 1 || k > n) return null;
  const lineWidth = (i: number, j: number): number => {
    let w = 0;
    for (let x = i; x < j; x++) w += widths[x]! + (x > i ? space : 0);
    return w;
  };
  // best[j][i]: best (max, sumSq) for the first i words in j lines; from[j][i]: where line j starts
  const best: { max: number; sq: number }[][] = Array.from({ length: k + 1 }, () => Array.from({ length: n + 1 }, () => ({ max: Infinity, sq: Infinity })));
  const from: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(-1));
  best[0]![0] = { max: 0, sq: 0 };
  for (let j = 1; j <= k; j++) {
    for (let i = j; i <= n; i++) {
      for (let s = j - 1; s < i; s++) {
        const prev = best[j - 1]![s]!;
        if (!Number.isFinite(prev.max)) continue;
        const w = lineWidth(s, i);
        if (w > maxWidth) continue;
        const cand = { max: Math.max(prev.max, w), sq: prev.sq + w * w };
        const cur = best[j]![i]!;
        if (cand.max < cur.max - 1e-9 || (Math.abs(cand.max - cur.max) <= 1e-9 && cand.sq < cur.sq)) {
          best[j]![i] = cand;
          from[j]![i] = s;
        }
      }
    }
  }
  if (!Number.isFinite(best[k]![n]!.max)) return null;
  const lines: number[][] = [];
  let i = n;
  for (let j = k; j >= 1; j--) {
    const s = from[j]![i]!;
    lines.unshift(Array.from({ length: i - s }, (_, x) => s + x));
    i = s;
  }
  return lines;
}

/** Breaks and sizes words to fit the area; always returns a layout that fits. */
export function fitCaption(words: readonly string[], metrics: FontMetrics, opts: FitOptions): FittedCaption {
  const areaW = Math.max(1, opts.area.right - opts.area.left);
  const areaH = Math.max(1, opts.area.bottom - opts.area.top);
  if (words.length === 0) return { lines: [], fontSize: opts.fontSize, width: 0, height: 0 };
  let fontSize = opts.fontSize;
  for (let attempt = 0; attempt < 200; attempt++) {
    const border = opts.borderFraction * fontSize;
    const maxWidth = areaW - 2 * border;
    const widths = words.map((w) => metrics.measure(w, fontSize) * SHAPING_MARGIN);
    const space = metrics.measure(' ', fontSize) * SHAPING_MARGIN;
    const widest = Math.max(...widths);
    const comfortable = fontSize > opts.minFontSize;
    if (widest <= maxWidth) {
      const k = greedyLineCount(widths, space, maxWidth);
      const height = k * fontSize + 2 * border;
      if ((k <= opts.maxLines || !comfortable) && height <= areaH) {
        const lines = balancedBreaks(widths, space, k, maxWidth)!;
        const lineWidths = lines.map((l) => l.reduce((sum, idx, x) => sum + widths[idx]! + (x > 0 ? space : 0), 0));
        return { lines, fontSize, width: Math.max(...lineWidths) + 2 * border, height };
      }
    }
    fontSize = Math.max(1, fontSize * 0.93);
  }
  // unreachable for sane areas: one word per line at 1 px
  return { lines: words.map((_, i) => [i]), fontSize: 1, width: areaW, height: words.length };
}
