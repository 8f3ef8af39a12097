/** Small questions scene planning and the directors ask of an analysis. */
import type { AudioAnalysis, Section } from './model.ts';
import { meanEnergy } from './energy.ts';

/** Mean energy (0..1) of [startS, endS), e.g. a scene's `energy`. */
export function energyBetween(a: Pick<AudioAnalysis, 'energy'>, startS: number, endS: number): number {
  return Math.round(meanEnergy(a.energy.values, a.energy.hop_s, startS, Math.max(startS, endS)) * 1000) / 1000;
}

/** The section playing at t (the last one for t at or past the end). */
export function sectionAt(a: Pick<AudioAnalysis, 'sections'>, t: number): Section | null {
  for (const s of a.sections) if (t >= s.start_s && t < s.end_s) return s;
  return a.sections[a.sections.length - 1] ?? null;
}

/** The section covering most of [startS, endS) — what a scene belongs to, for shared motifs. */
export function mainSection(a: Pick<AudioAnalysis, 'sections'>, startS: number, endS: number): Section | null {
  let best: Section | null = null;
  let bestOverlap = 0;
  for (const s of a.sections) {
    const o = Math.min(endS, s.end_s) - Math.max(startS, s.start_s);
    if (o > bestOverlap) {
      bestOverlap = o;
      best = s;
    }
  }
  return best ?? sectionAt(a, startS);
}
