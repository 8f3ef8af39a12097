/**
 * ASS subtitles for burned-in lyrics: one Dialogue line per lyric segment, bottom centre,
 * white text with a dark outline, font size relative to the video height.
 */
export interface SubtitleSegment {
  start: number;
  end: number;
  text: string;
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
 * backslash would start an escape, so they become parentheses and a slash (glyphs every font
 * has); newlines become \N.
 */
export function escapeAssText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '/')
    .replace(/\{/g, '(')
    .replace(/\}/g, ')')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\\N');
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

export function buildAss(segments: readonly SubtitleSegment[], opts: { width: number; height: number; title?: string }): string {
  const fontSize = Math.max(12, Math.round(opts.height * 0.055));
  const outline = Math.max(1, Math.round(fontSize * 0.08));
  const marginV = Math.round(opts.height * 0.06);
  const marginH = Math.round(opts.width * 0.05);
  const header = [
    '[Script Info]',
    `Title: ${oneLine(opts.title ?? 'omvee lyrics') || 'omvee lyrics'}`,
    'ScriptType: v4.00+',
    `PlayResX: ${opts.width}`,
    `PlayResY: ${opts.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Lyric,DejaVu Sans,${fontSize},&H00FFFFFF,&H000000FF,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,${outline},${Math.max(1, Math.round(outline / 2))},2,${marginH},${marginH},${marginV},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = [...segments]
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ ...s, text: escapeAssText(s.text) }))
    .filter((s) => s.text !== '')
    .map((s) => `Dialogue: 0,${assTime(s.start)},${assTime(s.end)},Lyric,,0,0,0,,${s.text}`);
  return [...header, ...events, ''].join('\n');
}
