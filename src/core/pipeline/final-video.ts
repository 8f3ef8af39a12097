/** Whether a project's last final cut still stands. */
import type { Store } from '../../store/port.ts';
import type { FinalVideo } from '../model.ts';

/**
 * A completed final video with the same overlay choice that nothing has changed since: no clip,
 * scene or review decision newer than it, and (given the project) made at its frame and frame rate.
 */
export async function usableFinal(store: Store, projectId: string, lyricsOverlay: boolean, frame?: { width: number; height: number; fps: number }): Promise<FinalVideo | null> {
  const finals = await store.list('final_videos', { where: { project_id: projectId, status: 'completed', lyrics_overlay: lyricsOverlay }, order: { column: 'created_at', ascending: false }, limit: 1 });
  const final = finals[0];
  if (!final) return null;
  if (frame && ((final.width !== null && final.width !== frame.width) || (final.height !== null && final.height !== frame.height) || (final.fps !== null && final.fps !== frame.fps))) return null;
  for (const table of ['video_clips', 'selected_scenes', 'user_approvals'] as const) {
    const newest = (await store.list(table, { where: { project_id: projectId }, order: { column: 'updated_at', ascending: false }, limit: 1 }))[0];
    if (newest && Date.parse(newest.updated_at) > Date.parse(final.created_at)) return null;
  }
  return final;
}

/** The newest completed final video of a project, whatever it was made from. */
export async function latestFinal(store: Store, projectId: string): Promise<FinalVideo | null> {
  return (await store.list('final_videos', { where: { project_id: projectId, status: 'completed' }, order: { column: 'created_at', ascending: false }, limit: 1 }))[0] ?? null;
}
