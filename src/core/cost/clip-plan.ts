/**
 * What to ask a video model for, given what it allows: the clip duration for a scene and the
 * resolution for a frame size. Pure choices shared by the generators and the cost planner, so an
 * estimate prices exactly what would be sent.
 */

/**
 * The smallest allowed duration at least as long as the scene; when the scene is longer than
 * the model can make, its longest (the pipeline's normalize step holds the last frame).
 */
export function chooseClipDuration(sceneS: number, allowed: readonly number[]): { durationS: number; short: boolean } {
  const sorted = [...allowed].sort((a, b) => a - b);
  const fit = sorted.find((d) => d >= sceneS - 1e-6);
  if (fit !== undefined) return { durationS: fit, short: false };
  return { durationS: sorted[sorted.length - 1] ?? Math.ceil(sceneS), short: true };
}

/**
 * The model resolution for a frame: "720p" names the SHORT side, so a 720×1280 (9:16) frame is
 * 720p. The smallest allowed resolution at least as large as the short side, else the largest.
 */
export function chooseResolution(width: number, height: number, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const shortSide = Math.min(width, height);
  const withPx = allowed.map((r) => ({ r, px: Number.parseInt(r, 10) })).filter((x) => Number.isFinite(x.px)).sort((a, b) => a.px - b.px);
  if (withPx.length === 0) return undefined;
  return (withPx.find((x) => x.px >= shortSide) ?? withPx[withPx.length - 1])!.r;
}
