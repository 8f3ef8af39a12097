/**
 * `render --export`: the cut handed to an editor. The clips the cut uses (the same choice as
 * render: approved takes, or the latest ones with autoApprove) and the song are copied into a
 * media folder beside the timeline file (`<name>_media/`), and the timeline (OTIO, CMX3600 EDL or
 * FCPXML) points at those copies by absolute path.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { AudioAnalysis } from '../analysis/model.ts';
import { OmveeError } from '../errors.ts';
import { cutTimeline, writeTimeline, type ExportFormat } from '../export/index.ts';
import type { Project } from '../model.ts';
import { materialize, scratch, type PipelineDeps } from './deps.ts';
import { chooseClips, refinishClip } from './render-step.ts';
import { clipFinishPlan } from './clips-step.ts';
import { listScenes } from './scenes-step.ts';
import { requireAudio } from './transcript-step.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface ExportOptions {
  format: ExportFormat;
  /** the timeline file to write */
  outPath: string;
  autoApprove: boolean;
  analysis?: AudioAnalysis | null;
}

export interface ExportOutcome {
  path: string;
  mediaDir: string;
  clips: number;
  markers: number;
}

export async function exportCut(deps: PipelineDeps, project: Project, options: ExportOptions): Promise<ExportOutcome> {
  const { audioPath } = requireAudio(project);
  const analysis = analysisOf(project, options.analysis);
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const clips = await chooseClips(deps, project, scenes, options.autoApprove);
  const out = resolve(options.outPath);
  const mediaDir = join(dirname(out), `${basename(out, extname(out))}_media`);
  await mkdir(mediaDir, { recursive: true });
  // the clips as the cut shows them: one whose burned finish (captions, visualizer) is not the
  // project's current one is re-finished like render does, into the media folder
  const prompts = new Map((await deps.store.list('scene_prompts', { where: { project_id: project.id } })).map((p) => [p.scene_id, p]));
  const plan = await clipFinishPlan(deps, project, scenes, prompts, { analysis });
  const clipPaths = new Map<string, string>();
  const work = await scratch(deps, 'export');
  try {
    for (const [i, clip] of clips.entries()) {
      const scene = scenes[i]!;
      const target = join(mediaDir, `scene-${String(i + 1).padStart(3, '0')}-take-${clip.take}.mp4`);
      const want = plan.byScene.get(scene.id);
      const source = want && (clip.finish_key ?? null) !== (want.key ?? null) ? await refinishClip(deps, project, scene, clip, want, work.dir, analysis) : await materialize(deps, clip.clip_path!);
      await copyFile(source, target);
      clipPaths.set(clip.id, target);
    }
  } finally {
    await work.cleanup();
  }
  const songTarget = join(mediaDir, `song${extname(project.audio_filename ?? audioPath) || '.audio'}`);
  await copyFile(await materialize(deps, audioPath), songTarget);
  const timeline = cutTimeline({ project, scenes, clips, clipPaths, songPath: songTarget, analysis });
  const tmp = `${out}.${randomUUID().slice(0, 8)}.partial`;
  try {
    await writeFile(tmp, writeTimeline(options.format, timeline), 'utf8');
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { path: out, mediaDir, clips: clips.length, markers: timeline.markers.length };
}
