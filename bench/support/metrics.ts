/** Accuracy measures of the analysis bench (MIREX conventions). */

/** F-measure of estimated event times against annotations: one-to-one matches within ±tol s. */
export function fMeasure(estimated: readonly number[], reference: readonly number[], tol = 0.07): { f: number; precision: number; recall: number } {
  if (reference.length === 0 && estimated.length === 0) return { f: 1, precision: 1, recall: 1 };
  if (reference.length === 0 || estimated.length === 0) return { f: 0, precision: 0, recall: 0 };
  const est = [...estimated].sort((a, b) => a - b);
  const ref = [...reference].sort((a, b) => a - b);
  let i = 0;
  let j = 0;
  let hits = 0;
  // greedy two-pointer matching is optimal for 1-D intervals of equal width
  while (i < est.length && j < ref.length) {
    const d = est[i]! - ref[j]!;
    if (Math.abs(d) <= tol) {
      hits += 1;
      i += 1;
      j += 1;
    } else if (d < 0) i += 1;
    else j += 1;
  }
  const precision = hits / est.length;
  const recall = hits / ref.length;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { f, precision, recall };
}

/** How many reference boundaries have an estimated boundary within tol seconds (inclusive, 10 ms slack for rounding), and the extras. */
export function boundaryHits(estimated: readonly number[], reference: readonly number[], tolFor: (t: number) => number): { found: number; total: number; extra: number } {
  const used = new Set<number>();
  let found = 0;
  for (const r of reference) {
    let best = -1;
    let bestD = Infinity;
    estimated.forEach((e, k) => {
      const d = Math.abs(e - r);
      if (!used.has(k) && d <= tolFor(r) + 0.01 && d < bestD) {
        best = k;
        bestD = d;
      }
    });
    if (best >= 0) {
      used.add(best);
      found += 1;
    }
  }
  return { found, total: reference.length, extra: estimated.length - used.size };
}
