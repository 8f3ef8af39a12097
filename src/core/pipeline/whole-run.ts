/**
 * The whole pipeline for one song, resumable: create the project (or take an existing one),
 * then run every step the registry says is still needed, in order, until the final cut stands.
 * Every step is skipped when its work is already done, so a run resumed after an interruption
 * finishes without redoing anything. The caller runs each step (as a job, with its progress
 * display) through `runStep` and hears what happens through `onEvent`; it renders, nothing more.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createProjectWithSong } from '../audio.ts';
import { roundUsd } from '../cost/prices.ts';
import { OmveeError } from '../errors.ts';
import { parseLyrics } from '../lyrics/index.ts';
import type { FinalVideo, Job, Project } from '../model.ts';
import { resolveProject } from '../projects.ts';
import type { SceneBounds } from '../timeline/index.ts';
import type { PipelineDeps } from './deps.ts';
import { usableFinal } from './final-video.ts';
import { nextStep, runSteps } from './remaining.ts';
import type { ProviderNames, RunOptions } from './step-definition.ts';
import type { JobType } from './steps.ts';
import { storeLyricsSource } from './transcript-step.ts';
import type { PreviewOutcome } from './preview-step.ts';
import { resumeHint } from './batch.ts';
import { applyVideoChange, hasVideoSettings, newProjectVideo, type VideoSettings } from '../video/project-format.ts';

export interface WholeRunInput {
  /** a new song (with name and style), or projectRef to resume */
  audio?: string | undefined;
  lyrics?: string | undefined;
  name?: string | undefined;
  style?: string | null | undefined;
  projectRef?: string | undefined;
  bounds: SceneBounds;
  /** the frame rate of a new project (default: the store's) */
  fps?: number | undefined;
  lyricsOverlay: boolean;
  /** --aspect/--resolution/--fps/--captions/--visualizer: a new project's, or a change to the resumed one */
  video?: VideoSettings | undefined;
  /** --preview: stop after the images with the animatic (no clip is made or paid for) */
  preview?: boolean | undefined;
}

export interface WholeRunSummary {
  project_id: string;
  name: string;
  /** where the video was copied to (--out): filled in by the caller that delivers it */
  output: string | null;
  video_path: string;
  /** null for a preview (the animatic is not a final cut) */
  final_video_id: string | null;
  /** true when the run stopped after the images with the animatic (--preview) */
  preview: boolean;
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

/** One step as the run hands it to the caller to execute and show. */
export interface StepRequest {
  type: JobType;
  payload: Record<string, unknown>;
  /** progress text, e.g. "choosing scenes (local)" */
  label: string;
  /** the line to show when it is done */
  done: (job: Job) => string;
}

export type WholeRunEvent =
  | { kind: 'project'; project: Project; resumed: boolean }
  | { kind: 'warning'; message: string };

export interface WholeRunHooks {
  providers: ProviderNames;
  runStep(project: Project, step: StepRequest): Promise<Job>;
  /** awaited: the project event comes before any step runs (e.g. to remember where the video goes) */
  onEvent?(event: WholeRunEvent): void | Promise<void>;
  /** --preview: cut the animatic (the caller shows its progress); required when input.preview */
  preview?(project: Project): Promise<PreviewOutcome>;
}

/** The steps a preview run stops before: no clip is made (or paid for). */
const AFTER_IMAGES: ReadonlySet<JobType> = new Set(['generate_clips', 'assemble_video']);

export async function runWholeSong(deps: Pick<PipelineDeps, 'store' | 'blobs' | 'media'>, input: WholeRunInput, hooks: WholeRunHooks): Promise<WholeRunSummary> {
  const started = performance.now();
  const { store, blobs, media } = deps;
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
  } else {
    // everything about the inputs is checked before the project exists
    const probe = await media.probeAudio(input.audio!);
    if (input.lyrics !== undefined) {
      lyricsBytes = await readFile(input.lyrics);
      // validate only: the transcript step reports the warnings (printing them here too doubled them)
      parseLyrics(lyricsBytes, { durationS: probe.durationS, fileName: basename(input.lyrics) });
    }
    project = await timed('upload', () => createProjectWithSong({ store, blobs, media }, { name: input.name!, style: input.style ?? null, ...newProjectVideo(input.video ?? {}, input.fps) }, input.audio!, probe));
  }
  await hooks.onEvent?.({ kind: 'project', project, resumed });
  if (resumed && input.video && hasVideoSettings(input.video)) {
    const changed = await applyVideoChange(store, project, input.video, 'this run');
    project = changed.project;
    if (changed.stale) await hooks.onEvent?.({ kind: 'warning', message: changed.stale });
  }

