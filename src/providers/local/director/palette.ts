/** Deterministic colour palettes: theme hues, nudged by the style and the scene index. */
import { hash32 } from './hash.ts';
import type { Theme } from './themes.ts';

function hslToHex(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const sat = Math.min(1, Math.max(0, s));
  const lig = Math.min(1, Math.max(0, l));
  const c = (1 - Math.abs(2 * lig - 1)) * sat;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = lig - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  const hex = (v: number): string => Math.round((v + m) * 255).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

const TONES: Record<Theme['tone'], { s: number; l: readonly number[] }> = {
  dark: { s: 0.55, l: [0.12, 0.28, 0.45, 0.62, 0.2] },
  warm: { s: 0.7, l: [0.3, 0.5, 0.65, 0.8, 0.42] },
  cool: { s: 0.5, l: [0.25, 0.45, 0.62, 0.82, 0.35] },
  bright: { s: 0.65, l: [0.45, 0.6, 0.75, 0.88, 0.52] },
};

/** 3–5 hex colours, dark to light, the same for the same theme, style and index. */
export function makePalette(theme: Theme, style: string | null, index: number, energy: number): string[] {
  const seed = hash32('palette', theme.name, style ?? '', index);
  const count = 3 + (seed % 3);
  const shift = ((seed >>> 3) % 31) - 15; // −15°…+15°
  const tone = TONES[theme.tone];
  const sat = tone.s + (Math.min(1, Math.max(0, energy)) - 0.5) * 0.3;
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const hue = theme.hues[k % theme.hues.length]! + shift + (k >= theme.hues.length ? 20 : 0);
    out.push(hslToHex(hue, sat, tone.l[k]!));
  }
  return out;
}
