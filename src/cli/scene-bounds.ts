/** --scene-min/--scene-max from flags, then config, then defaults (5 and 10). */
import type { ResolvedConfig } from '../config/resolve.ts';
import { validateSceneBounds, type SceneBounds } from '../core/timeline/index.ts';

function num(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? Number.NaN : Number(text);
}

export function sceneBoundsFrom(options: Record<string, unknown>, config: ResolvedConfig): SceneBounds {
  return validateSceneBounds(num(options.sceneMin) ?? config.values.OMVEE_SCENE_MIN, num(options.sceneMax) ?? config.values.OMVEE_SCENE_MAX);
}
