/** Empty every omvee table and every stored object between tests (fast: no restart). */
import type { PostgrestDouble } from './server.ts';

export async function resetDouble(double: PostgrestDouble): Promise<void> {
  await double.db.asOwner(async (tx) => {
    await tx.exec(`truncate public.projects, public.artists, public.jobs, public.selected_scenes, public.scene_prompts,
      public.generated_images, public.video_clips, public.user_approvals, public.final_videos, public.model_contracts cascade;
      delete from storage.objects;`);
  });
}
