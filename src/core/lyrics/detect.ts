/**
 * Which lyrics format a file is in: an explicit choice wins, then a telling extension
 * (.lrc/.srt/.vtt/.json), then the content (so LRC saved as .txt still reads as LRC).
 */
import type { LyricsFormat } from './types.ts';

const BY_EXTENSION: Record<string, LyricsFormat> = {
  lrc: 'lrc',
  srt: 'srt',
  vtt: 'vtt',
  webvtt: 'vtt',
  json: 'whisper_json',
};

export function formatFromFileName(fileName: string | undefined): LyricsFormat | null {
  if (!fileName) return null;
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
  return (m && BY_EXTENSION[m[1]!.toLowerCase()]) || null;
}

export function sniffFormat(text: string): LyricsFormat {
  const head = text.trimStart();
  if (/^WEBVTT(?:[ \t\n]|$)/.test(head)) return 'vtt';
  if (head.startsWith('{') || head.startsWith('[{') || /^\[\s*(?:\{|\])/.test(head)) {
    try {
      const v: unknown = JSON.parse(head);
      if (typeof v === 'object' && v !== null) return 'whisper_json';
    } catch {
      // not JSON: fall through
    }
  }
  if (/^\s*(?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3}\s*-->/m.test(text)) {
    // "," before the milliseconds is SubRip; "." is WebVTT without its header. The SRT parser
    // reads both separators, the VTT one additionally cue settings and NOTE blocks.
    return /^\s*(?:\d+:)?\d{1,2}:\d{1,2},\d{1,3}\s*-->/m.test(text) ? 'srt' : 'vtt';
  }
  if (/^\s*\[\d+:\d{1,2}(?:[.:]\d{1,3})?\]/m.test(text)) return 'lrc';
  if (/^\s*\[(?:ar|ti|al|by|length|offset|re|ve):[^\]]*\]\s*$/im.test(text)) return 'lrc';
  return 'text';
}

export function detectFormat(text: string, fileName?: string, explicit?: LyricsFormat): LyricsFormat {
  return explicit ?? formatFromFileName(fileName) ?? sniffFormat(text);
}
