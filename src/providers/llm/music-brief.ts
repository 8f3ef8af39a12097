/**
 * What the LLM director is told about the music (the analyze step's result): tempo and meter,
 * the sections with their repeat labels and which is the chorus, and the energy under the song
 * every couple of seconds — so it plans scenes on the song's structure and knows how intense each
 * part is. Its cuts are moved onto the beats afterwards (src/core/pipeline/scene-cuts.ts).
 */
import type { AudioAnalysis } from '../../core/analysis/model.ts';
import type { Scene } from '../../core/model.ts';
import { sceneLooks } from '../../core/video/looks.ts';

/** Energy is listed at this spacing (seconds), at most MAX_VALUES values. */
const ENERGY_STEP_S = 2;
const MAX_VALUES = 240;

const fmt = (t: number): string => t.toFixed(2);
const e2 = (x: number): string => x.toFixed(2);

function energySamples(a: AudioAnalysis): { step: number; values: number[] } {
  const { hop_s, values } = a.energy;
  if (values.length === 0) return { step: ENERGY_STEP_S, values: [] };
  const step = Math.max(ENERGY_STEP_S, Math.ceil(a.duration_s / MAX_VALUES));
  const out: number[] = [];
  for (let t = 0; t < a.duration_s; t += step) {
    const from = Math.floor(t / hop_s);
    const to = Math.max(from + 1, Math.min(values.length, Math.floor((t + step) / hop_s)));
    let sum = 0;
    let n = 0;
    for (let i = from; i < to && i < values.length; i++, n++) sum += values[i]!;
    out.push(n ? sum / n : 0);
  }
  return { step, values: out };
}

/** The music block of the scene-selection prompt; [] without an analysis. */
export function musicLines(a: AudioAnalysis | null | undefined): string[] {
  if (!a) return [];
  const tempo = a.tempo_bpm === null ? 'no steady beat' : `${Math.round(a.tempo_bpm)} BPM${a.meter ? `, ${a.meter} beats per bar` : ''}`;
  const energy = energySamples(a);
  return [
    '',
    `The music, as heard from the audio: ${tempo}.${a.tempo_bpm !== null ? ' Your cuts will be moved onto the nearest beat or bar start, so plan cuts near section changes and bar starts.' : ''}`,
    `Sections (repeated material shares a label${a.chorus_label ? `; ${a.chorus_label} is the chorus` : ''}):`,
    ...a.sections.map((s) => `[${fmt(s.start_s)}–${fmt(s.end_s)}] ${s.label}${s.label === a.chorus_label ? ' (chorus)' : ''}, energy ${e2(s.energy)}`),
    ...(energy.values.length ? [`Energy every ${energy.step} s from 0 (0 = quiet, 1 = loudest): ${energy.values.map(e2).join(' ')}`] : []),
    '- start a new scene where a section starts; give each scene the energy of the music under it (from the lists above);',
    '- scenes in sections with the same label return to the same setting, palette and recurring subject, so the chorus is recognisable each time it comes back; say so in their theme (e.g. "chorus: neon rooftop").',
  ];
}

/** Per scene, the section label it belongs to (and whether it is the chorus), for prompt writing; null without an analysis. */
export function sceneSections(scenes: readonly Scene[], a: AudioAnalysis | null | undefined): ({ label: string; chorus: boolean } | null)[] | null {
  if (!a || a.sections.length === 0) return null;
  return sceneLooks(scenes, a).map((l) => (l.section ? { label: l.section, chorus: l.chorus } : null));
}

/** The prompt-writing rule for sections; [] without an analysis. */
export function motifLines(a: AudioAnalysis | null | undefined): string[] {
  if (!a || a.sections.length === 0) return [];
  return [
    `Scenes with the same section label share one visual motif — the same setting, colour palette and recurring subject — so ${a.chorus_label ? `the chorus (section ${a.chorus_label})` : 'a repeated section'} looks the same each time it returns; vary only the shot and framing. Different labels look different.`,
    'Motion follows the energy: low energy → slow, gentle camera and little movement; high energy → fast, energetic camera and vigorous movement. Say how intense the movement is in motion_prompt.',
  ];
}
