/** Beat- and bar-synchronous pooling of frame features. */
import { CHROMA_BINS } from './features.ts';

/** Mean of rows [from, to) of a frames × width matrix; empty ranges give zeros. */
export function poolRows(data: Float32Array, width: number, from: number, to: number, out: Float64Array = new Float64Array(width)): Float64Array {
  out.fill(0);
  const a = Math.max(0, Math.floor(from));
  const b = Math.min(data.length / width, Math.ceil(to));
  if (b <= a) return out;
  for (let r = a; r < b; r++) for (let c = 0; c < width; c++) out[c] = out[c]! + data[r * width + c]!;
  for (let c = 0; c < width; c++) out[c] = out[c]! / (b - a);
  return out;
}

export function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 1e-12) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Unit-norm chroma of each span [edges[i], edges[i+1]) in frames. */
export function spanChroma(chroma: Float32Array, edges: readonly number[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push(normalise(poolRows(chroma, CHROMA_BINS, edges[i]!, edges[i + 1]!)));
  return out;
}
