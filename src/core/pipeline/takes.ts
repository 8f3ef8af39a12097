/**
 * Takes: every image and clip generated for a scene is kept as a numbered take. A rerun
 * reuses an unfinished take (re-attaching to its stored prediction) instead of starting a
 * second one, so killing a run at any moment never creates duplicates or pays twice.
 */
import { OmveeError } from '../errors.ts';
import type { GeneratedImage, Scene, TakeAttempt, UserApproval, VideoClip } from '../model.ts';
import type { Store } from '../../store/port.ts';

type TakeTable = 'generated_images' | 'video_clips';
type TakeRow<T extends TakeTable> = T extends 'generated_images' ? GeneratedImage : VideoClip;

export async function takesOf<T extends TakeTable>(store: Store, table: T, sceneId: string): Promise<TakeRow<T>[]> {
  const rows = await (store.list as (t: TakeTable, q: unknown) => Promise<unknown[]>)(table, { where: { scene_id: sceneId }, order: { column: 'take', ascending: false } });
  return rows as TakeRow<T>[];
}

/**
 * The take to work on for a scene: null when a completed take exists and no new one is asked
 * for; otherwise the latest unfinished take, or a new one numbered after the last.
 */
export async function takeToWorkOn<T extends TakeTable>(store: Store, table: T, scene: Scene, newTake: boolean): Promise<TakeRow<T> | null> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const rows = await takesOf(store, table, scene.id);
    const latest = rows[0];
    if (!newTake) {
      if (rows.some((r) => r.status === 'completed')) return null;
      if (latest) return latest;
    } else if (latest && latest.status !== 'completed') {
      return latest;
    }
    try {
      const inserted = await store.insert(table, { project_id: scene.project_id, scene_id: scene.id, take: (latest?.take ?? 0) + 1, status: 'pending' } as never);
      return inserted as TakeRow<T>;
    } catch (error) {
      // another process numbered the same take first: look again
      if (error instanceof OmveeError && error.code === 'conflict') continue;
      throw error;
    }
  }
  throw new OmveeError('conflict', `could not start a new take for scene ${scene.order_idx + 1}: too many concurrent writers`);
}

const sumUsd = (attempts: readonly TakeAttempt[]): number => Math.round(attempts.reduce((s, a) => s + a.cost_usd, 0) * 1e6) / 1e6;

/**
 * Append one paid attempt to a take and set the take's cost to the sum of all its attempts (so
 * failed attempts count toward the project's spend and --max-cost); an attempt already recorded
 * (same prediction, same outcome — a rerun re-attached to it) is not counted twice. Returns the new cost.
 */
export async function recordAttempt<T extends TakeTable>(store: Store, table: T, takeId: string, attempt: TakeAttempt): Promise<number> {
  const row = (await (store.get as (t: TakeTable, id: string) => Promise<TakeRow<T> | null>)(table, takeId)) as { attempts?: TakeAttempt[] | null } | null;
  // a rerun that re-attaches to a prediction already recorded with the same outcome replaces it (paid once)
  const attempts = [...(row?.attempts ?? []).filter((a) => !(attempt.prediction_id && a.prediction_id === attempt.prediction_id && a.status === attempt.status)), attempt];
  // spend that is not a prediction (the clip's motion prompt, written by the director) stays
  const other = Math.max(0, ((row as { cost_usd?: number | null } | null)?.cost_usd ?? 0) - sumUsd(row?.attempts ?? []));
  const cost = Math.round((sumUsd(attempts) + other) * 1e6) / 1e6;
  await (store.update as (t: TakeTable, id: string, patch: Record<string, unknown>) => Promise<unknown>)(table, takeId, { attempts, cost_usd: cost });
  return cost;
}

/** Every prediction of a scene's takes other than `takeId` (their final ids and every attempt). */
export async function otherTakesPredictionIds(store: Store, table: TakeTable, sceneId: string, takeId: string): Promise<string[]> {
  const rows = (await takesOf(store, table, sceneId)) as { id: string; prediction_id: string | null; attempts?: TakeAttempt[] | null }[];
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.id === takeId) continue;
    if (row.prediction_id) ids.add(row.prediction_id);
    for (const a of row.attempts ?? []) if (a.prediction_id) ids.add(a.prediction_id);
  }
  return [...ids];
}

