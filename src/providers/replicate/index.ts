/** Replicate adapters: images, clips, cancel. */
export {
  cancelPrediction,
  createReplicateClipGenerator,
  createReplicateImageGenerator,
} from './generators.ts';
export type { ReplicateClipOptions, ReplicateGeneratorOptions } from './generators.ts';
export type { ReplicateConnection } from './client.ts';
export { clipModelLimits } from './inputs.ts';
