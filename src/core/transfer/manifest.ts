/**
 * The folder format of `omvee project export` / `import`:
 *
 *   DIR/project.json   the manifest below: format version, the omvee that wrote it, and every row
 *                      of the project (project, scenes, prompts, images, clips, approvals, final
 *                      videos and, optionally, jobs) exactly as the store returned them
 *   DIR/files/…        every object under projects/{id}/ in storage, at the same relative path
 *                      (files/audio/song-….wav is projects/{id}/audio/song-….wav)
 *
 * Rows are the model's rows (src/core/model.ts), so a folder written from the local store can be
 * imported into Supabase and back.
 */
import { z } from 'zod';
import { PROJECT_CHILD_TABLES, type TableName } from '../model.ts';

export const EXPORT_FORMAT = 'omvee-project';
export const EXPORT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'project.json';
export const FILES_DIR = 'files';

/** Tables of a project in insertion order (parents before the rows that refer to them). */
export const TRANSFER_TABLES = ['projects', ...PROJECT_CHILD_TABLES] as const satisfies readonly TableName[];
export type TransferTable = (typeof TRANSFER_TABLES)[number];

export const ManifestFileSchema = z.object({
  /** path relative to files/ and to projects/{id}/ */
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_type: z.string().nullable(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** Rows are checked one by one against the model's schemas after this outer shape. */
export const ManifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  format_version: z.number().int().positive(),
  omvee_version: z.string(),
  exported_at: z.string(),
  source: z.object({ backend: z.string(), location: z.string() }),
  project_id: z.string().min(1),
  tables: z.object({
    projects: z.array(z.unknown()).length(1),
    selected_scenes: z.array(z.unknown()),
    scene_prompts: z.array(z.unknown()),
    generated_images: z.array(z.unknown()),
    video_clips: z.array(z.unknown()),
    user_approvals: z.array(z.unknown()),
    final_videos: z.array(z.unknown()),
    jobs: z.array(z.unknown()).optional(),
  }),
  files: z.array(ManifestFileSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export type RowCounts = Record<TransferTable, number>;
