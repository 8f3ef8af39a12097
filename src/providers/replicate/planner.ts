/**
 * The clip planner `--dry-run` and `--max-cost` price with: the clip generator's own plan
 * (contract/plan.ts) from the same contract source — online the model's live published schema
 * (what the generator will read), offline the schema shipped with omvee — so the estimate of a
 * scene is the cost of exactly the predictions that will be created for it.
 */
import type { ClipPlanner } from '../registry.ts';
import { createReplicateClient, type ReplicateConnection } from './client.ts';
import { longestDuration } from './contract/durations.ts';
import { plannedBilling } from './contract/plan.ts';
import { createContractSource } from './contract/source.ts';

export async function replicateClipPlanner(model: string, conn: ReplicateConnection | null, signal?: AbortSignal): Promise<ClipPlanner> {
  const source = createContractSource(conn ? { client: () => createReplicateClient({ ...conn, requestTimeoutMs: conn.requestTimeoutMs ?? 20_000, retry: conn.retry ?? { maxAttempts: 2 } }) } : {});
  let contract;
  try {
    contract = await source.get(model, signal);
  } catch {
    contract = null;
  }
  if (!contract || contract.kind !== 'video') {
    // nothing known about the model: whole seconds covering the scene
    return { model, maxDurationS: null, fps: null, predictions: (s) => [{ videoSeconds: Math.ceil(s.frameCount / s.fps - 1e-6), resolution: undefined }] };
  }
  const found = contract;
  return {
    model,
    maxDurationS: found.fields.duration ? longestDuration(found.durations) : null,
    fps: found.fps[0] ?? null,
    predictions: (scene) => plannedBilling(found, scene),
  };
}
