/**
 * Run one piece of work per scene with bounded concurrency. A failing scene does not stop the
 * others; the batch reports every failure at the end. An abort stops new work at once. Each
 * scene may report its own progress (0..1), so the batch's progress moves inside long scenes.
 */
import pLimit from 'p-limit';
import { OmveeError } from '../errors.ts';
import type { Scene } from '../model.ts';
import { trackSceneProgress } from './scene-progress.ts';
import { sceneNumber } from './takes.ts';

export interface BatchResult<T> {
  done: { scene: Scene; value: T }[];
  failed: { scene: Scene; error: unknown }[];
}

export async function forEachScene<T>(
  scenes: readonly Scene[],
  concurrency: number,
  signal: AbortSignal,
  work: (scene: Scene, progress: (fraction: number) => void) => Promise<T>,
  report?: (whole: number, finished: number, total: number) => void,
): Promise<BatchResult<T>> {
  const limit = pLimit(Math.max(1, concurrency));
  const result: BatchResult<T> = { done: [], failed: [] };
  const progress = trackSceneProgress(scenes.length, (whole, finished) => report?.(whole, finished, scenes.length));
  await Promise.all(
    scenes.map((scene) =>
      limit(async () => {
        if (signal.aborted) return;
        try {
          result.done.push({ scene, value: await work(scene, (fraction) => progress.update(scene.id, fraction)) });
        } catch (error) {
          result.failed.push({ scene, error });
        } finally {
          progress.settle(scene.id);
        }
      }),
    ),
  );
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new OmveeError('interrupted', 'interrupted');
  result.done.sort((a, b) => a.scene.order_idx - b.scene.order_idx);
  result.failed.sort((a, b) => a.scene.order_idx - b.scene.order_idx);
  return result;
}

/** How many failed scenes an error message names before it summarises the rest. */
const MAX_LISTED = 5;

/** Throw one error naming the scenes that failed (the first error's code and hint). */
export function throwIfFailed(what: string, failed: BatchResult<unknown>['failed']): void {
  if (failed.length === 0) return;
  const first = failed[0]!.error;
  const shown = failed.slice(0, MAX_LISTED);
  const lines = shown.map(({ scene, error }) => `scene ${sceneNumber(scene)}: ${error instanceof Error ? error.message : String(error)}`);
  if (failed.length > shown.length) lines.push(`and ${failed.length - shown.length} more`);
  const code = first instanceof OmveeError ? first.code : 'job_failed';
  throw new OmveeError(code, `${what} failed for ${failed.length} scene${failed.length > 1 ? 's' : ''}: ${lines.join('; ')}`, {
    hint: first instanceof OmveeError && first.hint ? first.hint : 'fix the cause and run the same command again; finished scenes are kept',
    cause: first,
  });
}
