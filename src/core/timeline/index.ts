/** Timeline math: frame boundaries, scene validation, planning, repair and editing. */
export { frameBoundary, sceneFrameCounts, totalFrames } from './frames.ts';
export type { TimeSpan } from './frames.ts';
export {
  DEFAULT_SCENE_MAX_S,
  DEFAULT_SCENE_MIN_S,
  SCENE_MAX_LIMIT_S,
  TIME_EPS,
  feasibleSceneCount,
  isPartitionFeasible,
  leastViolatingSceneCount,
  naturalSceneCount,
  targetSceneCount,
  validateSceneBounds,
} from './bounds.ts';
export type { SceneBounds } from './bounds.ts';
export { validateScenes } from './validate.ts';
export type { ValidateScenesOptions } from './validate.ts';
export { EXCERPT_SEPARATOR, planScenes } from './plan.ts';
export type { PlanScenesInput, PlannedScene } from './plan.ts';
export { repairScenes } from './repair.ts';
export type { RepairScenesOptions, RepairScenesResult } from './repair.ts';
export { ADJUST_MIN_SCENE_S, adjustScene } from './adjust.ts';
export type { AdjustSceneOptions } from './adjust.ts';
export { snapCuts } from './snap.ts';
export type { SnapCutsInput, SnapCutsResult, SnapMusic } from './snap.ts';