/**
 * What a finished take cost: as recorded when the generator reported its attempts (their sum
 * plus other spend on the take, kept by recordAttempt); else the generator's figure plus what was
 * spent on the take before it ran (`spentBeforeUsd`, e.g. the motion prompt).
 */
export function takeCost(row: { attempts?: TakeAttempt[] | null; cost_usd?: number | null }, resultCostUsd: number, resultAttempts: readonly TakeAttempt[] | undefined, spentBeforeUsd = 0): number {
  if (resultAttempts && row.attempts && row.attempts.length > 0) return row.cost_usd ?? sumUsd(row.attempts);
  return Math.round((resultCostUsd + spentBeforeUsd) * 1e6) / 1e6;
}

/** The latest completed take of a scene, or null. */
export function latestCompleted<R extends { status: string; take: number }>(rows: readonly R[]): R | null {
  return [...rows].filter((r) => r.status === 'completed').sort((a, b) => b.take - a.take)[0] ?? null;
}

/**
 * The clip a scene is approved with: the clip of the scene's newest approval decision when
 * that decision is 'approved'; null when the newest decision rejects it or there is none.
 */
export function approvedClipId(approvals: readonly UserApproval[], sceneId: string): string | null | 'rejected' {
  const forScene = approvals.filter((a) => a.scene_id === sceneId && a.clip_id !== null).sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  const newest = forScene[0];
  if (!newest) return null;
  return newest.decision === 'approved' ? newest.clip_id : 'rejected';
}

/** The newest review of each clip (clips never reviewed are absent). */
export function clipReviews(approvals: readonly UserApproval[]): Map<string, UserApproval> {
  const newest = new Map<string, UserApproval>();
  for (const a of approvals) {
    if (a.clip_id === null) continue;
    const seen = newest.get(a.clip_id);
    if (!seen || a.created_at > seen.created_at) newest.set(a.clip_id, a);
  }
  return newest;
}

/**
 * The clip a scene goes into the cut with: the clip of the scene's newest decision when it is
 * an approval; otherwise, when auto-approving, the latest completed take nobody rejected.
 */
export function clipForScene<C extends { id: string; take: number; status: string }>(
  sceneId: string,
  clips: readonly C[],
  approvals: readonly UserApproval[],
  autoApprove: boolean,
): { clip: C | null; reason: 'approved' | 'auto' | 'rejected' | 'not approved' | 'no clip' } {
  const approved = approvedClipId(approvals, sceneId);
  if (approved !== null && approved !== 'rejected') {
    const clip = clips.find((c) => c.id === approved) ?? null;
    return clip ? { clip, reason: 'approved' } : { clip: null, reason: 'no clip' };
  }
  if (clips.length === 0) return { clip: null, reason: 'no clip' };
  const reviews = clipReviews(approvals);
  const unrejected = latestCompleted(clips.filter((c) => reviews.get(c.id)?.decision !== 'rejected'));
  if (autoApprove && unrejected) return { clip: unrejected, reason: 'auto' };
  return { clip: null, reason: unrejected ? 'not approved' : 'rejected' };
}

/** Human scene numbers are 1-based; order_idx is 0-based. */
export function sceneNumber(scene: Pick<Scene, 'order_idx'>): number {
  return scene.order_idx + 1;
}

export function pickScenes(scenes: readonly Scene[], numbers: readonly number[] | undefined): Scene[] {
  if (!numbers || numbers.length === 0) return [...scenes];
  const picked: Scene[] = [];
  for (const n of numbers) {
    const scene = scenes.find((s) => sceneNumber(s) === n);
    if (!scene) throw new OmveeError('usage', `no scene ${n} (this project has scenes 1–${scenes.length})`, { hint: 'see: omvee scenes list <project>' });
    if (!picked.includes(scene)) picked.push(scene);
  }
  return picked;
}
