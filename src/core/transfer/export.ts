/**
 * `omvee project export`: every row of a project and every file under projects/{id}/ into a
 * folder (see manifest.ts). The folder is assembled next to the target and renamed into place at
 * the end, so a failed export leaves nothing behind and a finished one is complete.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Blobs } from '../../blobs/port.ts';
import { projectPrefix } from '../../blobs/keys.ts';
import type { Store } from '../../store/port.ts';
import type { Project, Tables } from '../model.ts';
import { sha256File } from '../files.ts';
import { checkExportTarget } from './files.ts';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  FILES_DIR,
  MANIFEST_FILE,
  TRANSFER_TABLES,
  type Manifest,
  type ManifestFile,
  type RowCounts,
} from './manifest.ts';

export interface ExportOptions {
  store: Store;
  blobs: Blobs;
  project: Project;
  /** the folder to create (must not exist, or be empty) */
  outDir: string;
  omveeVersion: string;
  /** include the project's jobs (history) — default true */
  includeJobs?: boolean;
  now?: () => Date;
  /** called per file copied (progress) */
  onFile?: (file: ManifestFile) => void;
}

export interface ExportResult {
  projectId: string;
  name: string;
  outDir: string;
  rows: RowCounts;
  files: number;
  bytes: number;
  /** blob keys the rows point at that storage does not hold */
  missingFiles: string[];
}

/** columns that hold blob keys */
const PATH_COLUMNS: Partial<Record<keyof Tables, string[]>> = {
  projects: ['audio_path', 'transcript_path'],
  generated_images: ['image_path'],
  video_clips: ['clip_path'],
  final_videos: ['video_path'],
};

async function readRows(store: Store, project: Project, includeJobs: boolean): Promise<Manifest['tables']> {
  const where = { project_id: project.id };
  const [scenes, prompts, images, clips, approvals, finals, jobs] = await Promise.all([
    store.list('selected_scenes', { where, order: { column: 'order_idx' } }),
    store.list('scene_prompts', { where, order: { column: 'created_at' } }),
    store.list('generated_images', { where, order: { column: 'created_at' } }),
    store.list('video_clips', { where, order: { column: 'created_at' } }),
    store.list('user_approvals', { where, order: { column: 'created_at' } }),
    store.list('final_videos', { where, order: { column: 'created_at' } }),
    includeJobs ? store.list('jobs', { where, order: { column: 'created_at' } }) : Promise.resolve(undefined),
  ]);
  return {
    projects: [project],
    selected_scenes: scenes,
    scene_prompts: prompts,
    generated_images: images,
    video_clips: clips,
    user_approvals: approvals,
    final_videos: finals,
    ...(jobs ? { jobs } : {}),
  };
}

export async function exportProject(options: ExportOptions): Promise<ExportResult> {
  const { store, blobs } = options;
  const outDir = path.resolve(options.outDir);
  const target = await checkExportTarget(outDir);
  // read the project again: what we export is what the store holds now
  const project = (await store.get('projects', options.project.id)) ?? options.project;
  const tables = await readRows(store, project, options.includeJobs ?? true);

  const staging = path.join(path.dirname(outDir), `.${path.basename(outDir)}.omvee-export-${randomUUID().slice(0, 8)}`);
  await mkdir(path.join(staging, FILES_DIR), { recursive: true });
  try {
    const prefix = projectPrefix(project.id);
    const stored = await blobs.list(prefix);
    const files: ManifestFile[] = [];
    for (const blob of stored) {
      const rel = blob.key.slice(prefix.length);
      const dest = path.join(staging, FILES_DIR, ...rel.split('/'));
      await blobs.getToFile(blob.key, dest);
      const file: ManifestFile = { path: rel, size: (await stat(dest)).size, sha256: await sha256File(dest), content_type: blob.contentType };
      files.push(file);
      options.onFile?.(file);
    }
    const storedKeys = new Set(stored.map((b) => b.key));
    const missingFiles: string[] = [];
    for (const table of TRANSFER_TABLES) {
      for (const row of (tables[table] ?? []) as Record<string, unknown>[]) {
        for (const column of PATH_COLUMNS[table] ?? []) {
          const key = row[column];
          if (typeof key === 'string' && key.startsWith(prefix) && !storedKeys.has(key)) missingFiles.push(key);
        }
      }
    }
    const manifest: Manifest = {
      format: EXPORT_FORMAT,
      format_version: EXPORT_FORMAT_VERSION,
      omvee_version: options.omveeVersion,
      exported_at: (options.now?.() ?? new Date()).toISOString(),
      source: { backend: store.kind, location: store.location },
      project_id: project.id,
      tables,
      files,
    };
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (target === 'empty') await rmdir(outDir);
    await rename(staging, outDir);
    const rows = Object.fromEntries(TRANSFER_TABLES.map((t) => [t, tables[t]?.length ?? 0])) as RowCounts;
    return {
      projectId: project.id,
      name: project.name,
      outDir,
      rows,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      missingFiles,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
