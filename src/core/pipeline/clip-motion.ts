/**
 * The motion prompt of a clip take, written by the director right before the clip is made,
 * when its still exists (a vision director looks at it; others work from the image prompt).
 *
 * Kept on the take (video_clips.motion_prompt) with what it cost added to the take's cost, so
 * a rerun of the same take reuses it and pays nothing again. A new take after a rejection gets
 * a fresh motion that is told the reviewer's note and the rejected take's motion.
 * When the director cannot write one (provider down), the motion written with the prompts is
 * used instead, with a note: a clip is never lost over its motion text.
 */
import { roundUsd } from '../cost/prices.ts';
import { OmveeError } from '../errors.ts';
import type { GeneratedImage, Project, Scene, ScenePrompt, VideoClip } from '../model.ts';
import { materialize, type PipelineDeps } from './deps.ts';
import { clipReviews, sceneNumber, takesOf } from './takes.ts';

export interface TakeMotion {
  motionPrompt: string | null;
  /** the take as stored after the motion was written (its cost includes the motion's) */
  take: VideoClip;
}

/** The reviewer's note and motion of the newest rejected take before `take`, if any. */
async function rejectedBefore(deps: Pick<PipelineDeps, 'store'>, scene: Scene, take: VideoClip): Promise<{ note: string | null; motionPrompt: string | null } | null> {
  const approvals = await deps.store.list('user_approvals', { where: { project_id: scene.project_id, scene_id: scene.id } });
  const reviews = clipReviews(approvals);
  const earlier = (await takesOf(deps.store, 'video_clips', scene.id)).filter((t) => t.take < take.take).sort((a, b) => b.take - a.take);
  for (const t of earlier) {
    const review = reviews.get(t.id);
    if (review?.decision === 'rejected') return { note: review.note?.trim() || null, motionPrompt: t.motion_prompt };
  }
  return null;
}

export async function motionForTake(deps: PipelineDeps, project: Project, scene: Scene, image: GeneratedImage, prompt: ScenePrompt | null, take: VideoClip, signal: AbortSignal): Promise<TakeMotion> {
  if (take.motion_prompt && take.image_id === image.id) return { motionPrompt: take.motion_prompt, take };
  const director = deps.providers.director;
  try {
    const written = await director.writeMotion(
      {
        projectName: project.name,
        style: project.style,
        scene,
        prompt,
        imagePath: await materialize(deps, image.image_path!),
        durationS: scene.end_time_s - scene.start_time_s,
        rejected: await rejectedBefore(deps, scene, take),
      },
      { signal, log: deps.note ?? deps.log },
    );
    const stored = await deps.store.update('video_clips', take.id, {
      motion_prompt: written.motion_prompt,
      image_id: image.id,
      cost_usd: roundUsd((take.cost_usd ?? 0) + written.costUsd),
    });
    return { motionPrompt: written.motion_prompt, take: stored };
  } catch (error) {
    if (signal.aborted || (error instanceof OmveeError && (error.code === 'interrupted' || error.code === 'aborted'))) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    deps.log(`scene ${sceneNumber(scene)}: the ${director.name} director wrote no motion for the still (${reason}); using the motion written with the prompts`);
    // what the failed attempt was charged still counts on the take
    const spent = error instanceof OmveeError && typeof error.details?.['costUsd'] === 'number' ? error.details['costUsd'] : 0;
    const stored = spent > 0 ? await deps.store.update('video_clips', take.id, { cost_usd: roundUsd((take.cost_usd ?? 0) + spent) }) : take;
    return { motionPrompt: prompt?.motion_prompt ?? null, take: stored };
  }
}
