/**
 * Flags Whisper segments that look unreliable, so review can show them instead of trusting
 * them: Whisper on music often hallucinates loops ("la la la" ×20, one line repeated) or text
 * over instrumental passages.
 */
import type { TranscriptSegment } from '../../core/model.ts';

export interface WhisperSegmentLike {
  start: number;
  end: number;
  text: string;
  avg_logprob?: number | undefined;
  no_speech_prob?: number | undefined;
  compression_ratio?: number | undefined;
}

const norm = (t: string): string => t.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();

/** True when the text is one short phrase said ≥ 3 times in a row (a trailing partial allowed). */
export function isRepeatedPhrase(text: string): boolean {
  const words = norm(text).split(' ').filter(Boolean);
  if (words.length < 3) return false;
  for (let p = 1; p <= Math.floor(words.length / 3); p++) {
    let ok = true;
    for (let i = p; i < words.length; i++) {
      if (words[i] !== words[i % p]) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

export function flagSuspectSegments(segments: readonly WhisperSegmentLike[]): TranscriptSegment[] {
  const reasons: string[][] = segments.map(() => []);
  // runs of ≥ 3 identical consecutive segments
  let runStart = 0;
  for (let i = 1; i <= segments.length; i++) {
    const same = i < segments.length && norm(segments[i]!.text) !== '' && norm(segments[i]!.text) === norm(segments[runStart]!.text);
    if (!same) {
      if (i - runStart >= 3) for (let k = runStart; k < i; k++) reasons[k]!.push(`same text repeated ${i - runStart} times in a row`);
      runStart = i;
    }
  }
  segments.forEach((s, i) => {
    if (isRepeatedPhrase(s.text)) reasons[i]!.push('one phrase repeated');
    if ((s.no_speech_prob ?? 0) > 0.6 && (s.avg_logprob ?? 0) < -1) reasons[i]!.push(`probably no speech (no_speech_prob ${s.no_speech_prob!.toFixed(2)})`);
    if ((s.compression_ratio ?? 0) > 2.4) reasons[i]!.push(`repetitive text (compression ratio ${s.compression_ratio!.toFixed(2)})`);
  });
  return segments.map((s, i) => ({
    start: s.start,
    end: s.end,
    text: s.text.trim(),
    ...(reasons[i]!.length ? { suspect: reasons[i]!.join('; ') } : {}),
  }));
}
