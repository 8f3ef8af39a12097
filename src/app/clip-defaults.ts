/**
 * What the clip model decides for a new project when the user does not say (issue 11):
 *
 * - the house frame rate: an AI project renders at the rate its clip model makes (seedance: 24
 *   fps, from its published schema), so no frame of a clip is repeated (30 fps from a 24 fps clip
 *   repeats every fourth frame: judder); 30 fps when clips are local or the model does not say;
 * - the longest scene (--scene-max): the clip model's longest clip (seedance 12 s, kling 10 s), so
 *   a scene is one prediction whenever the song allows it.
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import { FRAME_RATES } from '../core/video/frame-format.ts';
import { DEFAULT_FRAME_RATE } from '../core/video/project-format.ts';
import { clipFactsOf, planProviders, type ProviderChoice } from './providers.ts';

/** omvee's frame rate when no clip model says otherwise. */
export const DEFAULT_HOUSE_FPS = DEFAULT_FRAME_RATE;

/** The house frame rate for a clip model that makes `clipFps` (null: unknown): its own rate when omvee renders at it. */
export function houseFpsForClipRate(clipFps: number | null | undefined): number {
  return clipFps != null && (FRAME_RATES as readonly number[]).includes(clipFps) ? clipFps : DEFAULT_HOUSE_FPS;
}

/** The clip model's facts (offline when its schema ships with omvee), null for local clips. */
async function plannerFor(config: ResolvedConfig, choice: ProviderChoice) {
  try {
    return await clipFactsOf(config, planProviders(config, choice));
  } catch {
    // a bad provider choice is reported by the command itself; defaults do not hide it
    return null;
  }
}

/**
 * The frame rate a project created now gets when the user gave none (no --fps): the clip
 * model's own rate when AI clips are configured (seedance → 24), else 30.
 */
export async function defaultProjectFps(config: ResolvedConfig, choice: ProviderChoice = {}): Promise<number> {
  return houseFpsForClipRate((await plannerFor(config, choice))?.fps);
}

/**
 * The scene-bound settings with the clip model's longest clip as the default longest scene
 * (when neither --scene-max nor OMVEE_SCENE_MAX is given and AI clips are configured); never
 * below the shortest scene. Pass the result where the settings go into sceneBounds().
 */
export async function sceneBoundSettings(config: ResolvedConfig, choice: ProviderChoice = {}, flags: { sceneMin?: number | undefined; sceneMax?: number | undefined } = {}): Promise<{ OMVEE_SCENE_MIN?: number | undefined; OMVEE_SCENE_MAX?: number | undefined }> {
  const v = config.values;
  const given = { OMVEE_SCENE_MIN: v.OMVEE_SCENE_MIN, OMVEE_SCENE_MAX: v.OMVEE_SCENE_MAX };
  if (flags.sceneMax !== undefined || v.OMVEE_SCENE_MAX !== undefined) return given;
  const longest = (await plannerFor(config, choice))?.maxDurationS ?? null;
  if (longest === null) return given;
  return { ...given, OMVEE_SCENE_MAX: Math.max(longest, flags.sceneMin ?? v.OMVEE_SCENE_MIN ?? 0) };
}
