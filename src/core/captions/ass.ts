/**
 * ASS (Advanced SubStation Alpha, as libass reads it) documents for the caption track and the
 * beat flashes. Every event is positioned explicitly (\an2\pos: bottom centre of the block, as
 * the layout computed it) and broken explicitly (\N, WrapStyle 2: libass never re-wraps), so what
 * is drawn is what was measured.
 *
 * Times are song times. A clip burns the part of the document that overlaps it, with its frames
 * stamped at their song time, so a line that crosses a cut is drawn identically on both sides.
 *
 * Karaoke: \kf sweeps each word from the secondary colour (not sung yet) to the primary colour
 * (sung) over the word's duration, in centiseconds; a leading \k without text waits for the first
 * word. Reference: the ASS override tags as implemented by libass (\k, \kf, \fad, \pos, \an, \p).
 */
import type { FrameSize } from '../video/frame-format.ts';
import type { CaptionCue } from './track.ts';
import { CAPTION_LOOKS } from './track.ts';
import type { CaptionStyle } from './styles.ts';

export interface BeatFlash {
  /** song time of the flash */
  at: number;
  /** 0..1: downbeats are soft, section starts stronger */
  strength: number;
}

export interface AssOptions {
  size: FrameSize;
  /** the family name libass selects the caption font by (it is in the fonts directory omvee passes) */
  fontFamily: string;
  style: CaptionStyle;
  /** sung-word colour for karaoke, '#rrggbb' */
  highlight?: string;
  title?: string;
}

/** Seconds → ASS time "H:MM:SS.cc" (centiseconds, rounded). */
export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  const c = cs % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

/**
 * Makes lyric text safe for an ASS Dialogue text field: braces would start override tags and a
 * backslash an escape (\N, \h), so they become parentheses and a slash; line breaks become spaces
 * (the layout decides where lines break).
 */
export function escapeAssText(text: string): string {
  return text.replace(/\\/g, '/').replace(/\{/g, '(').replace(/\}/g, ')').replace(/[\r\n]+/g, ' ');
}

/** '#rrggbb' + alpha (0 opaque … 255 transparent) → ASS '&HAABBGGRR'. */
export function assColour(hex: string, alpha = 0): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const rgb = m ? m[1]! : 'ffffff';
  const [r, g, b] = [rgb.slice(0, 2), rgb.slice(2, 4), rgb.slice(4, 6)];
  const a = Math.max(0, Math.min(255, Math.round(alpha))).toString(16).padStart(2, '0');
  return `&H${a}${b}${g}${r}`.toUpperCase();
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

function styleLines(opts: AssOptions): string[] {
  const short = Math.min(opts.size.width, opts.size.height);
  const format =
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding';
  const out = [format];
  if (opts.style !== 'none') {
    const look = CAPTION_LOOKS[opts.style];
    const size = Math.round(short * look.size);
    const outline = Math.max(1, Math.round(size * look.borderFraction * 0.55 * 10) / 10);
    const shadow = Math.max(1, Math.round(size * look.borderFraction * 0.45 * 10) / 10);
    if (opts.style === 'karaoke') {
      // sung: the highlight colour, opaque; not sung yet: white, a little see-through
      out.push(`Style: Caption,${opts.fontFamily},${size},${assColour(opts.highlight ?? '#ffd45c')},${assColour('#ffffff', 0x58)},${assColour('#0c0c14', 0x10)},${assColour('#000000', 0x70)},0,0,0,0,100,100,0,0,1,${outline},${shadow},2,0,0,0,1`);
    } else if (opts.style === 'line') {
      out.push(`Style: Caption,${opts.fontFamily},${size},${assColour('#ffffff')},${assColour('#ffffff')},${assColour('#0c0c14', 0x10)},${assColour('#000000', 0x70)},0,0,0,0,100,100,0,0,1,${outline},${shadow},2,0,0,0,1`);
    } else {
      out.push(`Style: Caption,${opts.fontFamily},${size},${assColour('#ffffff', 0x10)},${assColour('#ffffff', 0x10)},${assColour('#000000', 0x60)},${assColour('#000000', 0x80)},0,0,0,0,100,100,0,0,1,${outline},${shadow},2,0,0,0,1`);
    }
  }
  out.push(`Style: Flash,${opts.fontFamily},20,${assColour('#ffffff')},${assColour('#ffffff')},${assColour('#000000')},${assColour('#000000')},0,0,0,0,100,100,0,0,1,0,0,7,0,0,0,1`);
  return out;
}

