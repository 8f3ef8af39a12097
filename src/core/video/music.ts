/**
 * What the picture takes from the music (the AudioAnalysis of the analyze step, when there is
 * one): the energy at a moment, a pace curve that makes the camera move faster where the song is
 * louder, and flashes on downbeats. Everything works without an analysis (then: no flashes, an
 * even pace).
 */
import type { AudioAnalysis, Section } from '../analysis/model.ts';
import type { BeatFlash } from '../captions/ass.ts';

/** Energy 0..1 at song time t (linear between samples), or null without an analysis. */
export function energyAt(analysis: AudioAnalysis | null | undefined, t: number): number | null {
  const e = analysis?.energy;
  if (!e || e.values.length === 0) return null;
  const x = t / e.hop_s;
  const i = Math.max(0, Math.min(e.values.length - 1, Math.floor(x)));
  const j = Math.min(e.values.length - 1, i + 1);
  const f = Math.max(0, Math.min(1, x - i));
  return e.values[i]! * (1 - f) + e.values[j]! * f;
}

/** Mean energy over [from, to), or null without an analysis. */
export function meanEnergy(analysis: AudioAnalysis | null | undefined, from: number, to: number): number | null {
  if (!analysis || analysis.energy.values.length === 0 || !(to > from)) return energyAt(analysis, from);
  const steps = Math.max(2, Math.min(200, Math.ceil((to - from) / analysis.energy.hop_s)));
  let sum = 0;
  for (let k = 0; k < steps; k++) sum += energyAt(analysis, from + ((to - from) * (k + 0.5)) / steps)!;
  return sum / steps;
}

/**
 * The camera's progress through a clip as knots: `knots + 1` values from 0 to 1 at evenly spaced
 * moments of [from, to); the progress grows faster where the energy is higher (speed ∝ 0.35 +
 * energy), so the move surges with the music. Null without an analysis (an even pace).
 */
export function paceCurve(analysis: AudioAnalysis | null | undefined, from: number, to: number, knots = 8): number[] | null {
  if (!analysis || analysis.energy.values.length === 0 || !(to > from)) return null;
  const speeds: number[] = [];
  for (let k = 0; k < knots; k++) speeds.push(0.35 + (meanEnergy(analysis, from + ((to - from) * k) / knots, from + ((to - from) * (k + 1)) / knots) ?? 0.5));
  const total = speeds.reduce((a, b) => a + b, 0);
  const out = [0];
  let acc = 0;
  for (const s of speeds) {
    acc += s;
    out.push(Math.round((acc / total) * 10000) / 10000);
  }
  out[out.length - 1] = 1;
  return out;
}

/** The section playing at song time t, or null. */
export function sectionAt(analysis: AudioAnalysis | null | undefined, t: number): Section | null {
  const sections = analysis?.sections ?? [];
  return sections.find((s) => t >= s.start_s && t < s.end_s) ?? sections[sections.length - 1] ?? null;
}

/**
 * Flashes on downbeats (soft, and only where the song has some energy) and a stronger one where
 * a section starts. Flashes closer than 0.3 s to the previous one are dropped.
 */
export function beatFlashes(analysis: AudioAnalysis | null | undefined): BeatFlash[] {
  if (!analysis) return [];
  const starts = new Set(analysis.sections.slice(1).map((s) => Math.round(s.start_s * 100)));
  const raw: BeatFlash[] = [];
  for (const s of analysis.sections.slice(1)) raw.push({ at: s.start_s, strength: 1 });
  for (const d of analysis.downbeats) {
    if (starts.has(Math.round(d * 100))) continue;
    const e = energyAt(analysis, d) ?? 0.5;
    if (e < 0.45) continue;
    raw.push({ at: d, strength: Math.min(0.6, (e - 0.45) * 1.2) });
  }
  raw.sort((a, b) => a.at - b.at || b.strength - a.strength);
  const out: BeatFlash[] = [];
  for (const f of raw) {
    const last = out[out.length - 1];
    if (last && f.at - last.at < 0.3) continue;
    out.push(f);
  }
  return out;
}
