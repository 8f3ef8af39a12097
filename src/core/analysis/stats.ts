/** Small numeric helpers shared by the analysis modules (all NaN-safe: empty input gives 0). */

export function mean(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  const n = to - from;
  if (n <= 0) return 0;
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / n;
}

export function std(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / n);
}

export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  const a = Float64Array.from(xs).sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h]! : (a[h - 1]! + a[h]!) / 2;
}

export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return 0;
  const a = Float64Array.from(xs).sort();
  const i = Math.min(a.length - 1, Math.max(0, Math.round((p / 100) * (a.length - 1))));
  return a[i]!;
}

export const clamp01 = (x: number): number => (x > 0 ? (x < 1 ? x : 1) : 0);

/** Linear interpolation of xs at fractional index i (clamped). */
export function lerpAt(xs: ArrayLike<number>, i: number): number {
  if (xs.length === 0) return 0;
  if (i <= 0) return xs[0]!;
  const last = xs.length - 1;
  if (i >= last) return xs[last]!;
  const k = Math.floor(i);
  const f = i - k;
  return xs[k]! * (1 - f) + xs[k + 1]! * f;
}

/** Centred moving average with window `w` frames (edges use what exists). */
export function movingAverage(xs: ArrayLike<number>, w: number): Float64Array {
  const n = xs.length;
  const out = new Float64Array(n);
  const half = Math.max(0, Math.floor(w / 2));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + xs[i]!;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    out[i] = (prefix[b]! - prefix[a]!) / (b - a);
  }
  return out;
}

/** Rounds seconds to the millisecond (stored times read cleanly). */
export const ms = (t: number): number => Math.round(t * 1000) / 1000;
