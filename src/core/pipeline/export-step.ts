/**
 * `render --export`: the cut handed to an editor. The clips the cut uses (the same choice as
 * render: approved takes, or the latest ones with autoApprove) and the song are copied into a
 * media folder beside the timeline file (`<name>_media/`), and the timeline (OTIO, CMX3600 EDL or
 * FCPXML) points at those copies by absolute path.
 */
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { AudioAnalysis } from '../analysis/model.ts';
import { OmveeError } from '../errors.ts';
import { cutTimeline, writeTimeline, type ExportFormat } from '../export/index.ts';
import type { Project } from '../model.ts';
import { materialize, type PipelineDeps } from './deps.ts';
import { chooseClips } from './render-step.ts';
import { listScenes } from './scenes-step.ts';
import { requireAudio } from './transcript-step.ts';

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
  const scenes = await listScenes(deps, project.id);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const clips = await chooseClips(deps, project, scenes, options.autoApprove);
  const out = resolve(options.outPath);
  const mediaDir = join(dirname(out), `${basename(out, extname(out))}_media`);
  await mkdir(mediaDir, { recursive: true });
  const clipPaths = new Map<string, string>();
  for (const [i, clip] of clips.entries()) {
    const target = join(mediaDir, `scene-${String(i + 1).padStart(3, '0')}-take-${clip.take}.mp4`);
    await copyFile(await materialize(deps, clip.clip_path!), target);
    clipPaths.set(clip.id, target);
  }
  const songTarget = join(mediaDir, `song${extname(project.audio_filename ?? audioPath) || '.audio'}`);
  await copyFile(await materialize(deps, audioPath), songTarget);
  const timeline = cutTimeline({ project, scenes, clips, clipPaths, songPath: songTarget, analysis: options.analysis ?? null });
  const tmp = `${out}.${process.pid}.partial`;
  try {
    await writeFile(tmp, writeTimeline(options.format, timeline), 'utf8');
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { path: out, mediaDir, clips: clips.length, markers: timeline.markers.length };
}
