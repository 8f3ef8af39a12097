/**
 * `omvee run --detach`: do here what needs this machine's files (create the project, copy the
 * song and lyrics into storage), then queue the remaining steps as one chain of jobs for
 * `omvee worker` — on this machine or any other sharing the store.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { contentTypeFor } from '../../blobs/content-type.ts';
import { projectKey } from '../../blobs/keys.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../cli/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { attachAudio } from '../../core/audio.ts';
import { parseLyrics } from '../../core/lyrics/index.ts';
import type { Project } from '../../core/model.ts';
import type { ChainLink } from '../../core/pipeline/handlers.ts';
import { enqueueStep } from '../../core/pipeline/run-step.ts';
import { resolveProject } from '../../core/projects.ts';
import type { SceneBounds } from '../../core/timeline/index.ts';

export interface DetachInput {
  audio?: string | undefined;
  lyrics?: string | undefined;
  name?: string | undefined;
  style?: string | null | undefined;
  projectRef?: string | undefined;
  bounds: SceneBounds;
  lyricsOverlay: boolean;
}

export async function runDetached(ctx: CliContext, input: DetachInput): Promise<void> {
  const services = await ctx.services();
  const { store, blobs } = services;
  let project: Project;
  if (input.projectRef !== undefined) {
    project = await resolveProject(store, input.projectRef);
    if (!project.audio_path) throw new OmveeError('invalid_input', `project ${project.name} has no song`, { hint: `upload one: omvee upload audio ${project.id} song.mp3` });
  } else {
    const media = await services.media();
    const probe = await media.probeAudio(input.audio!);
    const lyricsBytes = input.lyrics !== undefined ? await readFile(input.lyrics) : null;
    if (lyricsBytes) for (const w of parseLyrics(lyricsBytes, { durationS: probe.durationS, fileName: basename(input.lyrics!) }).warnings) ctx.warn(w);
    project = await store.insert('projects', { name: input.name!, style: input.style ?? null });
    try {
      project = await attachAudio({ store, blobs, media }, project, input.audio!);
    } catch (error) {
      await store.delete('projects', project.id).catch(() => undefined);
      throw error;
    }
    if (lyricsBytes) {
      const ext = extname(input.lyrics!).toLowerCase().replace(/[^a-z0-9.]/g, '') || '.txt';
      const key = projectKey(project.id, 'transcripts', `source${ext}`);
      await blobs.put(key, lyricsBytes, { contentType: contentTypeFor(input.lyrics!) });
      return enqueue(ctx, project, [{ type: 'transcribe', payload: { mode: 'import', source_key: key, file_name: basename(input.lyrics!) } }, ...rest(input)]);
    }
  }
  const first: ChainLink[] = project.transcript ? [] : [{ type: 'transcribe', payload: { mode: 'provider' } }];
  const scenes = await store.count('selected_scenes', { project_id: project.id });
  const links = [...first, ...rest(input).filter((l) => scenes === 0 || l.type !== 'analyze_scenes')];
  return enqueue(ctx, project, links);
}

function rest(input: DetachInput): ChainLink[] {
  return [
    { type: 'analyze_scenes', payload: { scene_min: input.bounds.sceneMinS, scene_max: input.bounds.sceneMaxS } },
    { type: 'generate_prompts', payload: {} },
    { type: 'generate_images', payload: {} },
    { type: 'generate_clips', payload: {} },
    { type: 'assemble_video', payload: { auto_approve: true, lyrics_overlay: input.lyricsOverlay } },
  ];
}

async function enqueue(ctx: CliContext, project: Project, links: ChainLink[]): Promise<void> {
  const { store } = await ctx.services();
  const [head, ...tail] = links;
  const job = await enqueueStep(store, head!.type, project.id, { ...head!.payload, ...(tail.length ? { chain: tail } : {}) } as never);
  ctx.info(`queued ${links.length} steps for ${project.name} (first job ${job.id}); run them with: omvee worker, follow with: omvee jobs watch --project ${project.id}`);
  const result = { project_id: project.id, job_id: job.id, steps: links.map((l) => l.type) };
  printRecord(ctx, [['project_id', project.id], ['job_id', job.id], ['steps', links.map((l) => l.type).join(',')]], result);
}
