/**
 * SubRip (SRT) and WebVTT parsers. Both are blocks separated by blank lines with a
 * "start --> end" timing line; they differ in the header, the fraction separator, optional
 * hours, cue settings and NOTE/STYLE/REGION blocks (VTT). Markup (<i>, <b>, <font>, <v Name>,
 * <c.class>, {\an8}) is stripped; VTT inline timestamps <hh:mm:ss.mmm> become word times.
 */
import { OmveeError } from '../errors.ts';
import { parseClockTime } from './time.ts';
import type { ParserOutput, RawSegment, Word } from './types.ts';

interface Block {
  firstLineNo: number;
  lines: string[];
}

function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (!current) {
      current = { firstLineNo: i + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line.trimEnd());
  }
  return blocks;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

const INLINE_TIME = /<((?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3})>/g;

/** Cleans cue text and extracts VTT-style inline word times. */
function cueText(lines: string[], vtt: boolean): { text: string; words: Word[] } {
  let raw = lines.join(' ');
  raw = raw.replace(/\{\\[^}]*\}/g, ''); // ASS overrides in SRT: {\an8}
  const words: Word[] = [];
  if (vtt) {
    const tags = [...raw.matchAll(INLINE_TIME)];
    if (tags.length > 0) {
      for (let i = 0; i < tags.length; i++) {
        const tag = tags[i]!;
        const next = tags[i + 1];
        const chunk = raw
          .slice(tag.index + tag[0].length, next ? next.index : raw.length)
          .replace(/<\/?[a-zA-Z][^>]*>/g, '')
          .trim();
        const start = parseClockTime(tag[1]!);
        if (chunk && start !== null) {
          const end = next ? (parseClockTime(next[1]!) ?? Number.NaN) : Number.NaN;
          words.push({ start, end, text: decodeEntities(chunk).replace(/\s+/g, ' ') });
        }
      }
    }
    raw = raw.replace(INLINE_TIME, ' ');
  }
  // SRT knows only <i> <b> <u> <s> <font>; VTT escapes its text, so every tag there is markup.
  const tags = vtt ? /<\/?[a-zA-Z][^>]*>/g : /<\/?(?:i|b|u|s|font)(?:\s[^>]*)?>/gi;
  const text = decodeEntities(raw.replace(tags, ''))
    .replace(/\s+/g, ' ')
    .trim();
  return { text, words };
}

function malformed(kind: string, lineNo: number, line: string): OmveeError {
  return new OmveeError('invalid_input', `${kind} line ${lineNo}: malformed timestamp "${line.trim().slice(0, 60)}"`, {
    hint:
      kind === 'SRT'
        ? 'SRT times look like 00:01:23,450 --> 00:01:26,000.'
        : 'WebVTT times look like 00:01:23.450 --> 00:01:26.000 (hours optional).',
  });
}

function parseTiming(kind: 'SRT' | 'WebVTT', lineNo: number, line: string): { start: number; end: number } {
  const m = /^\s*(\S+)\s*-->\s*(\S+)/.exec(line);
  if (!m) throw malformed(kind, lineNo, line);
  const start = parseClockTime(m[1]!);
  const end = parseClockTime(m[2]!);
  if (start === null || end === null) throw malformed(kind, lineNo, line);
  return { start, end };
}

export function parseSrt(text: string): ParserOutput {
  const warnings: string[] = [];
  const segments: RawSegment[] = [];
  let skipped = 0;
  for (const block of toBlocks(text)) {
    const timingIdx = block.lines.findIndex((l) => l.includes('-->'));
    if (timingIdx < 0 || timingIdx > 1) {
      skipped++;
      continue;
    }
    const { start, end } = parseTiming('SRT', block.firstLineNo + timingIdx, block.lines[timingIdx]!);
    const { text: lyric } = cueText(block.lines.slice(timingIdx + 1), false);
    if (lyric) segments.push({ start, end, text: lyric });
  }
  if (skipped > 0) warnings.push(`ignored ${skipped} SRT block(s) without a timing line`);
  return { segments, warnings };
}

export function parseVtt(text: string): ParserOutput {
  const warnings: string[] = [];
  const segments: RawSegment[] = [];
  const blocks = toBlocks(text);
  const first = blocks[0];
  if (first && /^WEBVTT(?:[ \t].*)?$/.test(first.lines[0]!.trim())) {
    // The header block may carry metadata lines; a cue glued to it (no blank line) is still read.
    const timing = first.lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) blocks.shift();
    else {
      first.lines = first.lines.slice(timing);
      first.firstLineNo += timing;
    }
  } else {
    warnings.push('the WebVTT file has no "WEBVTT" header; reading it anyway');
  }
  let skipped = 0;
  for (const block of blocks) {
    const head = block.lines[0]!.trim();
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(head)) continue;
    const timingIdx = block.lines.findIndex((l) => l.includes('-->'));
    if (timingIdx < 0 || timingIdx > 1) {
      skipped++;
      continue;
    }
    const { start, end } = parseTiming('WebVTT', block.firstLineNo + timingIdx, block.lines[timingIdx]!);
    const { text: lyric, words } = cueText(block.lines.slice(timingIdx + 1), true);
    if (!lyric) continue;
    const seg: RawSegment = { start, end, text: lyric };
    if (words.length > 0) seg.words = words;
    segments.push(seg);
  }
  if (skipped > 0) warnings.push(`ignored ${skipped} WebVTT block(s) without a timing line`);
  return { segments, warnings };
}
