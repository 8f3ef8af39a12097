/**
 * The whole pipeline for one song, resumable: every step is skipped when its work is already
 * done, so `omvee run --project <id>` after an interruption finishes without redoing anything.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CliContext } from '../../cli/context.ts';
import { deliver } from '../../cli/deliver.ts';
import { OmveeError } from '../../cli/errors.ts';
import type { Pipeline } from '../../cli/pipeline.ts';
import { createProjectWithSong } from '../../core/audio.ts';
import { storeLyricsSource } from '../../core/pipeline/transcript-step.ts';
import { parseLyrics } from '../../core/lyrics/index.ts';
import type { FinalVideo, Project } from '../../core/model.ts';
import { countScenesWithout } from '../../core/pipeline/images-step.ts';
import { resolveProject } from '../../core/projects.ts';
import type { SceneBounds } from '../../core/timeline/index.ts';
import { roundUsd } from '../../providers/cost.ts';

export interface WholeRunInput {
  audio?: string;
  lyrics?: string | undefined;
  name?: string;
  style?: string | null;
  projectRef?: string;
  out: string | undefined;
  bounds: SceneBounds;
  lyricsOverlay: boolean;
}

export interface WholeRunSummary {
  project_id: string;
  name: string;
  output: string | null;
  video_path: string;
  final_video_id: string;
  duration_s: number;
  frame_count: number;
  fps: number;
  scenes: number;
  images: number;
  clips: number;
  cost_usd: number;
  elapsed_s: number;
  resumed: boolean;
  steps: Record<string, number>;
}

export async function runWhole(ctx: CliContext, pipeline: Pipeline, input: WholeRunInput): Promise<WholeRunSummary> {
  const started = performance.now();
  const { store, blobs } = pipeline.services;
  const media = pipeline.deps.media;
  const steps: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      steps[name] = Math.round(performance.now() - t0) / 1000;
    }
  };

  let project: Project;
  const resumed = input.projectRef !== undefined;
  let lyricsBytes: Buffer | null = null;
  if (input.projectRef !== undefined) {
    project = await resolveProject(store, input.projectRef);
    if (!project.audio_path) throw new OmveeError('invalid_input', `project ${project.name} has no song`, { hint: `upload one: omvee upload audio ${project.id} song.mp3` });
    ctx.info(`resuming ${project.name} (${project.id}), status ${project.status}`);
  } else {
    // everything about the inputs is checked before the project exists
    const probe = await media.probeAudio(input.audio!);
    if (input.lyrics !== undefined) {
      lyricsBytes = await readFile(input.lyrics);
      // validate only: the transcript step reports the warnings (printing them here too doubled them)
      parseLyrics(lyricsBytes, { durationS: probe.durationS, fileName: basename(input.lyrics) });
    }
    project = await timed('upload', () => createProjectWithSong({ store, blobs, media }, { name: input.name!, style: input.style ?? null }, input.audio!, probe));
    ctx.info(`project ${project.name} (${project.id})`);
  }

  if (resumed && input.lyrics !== undefined && project.transcript) {
    ctx.warn(`--lyrics ignored: ${project.name} already has a transcript (replace it with: omvee transcript import ${project.id} ${input.lyrics})`);
  }
  let final: FinalVideo | null;
  let sceneCount = 0;
  try {
    if (!project.transcript) {
      if (input.lyrics !== undefined) {
        lyricsBytes ??= await readFile(input.lyrics);
        const key = await storeLyricsSource(blobs, project.id, input.lyrics, lyricsBytes);
        await timed('transcript', () => pipeline.step('transcribe', project, { mode: 'import', source_key: key, file_name: basename(input.lyrics!) }, 'importing lyrics', (j) => `${String(j.result?.segments)} lyric lines`));
      } else {
        await timed('transcript', () => pipeline.step('transcribe', project, { mode: 'provider' }, `transcribing (${pipeline.plan.transcriber})`, (j) => `${String(j.result?.segments)} lyric lines`));
      }
      project = (await store.get('projects', project.id))!;
    }

    if ((await store.count('selected_scenes', { project_id: project.id })) === 0) {
      await timed('scenes', () => pipeline.step('analyze_scenes', project, { scene_min: input.bounds.sceneMinS, scene_max: input.bounds.sceneMaxS }, `choosing scenes (${pipeline.plan.director})`, (j) => `${String(j.result?.scenes)} scenes`));
    }
    sceneCount = await store.count('selected_scenes', { project_id: project.id });
    if ((await store.count('scene_prompts', { project_id: project.id })) < sceneCount) {
      await timed('prompts', () => pipeline.step('generate_prompts', project, {}, `writing prompts (${pipeline.plan.director})`, (j) => `${String(j.result?.created)} prompts`));
    }
    if ((await countScenesWithout(pipeline.deps, project.id, 'generated_images')) > 0) {
      await timed('images', () => pipeline.step('generate_images', project, {}, `generating images (${pipeline.plan.images})`, (j) => `${String(j.result?.generated)} images`));
    }
    await timed('clips', () => pipeline.step('generate_clips', project, {}, `generating clips (${pipeline.plan.clips})`, (j) => `${String(j.result?.generated)} clips${Number(j.result?.skipped) ? `, ${String(j.result?.skipped)} already done` : ''}`));

    project = (await store.get('projects', project.id))!;
    final = await latestUsableFinal(pipeline, project, input.lyricsOverlay);
    if (!final) {
      const job = await timed('render', () => pipeline.step('assemble_video', project, { auto_approve: true, lyrics_overlay: input.lyricsOverlay }, 'rendering the final cut', (j) => `${String(j.result?.frame_count)} frames`));
      final = await store.get('final_videos', String(job.result?.final_video_id));
    }
  } catch (error) {
    throw resumable(error, project);
  }
  if (!final?.video_path) throw new OmveeError('internal', 'the run finished without a stored video');
  const output = input.out ? await deliver(pipeline.services, final.video_path, input.out, ctx.io.cwd) : blobs.localPath(final.video_path);
  const [images, clips, jobs] = await Promise.all([
    store.count('generated_images', { project_id: project.id, status: 'completed' }),
    store.count('video_clips', { project_id: project.id, status: 'completed' }),
    store.list('jobs', { where: { project_id: project.id, status: 'completed' } }),
  ]);
  return {
    project_id: project.id,
    name: project.name,
    output,
    video_path: final.video_path,
    final_video_id: final.id,
    duration_s: final.duration_s ?? 0,
    frame_count: final.frame_count ?? 0,
    fps: project.fps,
    scenes: sceneCount,
    images,
    clips,
    cost_usd: roundUsd(jobs.reduce((sum, j) => sum + (j.cost_usd ?? 0), 0)),
    elapsed_s: Math.round(performance.now() - started) / 1000,
    resumed,
    steps,
  };
}

/** A failed step leaves a project behind: say how to resume it rather than start a new one. */
function resumable(error: unknown, project: Project): unknown {
  if (!(error instanceof OmveeError)) return error;
  const cause = error.hint ? `${error.hint.replace(/\s*;?\s*rerun[^.;]*[.;]?/gi, '').trim()} ` : '';
  const hint = `${error.code === 'interrupted' ? 'finished work is kept; ' : cause}resume with: omvee run --project ${project.id}`;
  return new OmveeError(error.code, error.message, { hint, exitCode: error.exitCode, cause: error.cause ?? error, details: { ...error.details, projectId: project.id } });
}

/**
 * A completed final video with the same overlay choice that nothing has changed since: no clip,
 * scene or review decision newer than it. Then a resumed run has nothing to redo.
 */
async function latestUsableFinal(pipeline: Pipeline, project: Project, lyricsOverlay: boolean) {
  const { store } = pipeline.services;
  const finals = await store.list('final_videos', { where: { project_id: project.id, status: 'completed', lyrics_overlay: lyricsOverlay }, order: { column: 'created_at', ascending: false }, limit: 1 });
  const final = finals[0];
  if (!final) return null;
  const newest = async (table: 'video_clips' | 'selected_scenes' | 'user_approvals') => (await store.list(table, { where: { project_id: project.id }, order: { column: 'updated_at', ascending: false }, limit: 1 }))[0]?.updated_at;
  for (const table of ['video_clips', 'selected_scenes', 'user_approvals'] as const) {
    const changed = await newest(table);
    if (changed !== undefined && Date.parse(changed) > Date.parse(final.created_at)) return null;
  }
  return final;
}
