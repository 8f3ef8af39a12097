/**
 * The step registry: every pipeline step in the order `omvee run` runs them. The job types,
 * `omvee run`'s order and progress view, `run --detach`'s chain and the worker's handlers all
 * derive from this list (the Supabase migration's job-type CHECK is compared with it by a test).
 *
 * Light on purpose (command definitions read the job types for --help): each step's definition
 * — payload schema, handler, when it is needed — loads on first use from ./steps/<file>.ts.
 * Adding a step is one file in ./steps/ and one entry here (plus a migration line).
 */
import type { z } from 'zod';

export const STEPS = [
  { type: 'upload_audio', name: 'upload', load: () => import('./steps/upload-audio.ts') },
  { type: 'transcribe', name: 'transcript', load: () => import('./steps/transcribe.ts') },
  { type: 'analyze_audio', name: 'analyze', load: () => import('./steps/analyze-audio.ts') },
  { type: 'analyze_scenes', name: 'scenes', load: () => import('./steps/select-scenes.ts') },
  { type: 'generate_prompts', name: 'prompts', load: () => import('./steps/write-prompts.ts') },
  { type: 'generate_images', name: 'images', load: () => import('./steps/make-images.ts') },
  { type: 'generate_clips', name: 'clips', load: () => import('./steps/make-clips.ts') },
  { type: 'assemble_video', name: 'render', load: () => import('./steps/render.ts') },
] as const;

type Entry = (typeof STEPS)[number];
export type JobType = Entry['type'];
export const JOB_TYPES = STEPS.map((s) => s.type) as unknown as readonly [JobType, ...JobType[]];

type DefinitionOf<T extends JobType> = Awaited<ReturnType<Extract<Entry, { type: T }>['load']>>['default'];
/** The payload a job of type T carries. */
export type Payload<T extends JobType> = z.infer<DefinitionOf<T>['payload']>;

export function stepEntry(type: JobType): Entry {
  return STEPS.find((s) => s.type === type)!;
}
