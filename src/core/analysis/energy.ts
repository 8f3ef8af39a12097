/**
 * The energy curve: loudness (mean power of the frames, in dB, over 1.5 s) every hop_s, mapped to 0..1 between
 * a floor 36 dB under the song's loud level (its 95th percentile) and that level. Silence is 0;
 * a quiet breakdown sits well under a chorus.
 */
import { clamp01, percentile } from './stats.ts';

export const ENERGY_HOP_S = 0.5;
/** Loudness is measured over this much audio centred on each hop. */
const SMOOTH_S = 1.5;
const RANGE_DB = 36;
/** Absolute floor: below −70 dBFS is silence whatever the song's level. */
const SILENCE_DB = -70;

export function energyCurve(rms: Float32Array, frameRate: number, durationS: number, hopS = ENERGY_HOP_S): number[] {
  const count = Math.max(1, Math.ceil(durationS / hopS - 1e-9));
  const db: number[] = [];
  // each value is the loudness of the SMOOTH_S around its hop, so single kicks do not make it jump
  const spread = Math.max(0, (SMOOTH_S - hopS) / 2);
  for (let i = 0; i < count; i++) {
    const a = Math.max(0, Math.floor((i * hopS - spread) * frameRate));
    const b = Math.min(rms.length, Math.max(a + 1, Math.floor(((i + 1) * hopS + spread) * frameRate)));
    let e = 0;
    let n = 0;
    for (let k = a; k < b; k++) {
      e += rms[k]! * rms[k]!;
      n += 1;
    }
    db.push(n > 0 ? 10 * Math.log10(e / n + 1e-12) : -120);
  }
  const loud = percentile(db, 95);
  if (loud <= SILENCE_DB) return db.map(() => 0);
  const floor = Math.max(SILENCE_DB, loud - RANGE_DB);
  return db.map((d) => Math.round(clamp01((d - floor) / (loud - floor)) * 1000) / 1000);
}

/** Mean of the curve over [a, b) seconds (0 when empty). */
export function meanEnergy(values: readonly number[], hopS: number, a: number, b: number): number {
  const i0 = Math.max(0, Math.floor(a / hopS));
  const i1 = Math.min(values.length, Math.max(i0 + 1, Math.ceil(b / hopS)));
  let s = 0;
  for (let i = i0; i < i1; i++) s += values[i]!;
  return i1 > i0 ? clamp01(s / (i1 - i0)) : 0;
}
