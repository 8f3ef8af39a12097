/**
 * Writers for LRC, SRT and WebVTT. parse(format(t)) gives back t: LRC to the centisecond (an
 * empty timestamp line marks where a line ends when a gap follows it), SRT/VTT to the
 * millisecond.
 */
import type { Transcript } from '../model.ts';
import { formatClockTime, formatLrcTime } from './time.ts';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface FormatLrcOptions {
  /** also write enhanced word times <mm:ss.xx> when segments have words */
  enhanced?: boolean;
  /** metadata tags written first, e.g. { ti: 'Easy Kill', ar: 'Band' } */
  tags?: Record<string, string>;
}

export function formatLrc(t: Transcript, opts: FormatLrcOptions = {}): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(opts.tags ?? {})) out.push(`[${k}:${oneLine(v).replace(/]/g, ')')}]`);
  const segs = t.segments;
  segs.forEach((s, i) => {
    let text = oneLine(s.text);
    if (opts.enhanced && s.words && s.words.length > 0) {
      text = s.words.map((w) => `<${formatLrcTime(w.start)}>${oneLine(w.text)}`).join(' ');
      text += ` <${formatLrcTime(s.words[s.words.length - 1]!.end)}>`;
    }
    out.push(`[${formatLrcTime(s.start)}]${text}`);
    const next = segs[i + 1];
    if (!next || formatLrcTime(next.start) !== formatLrcTime(s.end)) out.push(`[${formatLrcTime(s.end)}]`);
  });
  return out.join('\n') + '\n';
}

export function formatSrt(t: Transcript): string {
  return t.segments
    .map((s, i) => `${i + 1}\n${formatClockTime(s.start, ',')} --> ${formatClockTime(s.end, ',')}\n${oneLine(s.text).replace(/-->/g, '->')}\n`)
    .join('\n');
}

function escapeVtt(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function formatVtt(t: Transcript): string {
  const cues = t.segments.map(
    (s) => `${formatClockTime(s.start, '.')} --> ${formatClockTime(s.end, '.')}\n${escapeVtt(s.text)}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}
