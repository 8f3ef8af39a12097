/**
 * What omvee hears in a song: the result of the `analyze` step, stored with the project and read
 * by scene planning (cuts on beats), the directors (motifs for repeated sections, energy) and the
 * renderer (pulses on downbeats, motion speed). Times are seconds from the start of the song.
 *
 * This is the shared contract; the DSP that fills it lives beside it in src/core/analysis/.
 */
import { z } from 'zod';

const seconds = z.number().finite().nonnegative();
const unit = z.number().finite().min(0).max(1);

export const SectionSchema = z.object({
  start_s: seconds,
  end_s: seconds,
  /** repeated material shares a label: 'A', 'B', 'C' … in order of first appearance */
  label: z.string().min(1),
  /** mean energy of the section, 0..1 */
  energy: unit,
});
export type Section = z.infer<typeof SectionSchema>;

export const AudioAnalysisSchema = z.object({
  /** bump when the algorithm changes so stored analyses are redone */
  version: z.number().int().positive(),
  /** sha256 of the song file analysed: the step is idempotent per file */
  audio_sha256: z.string(),
  duration_s: seconds,
  /** null when no steady beat was found (see notes); cuts then fall on an even grid */
  tempo_bpm: z.number().finite().positive().nullable(),
  /** beat times, ascending */
  beats: z.array(seconds),
  /** bar starts (a subset of beats), ascending; empty when the meter is unclear */
  downbeats: z.array(seconds),
  /** beats per bar when clear (3, 4 …), else null */
  meter: z.number().int().positive().nullable(),
  /** sections covering [0, duration_s] in order, no gaps or overlaps */
  sections: z.array(SectionSchema),
  /** the label most likely to be the chorus, null when nothing repeats */
  chorus_label: z.string().nullable(),
  /** loudness/onset energy, normalised 0..1, one value every hop_s seconds from 0 */
  energy: z.object({ hop_s: z.number().finite().positive(), values: z.array(unit) }),
  /** regions with singing, when it can tell; null when unknown */
  vocal_activity: z.array(z.object({ start_s: seconds, end_s: seconds })).nullable(),
  /** peak |sample| (0..1) every hop_s seconds from 0, for drawing the waveform; absent in old analyses */
  waveform: z.object({ hop_s: z.number().finite().positive(), values: z.array(unit) }).optional(),
  /** plain-language notes for the user, e.g. "no steady beat found; cuts fall on an even grid" */
  notes: z.array(z.string()),
});
export type AudioAnalysis = z.infer<typeof AudioAnalysisSchema>;
