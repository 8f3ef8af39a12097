/** Shared shapes of the lyrics parsers. */
export const LYRICS_FORMATS = ['lrc', 'srt', 'vtt', 'whisper_json', 'text'] as const;
export type LyricsFormat = (typeof LYRICS_FORMATS)[number];

export interface Word {
  start: number;
  end: number;
  text: string;
}

/**
 * A segment as a parser reads it, before normalisation. `end` is null when the format does not
 * say (LRC): the normaliser derives it from the next segment.
 */
export interface RawSegment {
  start: number;
  end: number | null;
  text: string;
  words?: Word[];
}

export interface ParserOutput {
  segments: RawSegment[];
  warnings: string[];
  /** song length declared by the file itself (LRC [length:]), used when the caller has none */
  declaredDurationS?: number | null;
  language?: string | null;
  /** an empty timestamp line in LRC: marks the end of the previous line (instrumental gap) */
  endMarkers?: number[];
}

export const SUPPORTED_FORMATS_HINT =
  'Supported lyrics formats: LRC (.lrc), SubRip (.srt), WebVTT (.vtt), Whisper verbose_json (.json) ' +
  'and plain text (.txt, one line per lyric line), all UTF-8.';
