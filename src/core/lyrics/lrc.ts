/**
 * LRC parser. Handles metadata tags ([ar:], [ti:], [al:], [by:], [length:], [offset:]), several
 * timestamps on one line, [mm:ss], [mm:ss.x], [mm:ss.xx], [mm:ss.xxx], [mm:ss:xx], and
 * enhanced (A2) word times <mm:ss.xx>.
 *
 * Decisions:
 * - [offset:+n] is in milliseconds and positive means the lyrics come *earlier*, so every time
 *   becomes t − n/1000 (times that would go below 0 are clamped to 0).
 * - A timestamp with no text ([01:02.00] alone) is an instrumental gap: it ends the previous
 *   line and starts nothing.
 * - Lines without a timestamp (section markers like "[Chorus]", credits, stray text) are
 *   ignored, with one warning that counts them and quotes the first. A file with lyric lines but
 *   no timestamp at all is rejected: it is plain text and should be imported as such.
 */
import { OmveeError } from '../errors.ts';
import { parseFraction, roundMs } from './time.ts';
import type { ParserOutput, RawSegment, Word } from './types.ts';

const TIMESTAMP = /^\[(\d+):(\d{1,2})(?:[.:](\d{1,3}))?\]/;
const METADATA = /^\[([A-Za-z#][A-Za-z0-9_ #-]*):([^\]]*)\]$/;
const WORD_TAG = /<(\d+):(\d{1,2})(?:[.:](\d{1,3}))?>/g;

function malformed(lineNo: number, what: string, hint?: string): OmveeError {
  return new OmveeError('invalid_input', `LRC line ${lineNo}: malformed timestamp ${what}`, {
    hint: hint ?? 'LRC timestamps look like [mm:ss.xx], e.g. [01:23.45]; seconds must be below 60.',
  });
}

function toSeconds(min: string, sec: string, frac: string | undefined, lineNo: number, raw: string): number {
  const s = Number(sec);
  if (s >= 60) throw malformed(lineNo, raw);
  return Number(min) * 60 + s + parseFraction(frac);
}

/** Parses "[length: 03:45.20]" / "225" / "3:45" into seconds, or null. */
function parseLength(value: string): number | null {
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v);
  const m = /^(\d+):(\d{1,2})(?:[.:](\d{1,3}))?$/.exec(v);
  if (!m || Number(m[2]) >= 60) return null;
  return Number(m[1]) * 60 + Number(m[2]) + parseFraction(m[3]);
}

/** Splits enhanced-LRC text into plain text and word timings (absolute, before offset). */
function parseWords(text: string, lineNo: number): { text: string; words: Word[] } {
  const stray = /<\d[^>]*>/g;
  for (const m of text.matchAll(stray)) {
    WORD_TAG.lastIndex = 0;
    const ok = new RegExp(`^${WORD_TAG.source}$`).exec(m[0]);
    if (!ok) throw malformed(lineNo, m[0], 'Enhanced LRC word times look like <mm:ss.xx>.');
  }
  const tags = [...text.matchAll(WORD_TAG)];
  if (tags.length === 0) return { text, words: [] };
  const words: Word[] = [];
  const plain: string[] = [];
  const before = text.slice(0, tags[0]!.index).trim();
  if (before) plain.push(before);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    const start = toSeconds(tag[1]!, tag[2]!, tag[3], lineNo, tag[0]);
    const next = tags[i + 1];
    const chunk = text.slice(tag.index + tag[0].length, next ? next.index : text.length).trim();
    if (chunk) {
      plain.push(chunk);
      const end = next ? toSeconds(next[1]!, next[2]!, next[3], lineNo, next[0]) : Number.NaN;
      words.push({ start, end, text: chunk });
    }
  }
  return { text: plain.join(' '), words };
}

export function parseLrc(text: string): ParserOutput {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const segments: RawSegment[] = [];
  const endMarkers: number[] = [];
  const untimed: { lineNo: number; text: string }[] = [];
  let offsetMs = 0;
  let declaredDurationS: number | null = null;
  let language: string | null = null;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let rest = lines[i]!.trim();
    if (!rest) continue;

    const meta = METADATA.exec(rest);
    if (meta && !/^\d/.test(meta[1]!)) {
      const key = meta[1]!.trim().toLowerCase();
      const value = meta[2]!.trim();
      if (key === 'offset') {
        if (/^[+-]?\d+$/.test(value)) offsetMs = Number(value);
        else warnings.push(`LRC line ${lineNo}: ignored the offset tag "${value}" (expected milliseconds, e.g. +250)`);
      } else if (key === 'length') {
        const len = parseLength(value);
        if (len !== null && len > 0) declaredDurationS = len;
        else warnings.push(`LRC line ${lineNo}: ignored the length tag "${value}"`);
      } else if (key === 'la' || key === 'lang' || key === 'language') {
        language = value || null;
      }
      // ar, ti, al, by, au, re, ve, #… carry no timing: nothing to do.
      continue;
    }

    const stamps: number[] = [];
    for (;;) {
      const m = TIMESTAMP.exec(rest);
      if (m) {
        stamps.push(toSeconds(m[1]!, m[2]!, m[3], lineNo, m[0]));
        rest = rest.slice(m[0].length).trimStart();
        continue;
      }
      if (/^\[\s*\d/.test(rest)) {
        const close = rest.indexOf(']');
        throw malformed(lineNo, close >= 0 ? rest.slice(0, close + 1) : rest.slice(0, 12));
      }
      break;
    }
    if (stamps.length === 0) {
      untimed.push({ lineNo, text: rest });
      continue;
    }
    const { text: lyric, words } = parseWords(rest, lineNo);
    const clean = lyric.replace(/\s+/g, ' ').trim();
    const first = stamps[0]!;
    for (const start of stamps) {
      if (!clean) {
        endMarkers.push(start);
        continue;
      }
      const seg: RawSegment = { start, end: null, text: clean };
      // Word times are absolute for the first timestamp; repeated lines shift them along.
      if (words.length > 0) seg.words = words.map((w) => ({ start: w.start - first + start, end: w.end - first + start, text: w.text }));
      segments.push(seg);
    }
  }

  if (segments.length === 0 && endMarkers.length === 0 && untimed.length > 0) {
    throw new OmveeError('invalid_input', 'the LRC lyrics have no [mm:ss.xx] timestamps', {
      hint: 'For lyrics without times use --format text (they are spread over the song); for synced lyrics add [mm:ss.xx] before each line.',
    });
  }
  if (untimed.length > 0) {
    const first = untimed[0]!;
    warnings.push(
      `ignored ${untimed.length} LRC line(s) without a timestamp (first: line ${first.lineNo} "${first.text.slice(0, 40)}")`,
    );
  }

  const shift = (t: number): number => roundMs(Math.max(0, t - offsetMs / 1000));
  if (offsetMs !== 0) {
    for (const s of segments) {
      s.start = shift(s.start);
      if (s.words) for (const w of s.words) {
        w.start = shift(w.start);
        if (!Number.isNaN(w.end)) w.end = shift(w.end);
      }
    }
    for (let k = 0; k < endMarkers.length; k++) endMarkers[k] = shift(endMarkers[k]!);
  } else {
    for (const s of segments) s.start = roundMs(s.start);
  }
  // Repeated lines ([00:12.00][01:30.50]…) put segments out of order by design: sort quietly.
  segments.sort((a, b) => a.start - b.start);
  return { segments, warnings, declaredDurationS, language, endMarkers };
}
