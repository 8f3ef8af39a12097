/**
 * Plain lyrics without times: every non-empty line gets an equal share of the song, with a
 * small gap between lines. Section markers on their own line ("[Chorus]", "[Verse 2]") are not
 * sung and are skipped.
 */
import { OmveeError } from '../errors.ts';
import { roundMs } from './time.ts';
import type { ParserOutput, RawSegment } from './types.ts';

/** Gap between consecutive lines: 0.2 s, or a tenth of a line's slot when lines are short. */
const LINE_GAP_S = 0.2;

export function parsePlainText(text: string, durationS: number | null): ParserOutput {
  const warnings: string[] = [];
  const all = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l.length > 0);
  const lines = all.filter((l) => !/^\[[^\]]*\]$/.test(l));
  if (lines.length < all.length) warnings.push(`skipped ${all.length - lines.length} section marker line(s) like "[Chorus]"`);
  if (lines.length === 0) return { segments: [], warnings };
  if (durationS === null || !Number.isFinite(durationS) || durationS <= 0) {
    throw new OmveeError('invalid_input', 'plain-text lyrics have no times, so the song duration is needed to place them', {
      hint: 'Upload the audio first (its duration is probed), or import timed lyrics (LRC, SRT, VTT, Whisper JSON).',
    });
  }
  const slot = durationS / lines.length;
  const gap = Math.min(LINE_GAP_S, slot / 10);
  const segments: RawSegment[] = lines.map((line, i) => ({
    start: roundMs(i * slot + (i === 0 ? 0 : gap / 2)),
    end: roundMs(i === lines.length - 1 ? durationS : (i + 1) * slot - gap / 2),
    text: line,
  }));
  warnings.push(`plain-text lyrics: ${lines.length} line(s) spread evenly over the song (times are estimates)`);
  return { segments, warnings };
}
