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

/** The command that fixes one failed scene (by the reason it failed), or null when none applies. */
export type SceneFix = (scene: Scene, error: unknown) => string | null;

/**
 * Throw one error naming the scenes that failed (the first error's code and hint). With `fix`,
 * each scene is listed with the command that fixes it, and the hint says how to resume.
 */
export function throwIfFailed(what: string, failed: BatchResult<unknown>['failed'], fix?: SceneFix, resume?: string): void {
  if (failed.length === 0) return;
  const first = failed[0]!.error;
  const shown = failed.slice(0, MAX_LISTED);
  const lines = shown.map(({ scene, error }) => {
    const command = fix?.(scene, error);
    return `scene ${sceneNumber(scene)}: ${error instanceof Error ? error.message : String(error)}${command ? ` (fix: ${command})` : ''}`;
  });
  if (failed.length > shown.length) lines.push(`and ${failed.length - shown.length} more`);
  const code = first instanceof OmveeError ? first.code : 'job_failed';
  const firstHint = first instanceof OmveeError && first.hint ? first.hint : 'fix the cause and run the same command again; finished scenes are kept';
  throw new OmveeError(code, `${what} failed for ${failed.length} scene${failed.length > 1 ? 's' : ''}: ${lines.join('; ')}`, {
    hint: resume ? resumeHint(firstHint, resume, failed.length) : firstHint,
    cause: first,
    // the hint's parts, so a caller that resumes another way (omvee run) says its own command
    details: { ...(resume ? { resume, causeHint: firstHint } : {}), scenes: failed.map(({ scene, error }) => ({ scene: sceneNumber(scene), reason: error instanceof OmveeError ? (error.details?.['reason'] ?? error.code) : 'error', message: error instanceof Error ? error.message : String(error), fix: fix?.(scene, error) ?? null })) },
  });
}

/** "fix the cause. Then `omvee … ` makes only the failed scenes; the others are kept." */
export function resumeHint(causeHint: string, resume: string, failedScenes: number): string {
  return `${causeHint} Then \`${resume}\` makes only the failed scene${failedScenes > 1 ? 's' : ''}; the others are kept.`;
}

/**
 * The fixing command of a failed paid take, from the reason its prediction failed (providers put
 * it in details.reason: safety, input, model, transient, canceled).
 */
export function takeFix(kind: 'images' | 'clips', projectId: string): SceneFix {
  return (scene, error) => {
    const reason = error instanceof OmveeError ? error.details?.['reason'] : undefined;
    const n = sceneNumber(scene);
    const again = `omvee ${kind} generate ${projectId} --scene ${n} --new-take`;
    if (error instanceof OmveeError && error.code === 'budget') return null;
    if (reason === 'safety') return `omvee scenes edit ${projectId} ${n} --theme "<gentler wording>"${kind === 'images' ? `, then omvee prompts generate ${projectId} --force` : ''}, then ${again}`;
    if (reason === 'input') return `check OMVEE_${kind === 'images' ? 'IMAGE' : 'CLIP'}_MODEL, then ${again}`;
    return again;
  };
}