  if (resumed && input.lyrics !== undefined && project.transcript) {
    await hooks.onEvent?.({ kind: 'warning', message: `--lyrics ignored: ${project.name} already has a transcript (replace it with: omvee transcript import ${project.id} ${input.lyrics})` });
  }
  let lyricsSource: RunOptions['lyricsSource'];
  if (!project.transcript && input.lyrics !== undefined) {
    lyricsBytes ??= await readFile(input.lyrics);
    lyricsSource = { key: await storeLyricsSource(blobs, project.id, input.lyrics, lyricsBytes), fileName: basename(input.lyrics) };
  }
  const options: RunOptions = { bounds: input.bounds, lyricsOverlay: input.lyricsOverlay, lyricsSource };
  const definitions = new Map((await runSteps()).map((s) => [s.type, s]));
  const ran = new Set<JobType>();
  let final: FinalVideo | null = null;
  let previewOutcome: PreviewOutcome | null = null;
  try {
    for (let next = await nextStep(store, project.id, options, ran); next; next = await nextStep(store, project.id, options, ran)) {
      if (input.preview && AFTER_IMAGES.has(next.type)) break;
      const step = definitions.get(next.type)!;
      const plan = step.definition.plan;
      const request: StepRequest = { type: next.type, payload: next.payload, label: plan.label(next.payload, hooks.providers), done: (job) => plan.done(job) };
      const job = await timed(step.name, () => hooks.runStep(project, request));
      ran.add(next.type);
      if (next.type === 'assemble_video') final = await store.get('final_videos', String(job.result?.final_video_id));
    }
    if (input.preview) {
      if (!hooks.preview) throw new OmveeError('internal', 'a preview run needs a preview hook');
      const latest = (await store.get('projects', project.id)) ?? project;
      previewOutcome = await timed('preview', () => hooks.preview!(latest));
    } else {
      final ??= await usableFinal(store, project.id, input.lyricsOverlay, (await store.get('projects', project.id)) ?? project);
    }
  } catch (error) {
    throw resumable(error, project);
  }
  const sceneCount = await store.count('selected_scenes', { project_id: project.id });
  if (!previewOutcome && !final?.video_path) throw new OmveeError('internal', 'the run finished without a stored video');
  const [images, clips, jobs] = await Promise.all([
    store.count('generated_images', { project_id: project.id, status: 'completed' }),
    store.count('video_clips', { project_id: project.id, status: 'completed' }),
    store.list('jobs', { where: { project_id: project.id, status: 'completed' } }),
  ]);
  return {
    project_id: project.id,
    name: project.name,
    output: null,
    video_path: previewOutcome ? previewOutcome.key : final!.video_path!,
    final_video_id: previewOutcome ? null : final!.id,
    preview: previewOutcome !== null,
    duration_s: previewOutcome ? previewOutcome.durationS : (final!.duration_s ?? 0),
    frame_count: previewOutcome ? previewOutcome.frameCount : (final!.frame_count ?? 0),
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
  const resume = `omvee run --project ${project.id}`;
  // a step that says how to resume its failed scenes (with their fixes) gets this run's command instead of its own
  const causeHint = error.details?.['causeHint'];
  const failedScenes = Array.isArray(error.details?.['scenes']) ? (error.details['scenes'] as unknown[]).length : 1;
  const hint = typeof causeHint === 'string' ? resumeHint(causeHint, resume, failedScenes) : `${error.code === 'interrupted' ? 'finished work is kept; ' : cause}resume with: ${resume}`;
  return new OmveeError(error.code, error.message, { hint, cause: error.cause ?? error, details: { ...error.details, ...(typeof causeHint === 'string' ? { resume } : {}), projectId: project.id } });
}
