/**
 * Lyrics import/export: LRC, SRT, WebVTT, Whisper verbose_json and plain text → Transcript.
 *
 * parseLyrics always returns a valid transcript (sorted, start < end, no overlaps, inside the
 * song when its duration is known) or throws OmveeError('invalid_input') for input that cannot
 * be lyrics (binary, bad encoding, malformed timestamps — with the line number).
 */
import { OmveeError } from '../errors.ts';
import type { Transcript } from '../model.ts';
import { decodeLyricsText } from './decode.ts';
import { detectFormat } from './detect.ts';
import { checkLyricsLines, checkLyricsSegments, checkLyricsSize } from './limits.ts';
import { parseLrc } from './lrc.ts';
import { normalizeSegments } from './normalize.ts';
import { parsePlainText } from './plain-text.ts';
import { parseSrt, parseVtt } from './subtitles.ts';
import type { LyricsFormat, ParserOutput } from './types.ts';
import { LYRICS_FORMATS } from './types.ts';
import { parseWhisperJson } from './whisper-json.ts';

export { formatLrc, formatSrt, formatVtt } from './format.ts';
export type { FormatLrcOptions } from './format.ts';
export { detectFormat, formatFromFileName, sniffFormat } from './detect.ts';
export { decodeLyricsText } from './decode.ts';
export { LAST_LINE_MAX_S } from './normalize.ts';
export { LYRICS_MAX_BYTES, LYRICS_MAX_LINE_CHARS, LYRICS_MAX_LINES, checkLyricsSize } from './limits.ts';
export { LYRICS_FORMATS, SUPPORTED_FORMATS_HINT } from './types.ts';
export type { LyricsFormat } from './types.ts';

export interface ParseLyricsOptions {
  /** the song's duration; needed for plain text, used to clip lines past the end */
  durationS: number | null;
  fileName?: string;
  format?: LyricsFormat;
}

export interface ParseLyricsResult {
  transcript: Transcript;
  warnings: string[];
}

export function isLyricsFormat(value: string): value is LyricsFormat {
  return (LYRICS_FORMATS as readonly string[]).includes(value);
}

export function parseLyrics(input: Uint8Array | string, opts: ParseLyricsOptions): ParseLyricsResult {
  if (opts.format !== undefined && !isLyricsFormat(opts.format)) {
    throw new OmveeError('usage', `unknown lyrics format "${String(opts.format)}"`, {
      hint: `Use one of: ${LYRICS_FORMATS.join(', ')}.`,
    });
  }
  const durationS =
    opts.durationS !== null && Number.isFinite(opts.durationS) && opts.durationS > 0 ? opts.durationS : null;
  const name = opts.fileName ? `"${opts.fileName}"` : 'the lyrics';
  checkLyricsSize(typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength, name);
  const text = decodeLyricsText(input, opts.fileName);
  let format = detectFormat(text, opts.fileName, opts.format);
  // JSON may sit on one long line; its segments are checked after parsing instead
  if (format !== 'whisper_json') checkLyricsLines(text, name);
  let language: string | null = null;
  let parsed: ParserOutput;
  const pre: string[] = [];

  switch (format) {
    case 'lrc':
      parsed = parseLrc(text);
      break;
    case 'srt':
      parsed = parseSrt(text);
      break;
    case 'vtt':
      parsed = parseVtt(text);
      break;
    case 'whisper_json': {
      const w = parseWhisperJson(text);
      if ('plainText' in w) {
        pre.push('the Whisper JSON has no segments; its text was read as plain lyrics');
        language = w.language;
        format = 'text';
        parsed = parsePlainText(w.plainText, durationS);
      } else {
        language = w.language ?? null;
        parsed = w;
      }
      break;
    }
    case 'text':
      parsed = parsePlainText(text, durationS);
      break;
  }
  if (parsed.language) language = parsed.language;
  checkLyricsSegments(parsed.segments, name);

  let effectiveDuration = durationS;
  if (effectiveDuration === null && parsed.declaredDurationS) effectiveDuration = parsed.declaredDurationS;
  const { segments, warnings: fixes } = normalizeSegments(parsed, effectiveDuration);
  const warnings = [...pre, ...parsed.warnings, ...fixes];
  if (segments.length === 0) warnings.push('no timed lyric lines found: the song is treated as instrumental');

  const transcript: Transcript = { source: format, language, segments };
  if (warnings.length > 0) transcript.warnings = [...warnings];
  return { transcript, warnings };
}
