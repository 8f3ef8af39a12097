/**
 * Step 2 — scenes that cover the whole song: the director proposes, the timeline checks
 * (no gaps, no overlaps, bounds), anything broken is repaired deterministically, and the
 * scenes replace the old ones atomically. Never stored broken.
 */
import { projectKey } from '../../blobs/keys.ts';
import { removeTakeFiles } from '../audio.ts';
import { OmveeError } from '../errors.ts';
import type { SceneDraft } from '../../providers/ports.ts';
import type { Project, Scene } from '../model.ts';
import { analysisMatchesSongKey, storedAnalysis } from '../analysis/index.ts';
import type { AudioAnalysis } from '../analysis/index.ts';
import { repairScenes, validateScenes } from '../timeline/index.ts';
import { analyzeSong } from './analyze-step.ts';
import { followTheMusic } from './scene-cuts.ts';
import type { PipelineDeps } from './deps.ts';
import { requireAudio } from './transcript-step.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';

export interface SceneOptions {
  sceneMinS: number;
  sceneMaxS: number;
}

export async function selectScenes(deps: PipelineDeps, project: Project, options: SceneOptions, step: StepContext): Promise<{ scenes: Scene[]; model: string; costUsd: number; repaired: string[] }> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const { durationS } = requireAudio(project, scoped.scope);
  const analysis = await songAnalysis(deps, project, step);
  step.progress(5, `choosing scenes with the ${deps.providers.director.name} director`);
  const proposal = await deps.providers.director.selectScenes(
    { projectName: project.name, style: project.style, durationS, transcript: project.transcript, sceneMinS: options.sceneMinS, sceneMaxS: options.sceneMaxS, analysis },
    { signal: step.signal, log: deps.note ?? deps.log },
  );
  const bounds = { durationS, sceneMinS: options.sceneMinS, sceneMaxS: options.sceneMaxS };
  let drafts: SceneDraft[] = proposal.scenes;
  let repaired: string[] = [];
  const problems = validateScenes(drafts, bounds);
  if (problems.length > 0) {
    const fixed = repairScenes(drafts, bounds);
    drafts = fixed.scenes;
    repaired = problems;
    const still = validateScenes(drafts, { ...bounds, sceneMinS: 0, sceneMaxS: Number.POSITIVE_INFINITY });
    if (still.length > 0) throw new OmveeError('internal', `scene repair left problems: ${still.join('; ')}`);
  }
  if (drafts.length === 0) throw new OmveeError('internal', 'the director returned no scenes');
  if (analysis) {
    // every cut onto the beat (downbeats first, section boundaries always), energy from the audio
    const music = followTheMusic(drafts, { durationS, fps: project.fps, sceneMinS: options.sceneMinS, sceneMaxS: options.sceneMaxS, analysis, transcript: project.transcript });
    const still = validateScenes(music.scenes, { ...bounds, sceneMinS: 0, sceneMaxS: Number.POSITIVE_INFINITY });
    if (still.length > 0) throw new OmveeError('internal', `cutting on the beat left problems: ${still.join('; ')}`);
    drafts = music.scenes;
    for (const n of music.notes) (deps.note ?? deps.log)(n);
  }
  step.progress(80, 'saving scenes');
  const hadScenes = (await deps.store.count('selected_scenes', { project_id: project.id })) > 0;
  const scenes = await deps.store.replaceScenes(
    project.id,
    drafts.map((d, i) => ({
      project_id: project.id,
      order_idx: i,
      start_time_s: d.start_time_s,
      end_time_s: d.end_time_s,
      title: d.title,
      theme: d.theme,
      lyric_excerpt: d.lyric_excerpt,
      energy: d.energy,
      artist_role: d.artist_role ?? 'none',
      generated_by_model: proposal.model,
    })),
  );
  // the old scenes' takes went with them (cascade): their files go too
  if (hadScenes) await removeTakeFiles(deps.blobs, project.id);
  await deps.blobs.put(projectKey(project.id, 'scenes', 'scenes.json'), Buffer.from(JSON.stringify(scenes, null, 2)), { contentType: 'application/json' });
  await deps.store.update('projects', project.id, { status: 'scenes_selected' });
  return { scenes, model: proposal.model, costUsd: proposal.costUsd, repaired };
}

/**
 * The song's analysis for scene planning: the stored one when it belongs to the stored song, else
 * made now (a project analysed before the analyze step existed, or `scenes select` on its own).
 * A song that cannot be analysed is planned without it (a note says so), never a failure.
 */
async function songAnalysis(deps: PipelineDeps, project: Project, step: StepContext): Promise<AudioAnalysis | null> {
  if (analysisMatchesSongKey(project)) return storedAnalysis(project);
  try {
    return (await analyzeSong(deps, project, { signal: step.signal, progress: (p) => step.progress(Math.min(4, Math.round(p / 25)), 'listening to the song') })).analysis;
  } catch (error) {
    if (step.signal.aborted) throw error;
    (deps.note ?? deps.log)(`the song could not be analysed (${(error as Error).message}); scenes are not cut on its beats`);
    return null;
  }
}

export async function listScenes(deps: Pick<PipelineDeps, 'store'>, projectId: string): Promise<Scene[]> {
  return deps.store.list('selected_scenes', { where: { project_id: projectId }, order: { column: 'order_idx' } });
}
