/**
 * The fixed value sets of the data model, as plain lists: model.ts builds its zod schemas from
 * them, and command definitions use them for flag choices without loading zod (fast --help).
 */
export const PROJECT_STATUSES = [
  'created',
  'uploaded',
  'transcribed',
  'scenes_selected',
  'prompts_generated',
  'images_generated',
  'clips_generated',
  'rendered',
  'failed',
] as const;
export const JOB_TYPES = [
  'upload_audio',
  'transcribe',
  'analyze_scenes',
  'generate_prompts',
  'generate_images',
  'generate_clips',
  'assemble_video',
] as const;
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'canceled'] as const;
export const TAKE_STATUSES = ['pending', 'processing', 'completed', 'failed', 'canceled'] as const;
export const APPROVAL_DECISIONS = ['approved', 'rejected', 'regenerate'] as const;
export const ARTIST_ROLES = ['primary', 'background', 'none'] as const;

export type JobType = (typeof JOB_TYPES)[number];
