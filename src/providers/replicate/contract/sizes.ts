/**
 * Sizes from a model's contract. The "p" of a resolution names the SHORT side of the frame
 * (720p is 1280×720 landscape and 720×1280 portrait), so a 720×1280 project is bought at 720p.
 */
import { isRatio } from './derive.ts';

/** The smallest allowed resolution whose short side covers the frame's short side (one rule, in core). */
export { chooseResolution } from '../../../core/cost/clip-plan.ts';

/** The allowed "w:h" closest to width:height (compared in log space); non-ratios are skipped. */
export function nearestAspectRatio(width: number, height: number, allowed: readonly string[]): string | undefined {
  const target = Math.log(width / height);
  let best: string | undefined;
  let bestDist = Infinity;
  for (const r of allowed) {
    if (!isRatio(r)) continue;
    const [w, h] = r.split(':').map(Number) as [number, number];
    const d = Math.abs(Math.log(w / h) - target);
    if (d < bestDist - 1e-12) {
      bestDist = d;
      best = r;
    }
  }
  return best;
}
