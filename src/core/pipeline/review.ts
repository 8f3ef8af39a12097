/**
 * Reviewing clips: record an approval or rejection for the chosen clip of each scene. Every
 * scene is checked first, so either every decision is recorded or none.
 */
import { OmveeError } from '../errors.ts';
import type { Project, Scene, UserApproval, VideoClip } from '../model.ts';
import type { Store } from '../../store/port.ts';
import { listScenes } from './scenes-step.ts';
import { clipForScene, clipReviews, latestCompleted, pickScenes, sceneNumber } from './takes.ts';

export interface ReviewInput {
  /** 1-based scene numbers; every scene when empty */
  scenes: readonly number[] | undefined;
  decision: UserApproval['decision'];
  note: string | null;
  /** a specific take instead of the latest completed one */
  take?: number | undefined;
  /** approving a whole project approves takes the reviewer rejected too */
  force?: boolean | undefined;
}

export interface ReviewOutcome {
  reviewed: { scene: Scene; clip: VideoClip; approval: UserApproval }[];
  /** scenes left alone: approving the whole project skips takes the reviewer rejected (unless force) */
  skipped: { scene: Scene; clip: VideoClip; note: string | null }[];
}

export async function reviewClips(store: Store, project: Project, input: ReviewInput): Promise<ReviewOutcome> {
  const scenes = pickScenes(await listScenes({ store }, project.id), input.scenes);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const clips = await store.list('video_clips', { where: { project_id: project.id, status: 'completed' } });
  const chosen = scenes.map((scene) => {
    const forScene = clips.filter((c) => c.scene_id === scene.id);
    const clip = input.take === undefined ? latestCompleted(forScene) : forScene.find((c) => c.take === input.take) ?? null;
    if (!clip) {
      throw new OmveeError('invalid_input', `scene ${sceneNumber(scene)} has no ${input.take === undefined ? 'completed clip' : `completed take ${input.take}`}`, {
        hint: `generate it: omvee clips generate ${project.id} --scene ${sceneNumber(scene)}`,
      });
    }
    return { scene, clip };
  });
  // `clips approve <project>` with no scenes: a take the reviewer rejected stays rejected
  const whole = input.scenes === undefined || input.scenes.length === 0;
  const skipped: ReviewOutcome['skipped'] = [];
  let toRecord = chosen;
  if (whole && input.decision === 'approved' && input.force !== true) {
    const reviews = clipReviews(await store.list('user_approvals', { where: { project_id: project.id } }));
    toRecord = chosen.filter(({ scene, clip }) => {
      const last = reviews.get(clip.id);
      if (last?.decision !== 'rejected') return true;
      skipped.push({ scene, clip, note: last.note });
      return false;
    });
  }
  const approvals = toRecord.length === 0 ? [] : await store.insertMany(
    'user_approvals',
    toRecord.map(({ scene, clip }) => ({ project_id: project.id, scene_id: scene.id, clip_id: clip.id, image_id: clip.image_id, decision: input.decision, note: input.note })),
  );
  return { reviewed: toRecord.map((c, i) => ({ ...c, approval: approvals[i]! })), skipped };
}

/** Scene numbers whose clip would go into the cut only as "the latest take" (nobody approved or rejected it). */
export async function unreviewedScenes(store: Store, project: Project): Promise<number[]> {
  const [scenes, clips, approvals] = await Promise.all([
    listScenes({ store }, project.id),
    store.list('video_clips', { where: { project_id: project.id, status: 'completed' } }),
    store.list('user_approvals', { where: { project_id: project.id } }),
  ]);
  return scenes.filter((s) => clipForScene(s.id, clips.filter((c) => c.scene_id === s.id), approvals, false).reason === 'not approved').map((s) => sceneNumber(s));
}