/** The karaoke tags of one cue: a wait for the first word, then each word's sweep. */
function karaokeText(cue: CaptionCue): string {
  const parts: string[] = [];
  let cursor = 0; // centiseconds from the cue start that the tags so far cover
  const words = cue.lines.flat();
  const cs = (t: number): number => Math.max(0, Math.round((t - cue.start) * 100));
  let index = 0;
  for (const [li, line] of cue.lines.entries()) {
    for (const [wi, word] of line.entries()) {
      const from = cs(word.start ?? cue.start);
      const next = words[index + 1];
      const to = next ? cs(next.start ?? cue.end) : cs(word.end ?? cue.end);
      if (index === 0 && from > cursor) {
        parts.push(`{\\k${from - cursor}}`);
        cursor = from;
      }
      const dur = Math.max(0, Math.max(to, cursor) - cursor);
      cursor += dur;
      const sep = wi < line.length - 1 ? ' ' : li < cue.lines.length - 1 ? '\\N' : '';
      parts.push(`{\\kf${dur}}${escapeAssText(word.text)}${sep}`);
      index += 1;
    }
  }
  return parts.join('');
}

function plainText(cue: CaptionCue): string {
  return cue.lines.map((line) => line.map((w) => escapeAssText(w.text)).join(' ')).join('\\N');
}

function cueEvent(cue: CaptionCue, style: CaptionStyle): string {
  const len = cue.end - cue.start;
  const fadeIn = Math.round(Math.min(90, len * 1000 * 0.2));
  const fadeOut = Math.round(Math.min(140, len * 1000 * 0.25));
  const karaoke = style === 'karaoke' && cue.timedWords;
  // a karaoke line without word times is drawn in plain white (no highlight to follow)
  const colour = style === 'karaoke' && !karaoke ? '\\1c&HFFFFFF&' : '';
  const head = `{\\an2\\pos(${cue.x},${cue.y})\\fs${cue.fontSize}\\fad(${fadeIn},${fadeOut})${colour}}`;
  const text = karaoke ? karaokeText(cue) : plainText(cue);
  return `Dialogue: 1,${assTime(cue.start)},${assTime(cue.end)},Caption,,0,0,0,,${head}${text}`;
}

/** How long a flash lasts (s). */
export const FLASH_S = 0.22;

function flashEvent(flash: BeatFlash, size: FrameSize): string {
  // a white rectangle over the frame that starts faint and fades out
  const alpha = Math.round(255 - 255 * Math.min(0.35, 0.1 + 0.25 * Math.max(0, Math.min(1, flash.strength))));
  const ms = Math.round(FLASH_S * 1000);
  const draw = `m 0 0 l ${size.width} 0 ${size.width} ${size.height} 0 ${size.height}`;
  return `Dialogue: 0,${assTime(flash.at)},${assTime(flash.at + FLASH_S)},Flash,,0,0,0,,{\\an7\\pos(0,0)\\alpha&H${alpha.toString(16).padStart(2, '0').toUpperCase()}&\\fad(0,${ms})\\p1}${draw}{\\p0}`;
}

/**
 * A whole ASS document. With `window` only the events overlapping [from, to) song seconds are
 * written (what one clip needs); times stay song times. `underlay` lines (e.g. the visualizer's
 * drawings, layer 0) come first and are drawn under everything else.
 */
export function assDocument(cues: readonly CaptionCue[], flashes: readonly BeatFlash[], opts: AssOptions, window?: { from: number; to: number }, underlay: readonly string[] = []): string {
  const inWindow = (a: number, b: number): boolean => !window || (b > window.from && a < window.to);
  const header = [
    '[Script Info]',
    `Title: ${oneLine(opts.title ?? 'omvee captions') || 'omvee captions'}`,
    'ScriptType: v4.00+',
    `PlayResX: ${opts.size.width}`,
    `PlayResY: ${opts.size.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    ...styleLines(opts),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = [
    ...underlay.map((line) => ({ at: -1, line })),
    ...flashes.filter((f) => inWindow(f.at, f.at + FLASH_S)).map((f) => ({ at: f.at, line: flashEvent(f, opts.size) })),
    ...(opts.style === 'none' ? [] : cues.filter((c) => inWindow(c.start, c.end)).map((c) => ({ at: c.start, line: cueEvent(c, opts.style) }))),
  ]
    .sort((a, b) => a.at - b.at)
    .map((e) => e.line);
  return [...header, ...events, ''].join('\n');
}
