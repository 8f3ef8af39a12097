/**
 * Whisper verbose_json: { language?, text?, segments: [{ start, end, text, words? }], words? }.
 * Word times may sit in each segment (whisper-timestamped, faster-whisper: {word|text,start,end})
 * or at the top level (OpenAI with timestamp_granularities=word); top-level words are given to
 * the segment whose time range holds them. A bare array of segments is accepted too.
 * A JSON object with only `text` has no times: the caller treats it as plain text.
 */
import { OmveeError } from '../errors.ts';
import { roundMs } from './time.ts';
import type { ParserOutput, RawSegment, Word } from './types.ts';

export type WhisperParse = ParserOutput | { plainText: string; language: string | null };

function bad(message: string): OmveeError {
  return new OmveeError('invalid_input', `Whisper JSON: ${message}`, {
    hint: 'Expected Whisper verbose_json: {"segments": [{"start": 0.0, "end": 2.5, "text": "..."}]}.',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readWords(list: unknown): Word[] {
  if (!Array.isArray(list)) return [];
  const words: Word[] = [];
  for (const w of list) {
    if (!isRecord(w)) continue;
    const text = typeof w.word === 'string' ? w.word : typeof w.text === 'string' ? w.text : null;
    if (text === null || !text.trim()) continue;
    if (typeof w.start !== 'number' || typeof w.end !== 'number') continue;
    if (!Number.isFinite(w.start) || !Number.isFinite(w.end)) continue;
    words.push({ start: roundMs(w.start), end: roundMs(w.end), text: text.trim() });
  }
  return words;
}

export function parseWhisperJson(text: string): WhisperParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  let segmentsRaw: unknown[];
  let language: string | null = null;
  let topWords: Word[] = [];
  if (Array.isArray(data)) {
    segmentsRaw = data;
  } else if (isRecord(data)) {
    if (typeof data.language === 'string' && data.language) language = data.language;
    if (Array.isArray(data.segments)) {
      segmentsRaw = data.segments;
      topWords = readWords(data.words);
    } else if (typeof data.text === 'string') {
      return { plainText: data.text, language };
    } else {
      throw bad('no "segments" array and no "text"');
    }
  } else {
    throw bad('the top level is neither an object nor an array');
  }

  const segments: RawSegment[] = [];
  segmentsRaw.forEach((s, i) => {
    const n = i + 1;
    if (!isRecord(s)) throw bad(`segment ${n} is not an object`);
    for (const key of ['start', 'end'] as const) {
      const v = s[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw bad(`segment ${n}: "${key}" is not a non-negative number (got ${JSON.stringify(v) ?? 'nothing'})`);
      }
    }
    if (typeof s.text !== 'string') throw bad(`segment ${n}: "text" is not a string`);
    const seg: RawSegment = { start: roundMs(s.start as number), end: roundMs(s.end as number), text: s.text };
    const words = readWords(s.words);
    if (words.length > 0) seg.words = words;
    segments.push(seg);
  });

  if (topWords.length > 0) {
    for (const w of topWords) {
      const owner = segments.find((s) => s.end !== null && w.start >= s.start && w.start < s.end);
      if (!owner) continue;
      (owner.words ??= []).push(w);
    }
  }
  return { segments, warnings: [], language };
}
