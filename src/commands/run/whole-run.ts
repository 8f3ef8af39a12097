/**
 * The whole pipeline for one song, resumable: every step is skipped when its work is already
 * done, so `omvee run --project <id>` after an interruption finishes without redoing anything.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { CliContext } from '../../cli/context.ts';
import { deliver } from '../../cli/deliver.ts';
import { forgetOut, recallOut, rememberOut } from '../../cli/remembered-out.ts';
import { OmveeError } from '../../core/errors.ts';
import type { Pipeline } from '../../cli/pipeline.ts';
import { createProjectWithSong } from '../../core/audio.ts';
import { storeLyricsSource } from '../../core/pipeline/transcript-step.ts';
import { parseLyrics } from '../../core/lyrics/index.ts';
import type { FinalVideo, Job, Project } from '../../core/model.ts';
import type { JobType } from '../../store/port.ts';
import type { ProviderPlan } from '../../app/providers.ts';
import { nextStep, usableFinal, type RemainingOptions } from '../../core/pipeline/remaining.ts';
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

  // --out is remembered before any step runs, so the run that resumes an interrupted one
  // delivers to the same place without being told again
  const home = pipeline.services.config.paths.home;
  let out = input.out === undefined ? undefined : resolve(ctx.io.cwd, input.out);
  if (out !== undefined) {
    await rememberOut(home, project.id, out).catch((error: Error) => ctx.warn(`cannot remember --out for a resume: ${error.message}`));
  } else if (resumed) {
    out = await recallOut(home, project.id);
    if (out !== undefined) ctx.info(`delivering to ${out} (the --out of the interrupted run)`);
  }

  if (resumed && input.lyrics !== undefined && project.transcript) {
    ctx.warn(`--lyrics ignored: ${project.name} already has a transcript (replace it with: omvee transcript import ${project.id} ${input.lyrics})`);
  }
  let lyricsSource: RemainingOptions['lyricsSource'];
  if (!project.transcript && input.lyrics !== undefined) {
    lyricsBytes ??= await readFile(input.lyrics);
    lyricsSource = { key: await storeLyricsSource(blobs, project.id, input.lyrics, lyricsBytes), fileName: basename(input.lyrics) };
  }
  const options: RemainingOptions = { bounds: input.bounds, lyricsOverlay: input.lyricsOverlay, lyricsSource };
  const ran = new Set<JobType>();
  let final: FinalVideo | null = null;
  try {
    for (let next = await nextStep(store, project.id, options, ran); next; next = await nextStep(store, project.id, options, ran)) {
      const { type, payload } = next;
      const view = STEP_VIEW[type];
      const job = await timed(view.name, () => pipeline.step(type, project, payload as never, view.label(pipeline.plan, payload), view.done));
      ran.add(type);
      if (type === 'assemble_video') final = await store.get('final_videos', String(job.result?.final_video_id));
    }
    final ??= await usableFinal(store, project.id, input.lyricsOverlay);
  } catch (error) {
    throw resumable(error, project, out);
  }
  const sceneCount = await store.count('selected_scenes', { project_id: project.id });
  if (!final?.video_path) throw new OmveeError('internal', 'the run finished without a stored video');
  const output = out ? await deliver(pipeline.services, final.video_path, out, ctx.io.cwd) : blobs.localPath(final.video_path);
  if (out) await forgetOut(home, project.id).catch(() => undefined);
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

/** How each step shows up in the progress display and the summary's timings. */
const STEP_VIEW: Record<JobType, { name: string; label: (plan: ProviderPlan, payload: Record<string, unknown>) => string; done: (job: Job) => string }> = {
  upload_audio: { name: 'upload', label: () => 'uploading', done: () => 'uploaded' },
  transcribe: { name: 'transcript', label: (plan, p) => (p.mode === 'import' ? 'importing lyrics' : `transcribing (${plan.transcriber})`), done: (j) => `${String(j.result?.segments)} lyric lines` },
  analyze_scenes: { name: 'scenes', label: (plan) => `choosing scenes (${plan.director})`, done: (j) => `${String(j.result?.scenes)} scenes` },
  generate_prompts: { name: 'prompts', label: (plan) => `writing prompts (${plan.director})`, done: (j) => `${String(j.result?.created)} prompts` },
  generate_images: { name: 'images', label: (plan) => `generating images (${plan.images})`, done: (j) => `${String(j.result?.generated)} images` },
  generate_clips: {
    name: 'clips',
    label: (plan) => `generating clips (${plan.clips})`,
    done: (j) => `${String(j.result?.generated)} clips${Number(j.result?.skipped) ? `, ${String(j.result?.skipped)} already done` : ''}`,
  },
  assemble_video: { name: 'render', label: () => 'rendering the final cut', done: (j) => `${String(j.result?.frame_count)} frames` },
};

/** A failed step leaves a project behind: say how to resume it rather than start a new one. */
function resumable(error: unknown, project: Project, out: string | undefined): unknown {
  if (!(error instanceof OmveeError)) return error;
  const cause = error.hint ? `${error.hint.replace(/\s*;?\s*rerun[^.;]*[.;]?/gi, '').trim()} ` : '';
  const hint = `${error.code === 'interrupted' ? 'finished work is kept; ' : cause}resume with: omvee run --project ${project.id}${out ? ` (it delivers to ${out})` : ''}`;
  return new OmveeError(error.code, error.message, { hint, cause: error.cause ?? error, details: { ...error.details, projectId: project.id } });
}
