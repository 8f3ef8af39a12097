/** Replicate adapters: images, clips, cancel. */
export {
  cancelPrediction,
  createReplicateClipGenerator,
  createReplicateImageGenerator,
  DEFAULT_CLIP_MODEL,
  DEFAULT_IMAGE_MODEL,
} from './generators.ts';
export type { ReplicateClipGenerator, ReplicateClipOptions, ReplicateGeneratorOptions, ReplicateImageGenerator } from './generators.ts';
export type { ReplicateConnection } from './client.ts';
export { chooseClipDuration, clipModelLimits } from './inputs.ts';
