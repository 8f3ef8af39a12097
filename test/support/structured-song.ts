/**
 * A short synthetic song with known beats, bars and sections (intro / verse / chorus / verse /
 * chorus / outro, repeats sharing their material), written as a WAV for tests. It is made by the
 * bench's synthesiser (bench/support/synth-songs.ts), the one bench/analysis.ts measures on.
 */
import { writeFile } from 'node:fs/promises';
import { renderSong, wavBytes } from '../../bench/support/synth-songs.ts';
import type { SectionSpec, SongSpec, SongTruth } from '../../bench/support/synth-songs.ts';

const part = (name: string, bars: number, bpm: number, chords: string[], extra: Partial<SectionSpec> = {}): SectionSpec => ({
  name, bars, bpm, chords, drums: 'full', bass: true, arp: true, pad: true, lead: null, gain: 1, ...extra,
});

/** 40 bars at `bpm` (74 s at 130): intro 4, verse 8, chorus 8, verse 8, chorus 8, outro 4 (sections are found at 8 bars and more). */
export function structuredSpec(bpm = 130): SongSpec {
  const verse = { lead: 'verse', arp: false, drums: 'light' as const, gain: 0.7 };
  const chorus = { lead: 'chorus', crash: true, leadUp: true };
  return {
    id: 'e2e-structured',
    what: 'intro/verse/chorus/verse/chorus/outro',
    seed: 5,
    sections: [
      part('intro', 4, bpm, ['Am', 'F', 'C', 'G'], { drums: 'hats', bass: false, gain: 0.6 }),
      part('verse', 8, bpm, ['Am', 'Am', 'F', 'G'], verse),
      part('chorus', 8, bpm, ['C', 'G', 'Dm', 'F'], chorus),
      part('verse', 8, bpm, ['Am', 'Am', 'F', 'G'], verse),
      part('chorus', 8, bpm, ['C', 'G', 'Dm', 'F'], chorus),
      part('outro', 4, bpm, ['F', 'G', 'C', 'C'], { drums: 'none', gain: 0.55 }),
    ],
  };
}

/** Writes the song to `file` (16-bit mono WAV, 44.1 kHz) and returns its ground truth. */
export async function writeStructuredSong(file: string, bpm = 130): Promise<SongTruth> {
  const { samples, truth } = renderSong(structuredSpec(bpm), 44100);
  await writeFile(file, wavBytes(samples, 44100));
  return truth;
}
