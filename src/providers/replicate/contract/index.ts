/**
 * Model contracts from Replicate itself: read a model's published input schema, derive what it
 * accepts, map omvee's requests onto its fields, and validate every input before anything paid
 * is created.
 */
export { deriveContract, resolutionPixels, type ContractFields, type DurationRule, type ModelContract } from './derive.ts';
export { allowedDurations, chooseDuration, longestDuration, planClipParts, type ClipPart, type DurationChoice } from './durations.ts';
export { FIXTURE_MODELS, fixtureContract, fixtureModelObject } from './fixtures.ts';
export { clipBilling, planClipPredictions, plannedBilling, type ClipScene, type PlannedPrediction } from './plan.ts';
export { mapClipRequest, mapImageRequest, type ClipRequest, type ImageRequest, type MappedInput } from './map.ts';
export { MAKER_LIMITS } from './maker-limits.ts';
export { parseModelObject, parseVersionObject, readInputSchema, type InputField, type InputSchema, type ModelObject, type VersionObject } from './openapi.ts';
export { cutToLength } from './prompt.ts';
export { chooseResolution, nearestAspectRatio } from './sizes.ts';
export {
  createContractSource,
  memoryContractCache,
  parseModelRef,
  storeContractCache,
  type CachedSchema,
  type ContractCache,
  type ContractSource,
  type ContractSourceOptions,
} from './source.ts';
export { assertValidInput, describeAllowed, validateInput, type InvalidField } from './validate.ts';
