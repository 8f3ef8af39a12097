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
export { JOB_TYPES, type JobType } from './pipeline/steps.ts';
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'canceled'] as const;
export const TAKE_STATUSES = ['pending', 'processing', 'completed', 'failed', 'canceled'] as const;
export const APPROVAL_DECISIONS = ['approved', 'rejected', 'regenerate'] as const;
export const ARTIST_ROLES = ['primary', 'background', 'none'] as const;

