/**
 * How much lyrics omvee accepts. Real lyrics are a few kilobytes (a Whisper verbose_json with
 * word times for a ten-minute song is well under 1 MB); these limits are far above that and far
 * below what hurts: a 60 MB one-line file once took 3.85 GB of memory and was stored whole in
 * the project row.
 */
import { OmveeError } from '../errors.ts';
import type { RawSegment } from './types.ts';

/** a lyrics file (any format) */
export const LYRICS_MAX_BYTES = 4 * 1024 * 1024;
/** one line of a line-based format (LRC, SRT, VTT, text), and one segment's text in any format */
export const LYRICS_MAX_LINE_CHARS = 5000;
/** lyric lines (segments) in one transcript */
export const LYRICS_MAX_LINES = 20_000;

const HINT = 'pass the lyrics of one song (LRC, SRT, VTT, Whisper JSON or plain text); check that this is the right file';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Refuse a lyrics file by its size, before it is decoded, parsed or stored. */
export function checkLyricsSize(bytes: number, name: string): void {
  if (bytes > LYRICS_MAX_BYTES) {
    throw new OmveeError('invalid_input', `${name} is too large (${mb(bytes)}; lyrics files may be at most ${mb(LYRICS_MAX_BYTES)})`, { hint: HINT });
  }
}

/** Refuse a line-based lyrics text with a line longer than LYRICS_MAX_LINE_CHARS (1-based line number). */
export function checkLyricsLines(text: string, name: string): void {
  let lineNo = 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    if (length > LYRICS_MAX_LINE_CHARS) {
      throw new OmveeError('invalid_input', `${name}: line ${lineNo} is too long (${length} characters; at most ${LYRICS_MAX_LINE_CHARS})`, { hint: HINT });
    }
    if (end === -1) return;
    start = end + 1;
    lineNo += 1;
  }
}

/** Refuse parsed segments that are too many or whose text is absurdly long. */
export function checkLyricsSegments(segments: readonly RawSegment[], name: string): void {
  if (segments.length > LYRICS_MAX_LINES) {
    throw new OmveeError('invalid_input', `${name} has ${segments.length} lyric lines (at most ${LYRICS_MAX_LINES})`, { hint: HINT });
  }
  segments.forEach((s, i) => {
    if (s.text.length > LYRICS_MAX_LINE_CHARS) {
      throw new OmveeError('invalid_input', `${name}: lyric line ${i + 1} is too long (${s.text.length} characters; at most ${LYRICS_MAX_LINE_CHARS})`, { hint: HINT });
    }
  });
}
