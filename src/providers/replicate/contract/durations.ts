/**
 * Clip lengths from a model's duration rule: the shortest allowed length at least as long as
 * the scene (seedance: the next whole second, 2–12), and for a scene longer than the model can
 * make, the cheapest set of predictions that covers it.
 */
import type { DurationRule } from './derive.ts';

const EPS = 1e-6;

/** Every length the rule allows, shortest first (a range enumerates its whole seconds). */
export function allowedDurations(rule: DurationRule | null): number[] {
  if (!rule) return [];
  if (rule.kind === 'enum') return [...rule.values];
  const out: number[] = [];
  for (let d = Math.ceil(rule.min - EPS); d <= rule.max + EPS; d++) out.push(d);
  return out;
}

export function longestDuration(rule: DurationRule | null): number | null {
  const all = allowedDurations(rule);
  return all.length ? all[all.length - 1]! : null;
}

export interface DurationChoice {
  durationS: number;
  /** true when even the longest allowed length is shorter than the scene */
  short: boolean;
}

/**
 * The shortest allowed length ≥ sceneS (a 7.3 s scene on seedance → 8); when none is long
 * enough, the longest. Without a rule (a model with no duration input): the scene rounded up.
 */
export function chooseDuration(sceneS: number, rule: DurationRule | null): DurationChoice {
  const all = allowedDurations(rule);
  if (all.length === 0) return { durationS: Math.ceil(sceneS - EPS), short: false };
  const fit = all.find((d) => d >= sceneS - EPS);
  return fit !== undefined ? { durationS: fit, short: false } : { durationS: all[all.length - 1]!, short: true };
}

export interface ClipPart {
  /** the length asked of the model */
  durationS: number;
  /** the part of the scene this prediction covers (the last one may be trimmed) */
  coversS: number;
}

/**
 * Predictions that together cover a scene at the least paid seconds: one when the model is long
 * enough, otherwise the fewest parts (ceil(scene / longest)), choosing lengths that minimise the
 * total paid and, among equal totals, keep the parts even. A 15 s scene on seedance (≤ 12 s)
 * becomes [8, 7] (15 s paid), on kling (5 / 10) [10, 5].
 */
export function planClipParts(sceneS: number, rule: DurationRule | null): ClipPart[] {
  const all = allowedDurations(rule);
  const longest = all[all.length - 1];
  if (longest === undefined || sceneS <= longest + EPS) return [{ durationS: chooseDuration(sceneS, rule).durationS, coversS: sceneS }];
  const count = Math.ceil(sceneS / longest - EPS);
  const descending = [...all].reverse();
  let best: number[] | null = null;
  let bestTotal = Infinity;
  let bestSpread = Infinity;
  // every non-increasing sequence of `count` allowed lengths (small: ≤ 11^4 for seedance)
  const walk = (chosen: number[], sum: number): void => {
    if (chosen.length === count) {
      if (sum < sceneS - EPS) return;
      const spread = chosen[0]! - chosen[chosen.length - 1]!;
      if (sum < bestTotal - EPS || (Math.abs(sum - bestTotal) < EPS && spread < bestSpread)) {
        best = [...chosen];
        bestTotal = sum;
        bestSpread = spread;
      }
      return;
    }
    for (const d of descending) {
      if (chosen.length > 0 && d > chosen[chosen.length - 1]!) continue;
      chosen.push(d);
      walk(chosen, sum + d);
      chosen.pop();
    }
  };
  if (count <= 4) walk([], 0);
  // longer scenes: even parts, each the shortest allowed length covering its share
  const lengths: number[] = best ?? Array.from({ length: count }, () => chooseDuration(sceneS / count, rule).durationS);
  const parts: ClipPart[] = [];
  let left = sceneS;
  for (const d of lengths) {
    const covers = Math.min(d, left);
    parts.push({ durationS: d, coversS: covers });
    left -= covers;
  }
  return parts;
}
