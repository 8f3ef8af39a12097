/**
 * `omvee run --detach`: do here what needs this machine's files (create the project, copy the
 * song and lyrics into storage), then queue the remaining steps as one chain of jobs for
 * `omvee worker` — on this machine or any other sharing the store.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { createProjectWithSong } from '../../core/audio.ts';
import { storeLyricsSource } from '../../core/pipeline/transcript-step.ts';
import { parseLyrics } from '../../core/lyrics/index.ts';
import type { Project } from '../../core/model.ts';
import type { ChainLink } from '../../core/pipeline/handlers.ts';
import { stepsToQueue, type RunOptions } from '../../core/pipeline/remaining.ts';
import { enqueueStep } from '../../core/pipeline/run-step.ts';
import type { SceneBounds } from '../../core/timeline/index.ts';
import { projectFor } from '../resolve.ts';
import { applyVideoChange, newProjectVideo, type VideoSettings } from '../../core/video/project-format.ts';

export interface DetachInput {
  audio?: string | undefined;
  lyrics?: string | undefined;
  name?: string | undefined;
  style?: string | null | undefined;
  projectRef?: string | undefined;
  bounds: SceneBounds;
  /** the frame rate of a new project */
  fps?: number | undefined;
  lyricsOverlay: boolean;
  video?: VideoSettings | undefined;
}

export async function runDetached(ctx: CliContext, input: DetachInput): Promise<void> {
  const services = await ctx.services();
  const { store, blobs } = services;
  let project: Project;
  let lyricsSource: RunOptions['lyricsSource'];
  if (input.projectRef !== undefined) {
    project = await projectFor(ctx, store, input.projectRef);
    if (!project.audio_path) throw new OmveeError('invalid_input', `project ${project.name} has no song`, { hint: `upload one: omvee upload audio ${project.id} song.mp3` });
    if (input.video) {
      const changed = await applyVideoChange(store, project, input.video, 'the queued steps');
      project = changed.project;
      if (changed.stale) ctx.warn(changed.stale);
    }
  } else {
    const media = await services.media();
    const probe = await media.probeAudio(input.audio!);
    const lyricsBytes = input.lyrics !== undefined ? await readFile(input.lyrics) : null;
    if (lyricsBytes) for (const w of parseLyrics(lyricsBytes, { durationS: probe.durationS, fileName: basename(input.lyrics!) }).warnings) ctx.warn(w);
    project = await createProjectWithSong({ store, blobs, media }, { name: input.name!, style: input.style ?? null, ...newProjectVideo(input.video ?? {}, input.fps) }, input.audio!, probe);
    if (lyricsBytes) lyricsSource = { key: await storeLyricsSource(blobs, project.id, input.lyrics!, lyricsBytes), fileName: basename(input.lyrics!) };
  }
  return enqueue(ctx, project, await stepsToQueue(store, project, { bounds: input.bounds, lyricsOverlay: input.lyricsOverlay, lyricsSource }));
}

async function enqueue(ctx: CliContext, project: Project, links: ChainLink[]): Promise<void> {
  const { store } = await ctx.services();
  const [head, ...tail] = links;
  const job = await enqueueStep(store, head!.type, project.id, { ...head!.payload, ...(tail.length ? { chain: tail } : {}) } as never);
  ctx.info(`queued ${links.length} steps for ${project.name} (first job ${job.id}); run them with: omvee worker, follow with: omvee jobs watch --project ${project.id}`);
  const result = { project_id: project.id, job_id: job.id, steps: links.map((l) => l.type) };
  printRecord(ctx, [['project_id', project.id], ['job_id', job.id], ['steps', links.map((l) => l.type).join(',')]], result);
}
