/**
 * Per-scene detail of a job for `jobs show`: for image and clip jobs, the newest take of each
 * scene of the project (status, take, model, prediction, cost, error), so an operator sees
 * which scenes are done, in flight or failed.
 */
import type { Store } from '../../store/port.ts';
import type { Job } from '../model.ts';

export interface SceneDetail {
  scene: number;
  take: number | null;
  status: string;
  model: string | null;
  prediction_id: string | null;
  cost_usd: number | null;
  error: string | null;
}

export async function sceneDetail(store: Store, job: Job): Promise<SceneDetail[] | null> {
  if (!job.project_id || (job.type !== 'generate_images' && job.type !== 'generate_clips')) return null;
  const table = job.type === 'generate_images' ? 'generated_images' : 'video_clips';
  const [scenes, takes] = await Promise.all([
    store.list('selected_scenes', { where: { project_id: job.project_id }, order: { column: 'order_idx' } }),
    store.list(table, { where: { project_id: job.project_id }, order: { column: 'take', ascending: false } }),
  ]);
  return scenes.map((scene) => {
    const newest = takes.find((t) => t.scene_id === scene.id);
    return {
      scene: scene.order_idx + 1,
      take: newest?.take ?? null,
      status: newest?.status ?? 'none',
      model: newest?.model ?? null,
      prediction_id: newest?.prediction_id ?? null,
      cost_usd: newest?.cost_usd ?? null,
      error: newest?.error ?? null,
    };
  });
}
