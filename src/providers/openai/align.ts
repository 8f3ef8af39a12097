/**
 * Timing for a transcription that has none. `gpt-4o-transcribe` / `gpt-4o-mini-transcribe`
 * return text only (`response_format` json or text, no segments), while omvee needs timed
 * lyrics; `whisper-1` returns timed segments of the same audio. The better text is laid onto
 * whisper-1's timing word by word: the two word sequences are aligned (edit distance, words
 * compared without case and punctuation), each word of the text takes the segment of the
 * whisper word it lines up with (an extra word takes its neighbour's), and the words of each
 * segment become its text. A whisper segment no word lines up with is dropped (whisper-1
 * "hears" words in instrumental passages that the newer models do not).
 */
import type { WhisperSegmentLike } from './suspect.ts';

const norm = (w: string): string => w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');

function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.trim() !== '');
}

/** Above this many cells the alignment falls back to spreading words by position. */
const MAX_CELLS = 4_000_000;

/** For each word of `a`, the index of the word of `b` it lines up with (-1: an extra word). */
export function alignWords(a: readonly string[], b: readonly string[]): number[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return [];
  if (m === 0) return a.map(() => -1);
  if ((n + 1) * (m + 1) > MAX_CELLS) return a.map((_, i) => Math.min(m - 1, Math.floor((i * m) / n)));
  const an = a.map(norm);
  const bn = b.map(norm);
  const w = m + 1;
  const cost = new Int32Array((n + 1) * w);
  const move = new Uint8Array((n + 1) * w); // 0 diagonal, 1 up (extra word in a), 2 left (word of b skipped)
  for (let i = 1; i <= n; i++) {
    cost[i * w] = i;
    move[i * w] = 1;
  }
  for (let j = 1; j <= m; j++) {
    cost[j] = j;
    move[j] = 2;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const diag = cost[(i - 1) * w + j - 1]! + (an[i - 1] === bn[j - 1] ? 0 : 1);
      const up = cost[(i - 1) * w + j]! + 1;
      const left = cost[i * w + j - 1]! + 1;
      let best = diag;
      let mv = 0;
      if (up < best) {
        best = up;
        mv = 1;
      }
      if (left < best) {
        best = left;
        mv = 2;
      }
      cost[i * w + j] = best;
      move[i * w + j] = mv;
    }
  }
  const out = new Array<number>(n).fill(-1);
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const mv = move[i * w + j]!;
    if (i > 0 && j > 0 && mv === 0) {
      out[i - 1] = j - 1;
      i--;
      j--;
    } else if (i > 0 && (j === 0 || mv === 1)) i--;
    else j--;
  }
  return out;
}

/**
 * The text of one transcription on the timed segments of another. Segment metrics (no-speech
 * probability…) are kept: they describe the audio of that time span.
 */
export function timeTextBySegments(text: string, timed: readonly WhisperSegmentLike[]): WhisperSegmentLike[] {
  const words = wordsOf(text);
  const timedWords: { word: string; segment: number }[] = [];
  timed.forEach((s, k) => {
    for (const word of wordsOf(s.text)) timedWords.push({ word, segment: k });
  });
  if (words.length === 0) return [];
  if (timedWords.length === 0) {
    // nothing timed to line up with: the whole text over the span the segments cover
    const start = timed[0]?.start ?? 0;
    const end = timed.at(-1)?.end ?? start;
    return end > start ? [{ start, end, text: words.join(' ') }] : [];
  }
  const match = alignWords(
    words,
    timedWords.map((t) => t.word),
  );
  const segmentOf = match.map((j) => (j >= 0 ? timedWords[j]!.segment : -1));
  // extra words join the segment of the word before them (or after, at the start)
  for (let i = 0; i < segmentOf.length; i++) if (segmentOf[i] === -1 && i > 0) segmentOf[i] = segmentOf[i - 1]!;
  for (let i = segmentOf.length - 1; i >= 0; i--) if (segmentOf[i] === -1) segmentOf[i] = segmentOf[i + 1] ?? 0;
  // keep the order monotonic (an alignment never goes back in time)
  for (let i = 1; i < segmentOf.length; i++) if (segmentOf[i]! < segmentOf[i - 1]!) segmentOf[i] = segmentOf[i - 1]!;
  const bySegment = new Map<number, string[]>();
  words.forEach((word, i) => {
    const k = segmentOf[i]!;
    const list = bySegment.get(k) ?? [];
    list.push(word);
    bySegment.set(k, list);
  });
  return timed.flatMap((s, k) => {
    const list = bySegment.get(k);
    return list ? [{ ...s, text: list.join(' ') }] : [];
  });
}
