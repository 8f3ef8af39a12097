/**
 * Each job type's handler: read the job's payload, load the project, run the step. The same
 * handlers run in-process (`omvee run`, `images generate`, …) and in `omvee worker`.
 */
import { z } from 'zod';
import { OmveeError } from '../errors.ts';
import { assertExclusive, type HolderProbe } from '../jobs/exclusive.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { LYRICS_FORMATS } from '../lyrics/index.ts';
import { JOB_TYPES, type JobType } from '../enums.ts';
import type { Job } from '../model.ts';
import type { PipelineDeps } from './deps.ts';
import { generateClips } from './clips-step.ts';
import { generateImages } from './images-step.ts';
import { generatePrompts } from './prompts-step.ts';
import { renderFinal } from './render-step.ts';
import { selectScenes } from './scenes-step.ts';
import { importTranscript, transcribeAudio } from './transcript-step.ts';


/**
 * A job may carry the steps that follow it (`chain`): when it completes, the first of them is
 * enqueued with the rest as its own chain. This is how `omvee run --detach` queues a whole
 * pipeline for workers. Steps are idempotent, so a chain link enqueued twice does no work twice.
 */
export interface ChainLink {
  type: JobType;
  payload: Record<string, unknown>;
}
const ChainSchema = z.array(z.object({ type: z.enum(JOB_TYPES), payload: z.record(z.string(), z.unknown()) })).optional();

export const PAYLOADS = {
  upload_audio: z.object({}).passthrough(),
  transcribe: z.union([
    z.object({ mode: z.literal('import'), source_key: z.string(), file_name: z.string(), format: z.enum(LYRICS_FORMATS).optional() }),
    z.object({ mode: z.literal('provider'), language: z.string().optional() }),
  ]),
  analyze_scenes: z.object({ scene_min: z.number().positive(), scene_max: z.number().positive() }),
  generate_prompts: z.object({ force: z.boolean().optional() }),
  generate_images: z.object({ scenes: z.array(z.number().int().positive()).optional(), new_take: z.boolean().optional() }),
  generate_clips: z.object({ scenes: z.array(z.number().int().positive()).optional(), new_take: z.boolean().optional() }),
  assemble_video: z.object({ auto_approve: z.boolean(), lyrics_overlay: z.boolean() }),
} as const satisfies Record<JobType, z.ZodType>;

export type Payload<T extends JobType> = z.infer<(typeof PAYLOADS)[T]>;

export function chainOf(job: Job): ChainLink[] {
  const parsed = ChainSchema.safeParse((job.payload as { chain?: unknown } | null)?.chain);
  return parsed.success && parsed.data ? parsed.data : [];
}

function payloadOf<T extends JobType>(job: Job, type: T): Payload<T> {
  const parsed = PAYLOADS[type].safeParse(job.payload ?? {});
  if (!parsed.success) throw new OmveeError('invalid_input', `job ${job.id} has an invalid payload: ${parsed.error.issues[0]?.message}`);
  return parsed.data as Payload<T>;
}

async function projectOf(deps: PipelineDeps, job: Job) {
  if (!job.project_id) throw new OmveeError('invalid_input', `job ${job.id} has no project`);
  const project = await deps.store.get('projects', job.project_id);
  if (!project) throw new OmveeError('not_found', `project ${job.project_id} of job ${job.id} no longer exists`);
  return project;
}

/**
 * The handlers as workers and in-process runs use them: each first makes sure no other live
 * omvee is running the same step of the same project (see ../jobs/exclusive.ts), then runs the
 * step, then enqueues the next link of its chain.
 */
export function stepHandlers(deps: PipelineDeps, options: { holderAlive?: HolderProbe | undefined } = {}): Record<JobType, JobHandler> {
  const handlers = baseHandlers(deps);
  const chained = {} as Record<JobType, JobHandler>;
  for (const type of JOB_TYPES) {
    chained[type] = async (job, control) => {
      await assertExclusive(deps.store, job, { holderAlive: options.holderAlive, ...(control.lease.leaseSeconds !== undefined ? { leaseSeconds: control.lease.leaseSeconds } : {}) });
      const outcome = await handlers[type](job, control);
      const [next, ...rest] = chainOf(job);
      if (next && job.project_id) {
        const queued = await deps.store.insert('jobs', {
          type: next.type,
          project_id: job.project_id,
          payload: { ...next.payload, ...(rest.length ? { chain: rest } : {}) },
          max_attempts: job.max_attempts,
          run_after: new Date().toISOString(),
        });
        outcome.result = { ...outcome.result, next_job_id: queued.id };
      }
      return outcome;
    };
  }
  return chained;
}

function baseHandlers(deps: PipelineDeps): Record<JobType, JobHandler> {
  return {
    async upload_audio(job) {
      throw new OmveeError('invalid_input', `job ${job.id}: uploads run where the file is, not in a worker`);
    },
    async transcribe(job, control) {
      const payload = payloadOf(job, 'transcribe');
      const project = await projectOf(deps, job);
      const outcome =
        payload.mode === 'import'
          ? await importTranscript(deps, project, payload.source_key, payload.file_name, payload.format)
          : await transcribeAudio(deps, project, control, payload.language);
      for (const w of outcome.warnings) deps.log(w);
      return { result: { segments: outcome.transcript.segments.length, source: outcome.transcript.source, warnings: outcome.warnings, model: outcome.model }, costUsd: outcome.costUsd };
    },
    async analyze_scenes(job, control) {
      const payload = payloadOf(job, 'analyze_scenes');
      const project = await projectOf(deps, job);
      const out = await selectScenes(deps, project, { sceneMinS: payload.scene_min, sceneMaxS: payload.scene_max }, control);
      if (out.repaired.length > 0) deps.log(`the director's scenes were repaired: ${out.repaired.slice(0, 3).join('; ')}${out.repaired.length > 3 ? '; …' : ''}`);
      return { result: { scenes: out.scenes.length, model: out.model, repaired: out.repaired }, costUsd: out.costUsd };
    },
    async generate_prompts(job, control) {
      const payload = payloadOf(job, 'generate_prompts');
      const out = await generatePrompts(deps, await projectOf(deps, job), { force: payload.force === true }, control);
      return { result: { created: out.created, kept: out.kept, model: out.model }, costUsd: out.costUsd };
    },
    async generate_images(job, control) {
      const payload = payloadOf(job, 'generate_images');
      const out = await generateImages(deps, await projectOf(deps, job), { ...(payload.scenes ? { scenes: payload.scenes } : {}), newTake: payload.new_take === true }, control);
      return { result: { generated: out.generated.length, skipped: out.skipped, image_ids: out.generated.map((g) => g.id) }, costUsd: out.costUsd };
    },
    async generate_clips(job, control) {
      const payload = payloadOf(job, 'generate_clips');
      const out = await generateClips(deps, await projectOf(deps, job), { ...(payload.scenes ? { scenes: payload.scenes } : {}), newTake: payload.new_take === true }, control);
      return { result: { generated: out.generated.length, skipped: out.skipped, clip_ids: out.generated.map((c) => c.id) }, costUsd: out.costUsd };
    },
    async assemble_video(job, control) {
      const payload = payloadOf(job, 'assemble_video');
      const out = await renderFinal(deps, await projectOf(deps, job), { autoApprove: payload.auto_approve, lyricsOverlay: payload.lyrics_overlay }, control);
      return {
        result: { final_video_id: out.final.id, video_path: out.final.video_path, frame_count: out.final.frame_count, duration_s: out.final.duration_s, size_bytes: out.final.size_bytes },
      };
    },
  };
}
