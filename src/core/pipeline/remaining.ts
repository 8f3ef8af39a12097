/**
 * What is left to do on a project: the decisions behind `omvee run --project` (resume) and
 * `omvee run --detach` (queue the rest), in one place. Each step is needed when its work is
 * missing; clips always get one pass (it skips finished scenes and remakes outdated or
 * rejected ones); the final cut is redone when anything it was made from changed.
 */
import type { Store } from '../../store/port.ts';
import type { FinalVideo, Project } from '../model.ts';
import type { SceneBounds } from '../timeline/index.ts';
import type { JobType } from '../enums.ts';
import type { ChainLink } from './handlers.ts';
import { countScenesWithout } from './images-step.ts';


export interface RemainingOptions {
  bounds: SceneBounds;
  lyricsOverlay: boolean;
  /** a lyrics file already stored as the transcript source (else the transcriber runs) */
  lyricsSource?: { key: string; fileName: string } | undefined;
}

const ORDER: readonly JobType[] = ['transcribe', 'analyze_scenes', 'generate_prompts', 'generate_images', 'generate_clips', 'assemble_video'];

function link(type: JobType, options: RemainingOptions): ChainLink {
  switch (type) {
    case 'transcribe':
      return { type, payload: options.lyricsSource ? { mode: 'import', source_key: options.lyricsSource.key, file_name: options.lyricsSource.fileName } : { mode: 'provider' } };
    case 'analyze_scenes':
      return { type, payload: { scene_min: options.bounds.sceneMinS, scene_max: options.bounds.sceneMaxS } };
    case 'assemble_video':
      return { type, payload: { auto_approve: true, lyrics_overlay: options.lyricsOverlay } };
    default:
      return { type, payload: {} };
  }
}

async function needed(store: Store, project: Project, type: JobType, options: RemainingOptions): Promise<boolean> {
  const count = (table: 'selected_scenes' | 'scene_prompts') => store.count(table, { project_id: project.id });
  switch (type) {
    case 'transcribe':
      return project.transcript === null;
    case 'analyze_scenes':
      return (await count('selected_scenes')) === 0;
    case 'generate_prompts':
      return (await count('scene_prompts')) < (await count('selected_scenes'));
    case 'generate_images':
      return (await countScenesWithout({ store }, project.id, 'generated_images')) > 0;
    case 'generate_clips':
      return true;
    case 'assemble_video':
      return (await usableFinal(store, project.id, options.lyricsOverlay)) === null;
    default:
      return false;
  }
}

/**
 * The next step to run now, judged on the project as it is (call again after each step), or
 * null when the video is done. `ran` holds the steps this run already did (clips run once).
 */
export async function nextStep(store: Store, projectId: string, options: RemainingOptions, ran: ReadonlySet<JobType>): Promise<ChainLink | null> {
  const project = (await store.get('projects', projectId))!;
  for (const type of ORDER) {
    if (ran.has(type)) continue;
    if (await needed(store, project, type, options)) return link(type, options);
  }
  return null;
}

/**
 * The steps to queue for workers, decided now: the transcript and scenes only when missing;
 * prompts, images and clips always (each skips finished work); and a fresh final cut.
 */
export async function stepsToQueue(store: Store, project: Project, options: RemainingOptions): Promise<ChainLink[]> {
  const links: ChainLink[] = [];
  for (const type of ORDER) {
    if ((type === 'transcribe' || type === 'analyze_scenes') && !(await needed(store, project, type, options))) continue;
    links.push(link(type, options));
  }
  return links;
}

/**
 * A completed final video with the same overlay choice that nothing has changed since: no clip,
 * scene or review decision newer than it.
 */
export async function usableFinal(store: Store, projectId: string, lyricsOverlay: boolean): Promise<FinalVideo | null> {
  const finals = await store.list('final_videos', { where: { project_id: projectId, status: 'completed', lyrics_overlay: lyricsOverlay }, order: { column: 'created_at', ascending: false }, limit: 1 });
  const final = finals[0];
  if (!final) return null;
  for (const table of ['video_clips', 'selected_scenes', 'user_approvals'] as const) {
    const newest = (await store.list(table, { where: { project_id: projectId }, order: { column: 'updated_at', ascending: false }, limit: 1 }))[0];
    if (newest && Date.parse(newest.updated_at) > Date.parse(final.created_at)) return null;
  }
  return final;
}
