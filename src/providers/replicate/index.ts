/** Replicate adapters: images, clips, cancel; model contracts from published schemas. */
export {
  cancelPrediction,
  createReplicateClipGenerator,
  createReplicateImageGenerator,
} from './generators.ts';
export type { ReplicateClipOptions, ReplicateGeneratorOptions } from './generators.ts';
export type { ReplicateConnection } from './client.ts';
export { clipModelLimits } from './inputs.ts';
export { createContractSource, storeContractCache, type ContractCache, type ContractSource } from './contract/source.ts';
