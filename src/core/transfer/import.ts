/**
 * `omvee project import`: read an export folder (manifest.ts), check every row against the
 * model's schemas and every file against its size and sha256, then write a NEW project into the
 * current store and storage (new ids throughout, see remap.ts).
 *
 * The folder may come from anyone, so before anything is written: symbolic links anywhere under
 * it are refused (lstat on every path component: a link would copy whatever it points at), every
 * key column must lie inside the exported project (an audio_path naming another project's song
 * would let a later song replacement delete that song), text fields and the manifest itself are
 * bounded, and a transcript must fit the lyrics limits.
 *
 * Crash safety: the project row is written first (storage policies need it) but marked as an
 * import in progress — status 'failed', the name suffixed " (importing)" and a marker with a
 * heartbeat in its description — and only the last write gives it its real name, status and
 * description. If a write fails, what was written is removed again. If the process is killed,
 * the half project is never listed as complete, and the next import removes it once its
 * heartbeat is stale (IMPORT_STALE_MS).
 */
import { randomUUID } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Blobs } from '../../blobs/port.ts';
import { assertSafeKey, projectPrefix } from '../../blobs/keys.ts';
import { keyInScope } from '../../blobs/scoped.ts';
import { OmveeError, invalidInput } from '../errors.ts';
import type { z } from 'zod';
import { describeIssueAt } from '../zod-issues.ts';
import type { Store } from '../../store/port.ts';
import { TABLE_SCHEMAS, type NewRow, type Project, type Tables } from '../model.ts';
import { validateProjectName, validateStyle } from '../projects.ts';
import { validateText } from '../refs.ts';
import { sha256File } from '../files.ts';
import { checkLyricsSegments } from '../lyrics/limits.ts';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  FILES_DIR,
  MANIFEST_FILE,
  ManifestSchema,
  TRANSFER_TABLES,
  type Manifest,
  type ManifestFile,
  type RowCounts,
  type TransferTable,
} from './manifest.ts';
import { IdMap } from './remap.ts';

export interface ImportOptions {
  store: Store;
  blobs: Blobs;
  dir: string;
  /** name of the new project (default: the exported project's name) */
  name?: string;
  /** rows per insert request */
  batchSize?: number;
  /** clock (tests) */
  now?: () => number;
}

/** project.json larger than this is refused without reading it */
export const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;
/** any text column of an imported row (prompts, titles, lyric excerpts, errors, …) */
export const IMPORT_TEXT_MAX = 20_000;
/** a project's description (as an artist's) */
export const IMPORT_DESCRIPTION_MAX = 2000;
/** a JSON column other than the transcript (payload, result, color palette), serialized */
export const IMPORT_JSON_MAX_BYTES = 256 * 1024;
/** how often an import in progress renews its marker, and when a marker counts as abandoned */
export const IMPORT_HEARTBEAT_MS = 2000;
export const IMPORT_STALE_MS = 15_000;

const MARKER_PREFIX = 'omvee-import-in-progress:';
const IMPORTING_SUFFIX = ' (importing)';

/** columns that hold blob keys; each must lie inside the imported project */
const KEY_COLUMNS: Partial<Record<TransferTable, readonly string[]>> = {
  projects: ['audio_path', 'transcript_path'],
  generated_images: ['image_path'],
  video_clips: ['clip_path'],
  final_videos: ['video_path'],
};
const JSON_COLUMNS = new Set(['payload', 'result', 'color_palette', 'transcript']);

export interface ImportResult {
  projectId: string;
  name: string;
  sourceProjectId: string;
  rows: RowCounts;
  files: number;
  bytes: number;
  warnings: string[];
}

type Rows = { [K in TransferTable]: Tables[K][] };

const HINT = 'use a folder written by `omvee project export` (project.json + files/)';

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    const info = await lstat(file);
    if (info.isSymbolicLink()) throw invalidInput(`${file} is a symbolic link; an export holds plain files only`, HINT);
    if (!info.isFile()) throw invalidInput(`${file} is not a file`, HINT);
    if (info.size > MANIFEST_MAX_BYTES) {
      throw invalidInput(`${MANIFEST_FILE} is too large (${(info.size / 1024 / 1024).toFixed(1)} MB; at most ${MANIFEST_MAX_BYTES / 1024 / 1024} MB)`, 'the export was changed or damaged; export the project again');
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof OmveeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalidInput(`${dir} is not an omvee export: it has no ${MANIFEST_FILE}`, HINT);
    throw invalidInput(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`${file} is not valid JSON: ${(error as Error).message}`, HINT);
  }
  const head = raw as { format?: unknown; format_version?: unknown } | null;
  if (head?.format !== EXPORT_FORMAT) throw invalidInput(`${file} is not an omvee project export (format is not "${EXPORT_FORMAT}")`, HINT);
  if (typeof head.format_version === 'number' && head.format_version > EXPORT_FORMAT_VERSION) {
    throw invalidInput(`${file} was written by a newer omvee (format ${head.format_version}; this omvee reads up to ${EXPORT_FORMAT_VERSION})`, 'update omvee, then import again');
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidInput(`${file}: ${describeIssueAt(issue)}`, HINT);
  }
  return parsed.data;
}

/** every row through the model's zod schema; references must stay inside the export */
function validateRows(manifest: Manifest): Rows {
  const out = {} as Record<TransferTable, unknown[]>;
  for (const table of TRANSFER_TABLES) {
    const rows = (manifest.tables[table] ?? []) as unknown[];
    out[table] = rows.map((row, i) => {
      const parsed = (TABLE_SCHEMAS[table] as unknown as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: z.core.$ZodIssue[] } } }).safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error!.issues[0]!;
        throw invalidInput(`${MANIFEST_FILE}: ${table}[${i}].${describeIssueAt(issue, '(row)')}`, 'the export was changed or damaged; export the project again');
      }
      return parsed.data;
    });
  }
  const rows = out as unknown as Rows;
  const project = rows.projects[0]!;
  if (project.id !== manifest.project_id) throw invalidInput(`${MANIFEST_FILE}: project_id does not match the project row`, HINT);

  const seen = new Set<string>();
  const ids = (table: TransferTable): Set<string> => new Set((rows[table] as { id: string }[]).map((r) => r.id));
  for (const table of TRANSFER_TABLES) {
    for (const row of rows[table] as { id: string; project_id?: string | null }[]) {
      if (seen.has(row.id)) throw invalidInput(`${MANIFEST_FILE}: the id ${row.id} appears twice`, 'the export was changed or damaged; export the project again');
      seen.add(row.id);
      if (table !== 'projects' && row.project_id !== project.id) {
        throw invalidInput(`${MANIFEST_FILE}: ${table} row ${row.id} belongs to another project (${String(row.project_id)})`, 'the export was changed or damaged; export the project again');
      }
    }
  }
  const scenes = ids('selected_scenes');
  const prompts = ids('scene_prompts');
  const images = ids('generated_images');
  const clips = ids('video_clips');
  const check = (table: TransferTable, column: string, within: Set<string>, nullable: boolean): void => {
    for (const row of rows[table] as unknown as Record<string, unknown>[]) {
      const ref = row[column];
      if (ref === null && nullable) continue;
      if (typeof ref !== 'string' || !within.has(ref)) {
        throw invalidInput(`${MANIFEST_FILE}: ${table} row ${String(row.id)} refers to ${column} ${String(ref)}, which is not in the export`, 'the export was changed or damaged; export the project again');
      }
    }
  };
  check('scene_prompts', 'scene_id', scenes, false);
  check('generated_images', 'scene_id', scenes, false);
  check('generated_images', 'prompt_id', prompts, true);
  check('video_clips', 'scene_id', scenes, false);
  check('video_clips', 'image_id', images, true);
  check('user_approvals', 'scene_id', scenes, false);
  check('user_approvals', 'image_id', images, true);
  check('user_approvals', 'clip_id', clips, true);
  checkKeysAndText(rows, project.id);
  return rows;
}

const DAMAGED = 'the export was changed or damaged; export the project again';

/** key columns inside the project; text and JSON bounded; the transcript within the lyrics limits */
function checkKeysAndText(rows: Rows, projectId: string): void {
  const scope = { projectId, artistIds: new Set<string>() };
  for (const table of TRANSFER_TABLES) {
    for (const row of rows[table] as unknown as Record<string, unknown>[]) {
      const where = `${MANIFEST_FILE}: ${table} row ${String(row['id'])}`;
      for (const column of KEY_COLUMNS[table] ?? []) {
        const key = row[column];
        if (key !== null && key !== undefined && !keyInScope(scope, key)) {
          throw invalidInput(`${where}: ${table}.${column} (${JSON.stringify(String(key).slice(0, 200))}) points outside the exported project (projects/${projectId}/)`, DAMAGED);
        }
      }
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string' && [...value].length > IMPORT_TEXT_MAX) {
          throw invalidInput(`${where}: ${table}.${column} is too long (${[...value].length} characters; at most ${IMPORT_TEXT_MAX})`, DAMAGED);
        }
        if (JSON_COLUMNS.has(column) && column !== 'transcript' && value !== null && value !== undefined && JSON.stringify(value).length > IMPORT_JSON_MAX_BYTES) {
          throw invalidInput(`${where}: ${table}.${column} is too large (at most ${IMPORT_JSON_MAX_BYTES / 1024} KB of JSON)`, DAMAGED);
        }
      }
    }
  }
  const project = rows.projects[0]!;
  const field = (label: string, check: () => unknown): void => {
    try {
      check();
    } catch (error) {
      if (error instanceof OmveeError) throw invalidInput(`${MANIFEST_FILE}: ${label}: ${error.message}`, error.hint ?? DAMAGED);
      throw error;
    }
  };
  if (project.description !== null) {
    const description = project.description;
    field('projects.description', () => {
      if ([...description].length > IMPORT_DESCRIPTION_MAX) throw invalidInput(`projects.description is too long (${[...description].length} characters; at most ${IMPORT_DESCRIPTION_MAX})`, DAMAGED);
      validateText(description, 'projects.description', IMPORT_DESCRIPTION_MAX);
    });
  }
  if (project.style !== null) field('projects.style', () => validateStyle(project.style ?? undefined));
  if (project.transcript) field('projects.transcript', () => checkLyricsSegments(project.transcript!.segments, 'the transcript'));
}

/** Refuse a path (and every folder between `root` and it) that is a symbolic link; the file's lstat. */
async function lstatNoLinks(root: string, rel: readonly string[]): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  let current = root;
  let info: Awaited<ReturnType<typeof lstat>> | null = null;
  for (const part of ['', ...rel]) {
    current = part ? path.join(current, part) : current;
    info = await lstat(current).catch(() => null);
    if (!info) return null;
    if (info.isSymbolicLink()) {
      throw invalidInput(`${path.relative(path.dirname(root), current) || current} in the export is a symbolic link; an export holds plain files only (a link would import whatever it points at)`, DAMAGED);
    }
  }
  return info;
}

async function validateFiles(dir: string, files: readonly ManifestFile[]): Promise<void> {
  const seen = new Set<string>();
  for (const file of files) {
    try {
      assertSafeKey(file.path);
    } catch {
      throw invalidInput(`${MANIFEST_FILE}: unsafe file path ${JSON.stringify(file.path)}`, 'the export was changed or damaged; export the project again');
    }
    if (seen.has(file.path)) throw invalidInput(`${MANIFEST_FILE}: the file ${file.path} is listed twice`);
    seen.add(file.path);
    const local = path.join(dir, FILES_DIR, ...file.path.split('/'));
    const info = await lstatNoLinks(path.join(dir, FILES_DIR), file.path.split('/'));
    if (!info || !info.isFile()) throw invalidInput(`the export is missing ${FILES_DIR}/${file.path}`, 'copy the whole export folder, or export the project again');
    if (info.size !== file.size || (await sha256File(local)) !== file.sha256) {
      throw invalidInput(`${FILES_DIR}/${file.path} does not match ${MANIFEST_FILE} (size or checksum differs)`, 'the export was changed or damaged; export the project again');
    }
  }
}

/** rows ready to insert into the current store: new ids, no owner (the store fills it), live jobs dropped */
async function prepareRows(store: Store, rows: Rows, map: IdMap, name: string, warnings: string[]): Promise<{ [K in TransferTable]: NewRow<K>[] }> {
  const remap = <T extends Record<string, unknown>>(row: T): T => map.value(row);
  const project = remap(rows.projects[0]! as unknown as Record<string, unknown>) as unknown as Project;
  const { user_id: _owner, ...projectRow } = { ...project, name };

  const artists = new Map<string, boolean>();
  const scenes: NewRow<'selected_scenes'>[] = [];
  for (const scene of rows.selected_scenes) {
    const copy = remap(scene as unknown as Record<string, unknown>) as unknown as Tables['selected_scenes'];
    if (copy.artist_id) {
      if (!artists.has(copy.artist_id)) artists.set(copy.artist_id, (await store.get('artists', copy.artist_id).catch(() => null)) !== null);
      if (!artists.get(copy.artist_id)) {
        warnings.push(`scene ${copy.order_idx + 1}: its artist ${copy.artist_id} does not exist here; the scene was imported without it`);
        copy.artist_id = null;
        copy.artist_role = 'none';
      }
    }
    scenes.push(copy);
  }
  const approvals = rows.user_approvals.map((a) => {
    const { user_id: _who, ...rest } = remap(a as unknown as Record<string, unknown>) as unknown as Tables['user_approvals'];
    return rest;
  });
  const jobs: NewRow<'jobs'>[] = [];
  let live = 0;
  for (const job of rows.jobs) {
    // a pending or running job would be picked up by a worker here: keep only the history
    if (job.status === 'pending' || job.status === 'running') {
      live++;
      continue;
    }
    jobs.push({ ...(remap(job as unknown as Record<string, unknown>) as unknown as Tables['jobs']), locked_by: null, locked_at: null, heartbeat_at: null, lease_expires_at: null });
  }
  if (live > 0) warnings.push(`${live} pending or running job${live > 1 ? 's were' : ' was'} not imported (only finished jobs are kept as history)`);
  return {
    projects: [projectRow],
    selected_scenes: scenes,
    scene_prompts: rows.scene_prompts.map((r) => remap(r as unknown as Record<string, unknown>) as unknown as Tables['scene_prompts']),
    generated_images: rows.generated_images.map((r) => remap(r as unknown as Record<string, unknown>) as unknown as Tables['generated_images']),
    video_clips: rows.video_clips.map((r) => remap(r as unknown as Record<string, unknown>) as unknown as Tables['video_clips']),
    user_approvals: approvals,
    final_videos: rows.final_videos.map((r) => remap(r as unknown as Record<string, unknown>) as unknown as Tables['final_videos']),
    jobs,
  };
}

export async function importProject(options: ImportOptions): Promise<ImportResult> {
  const { store, blobs } = options;
  const dir = path.resolve(options.dir);
  const manifest = await readManifest(dir);
  const rows = validateRows({ ...manifest, tables: { ...manifest.tables, jobs: manifest.tables.jobs ?? [] } });
  await validateFiles(dir, manifest.files);
  const source = rows.projects[0]!;
  const name = validateProjectName(options.name ?? source.name);

  const map = new IdMap(TRANSFER_TABLES.flatMap((t) => (rows[t] as { id: string }[]).map((r) => r.id)));
  const warnings: string[] = [];
  const prepared = await prepareRows(store, rows, map, name, warnings);
  const newId = map.id(source.id);
  const prefix = projectPrefix(newId);
  const batch = Math.max(1, options.batchSize ?? 500);

  const now = options.now ?? Date.now;
  await removeAbandonedImports(store, blobs, now, warnings);

  // the row is written as an import in progress; the last write makes it the real project
  const real = prepared.projects[0]!;
  const token = randomUUID();
  const marker = (): string => `${MARKER_PREFIX}${JSON.stringify({ token, heartbeat: new Date(now()).toISOString() })}`;
  let created = false;
  let beating: ReturnType<typeof setInterval> | undefined;
  let lastBeat: Promise<unknown> = Promise.resolve();
  const stopBeating = async (): Promise<void> => {
    if (beating) clearInterval(beating);
    beating = undefined;
    await lastBeat;
  };
  try {
    await store.insert('projects', { ...real, name: importingName(name), status: 'failed', description: marker() });
    created = true;
    beating = setInterval(() => {
      lastBeat = lastBeat.then(() => store.update('projects', newId, { description: marker() }).catch(() => undefined));
    }, IMPORT_HEARTBEAT_MS);
    beating.unref?.();
    // files first: on Supabase, storage policies need the project row to exist (and be ours)
    for (const file of manifest.files) {
      const local = path.join(dir, FILES_DIR, ...file.path.split('/'));
      await blobs.putFile(`${prefix}${map.text(file.path)}`, local, file.content_type ? { contentType: file.content_type } : {});
    }
    for (const table of TRANSFER_TABLES) {
      if (table === 'projects' || table === 'jobs') continue;
      const list = prepared[table] as NewRow<typeof table>[];
      for (let i = 0; i < list.length; i += batch) await store.insertMany(table, list.slice(i, i + batch));
    }
    await insertJobHistory(store, prepared.jobs, batch, warnings);
    await stopBeating();
    await store.update('projects', newId, { name, status: real.status ?? 'created', description: real.description ?? null });
  } catch (error) {
    await stopBeating();
    if (created) {
      await store.delete('projects', newId).catch(() => undefined);
    }
    await blobs.removePrefix(prefix).catch(() => undefined);
    if (error instanceof OmveeError) {
      throw new OmveeError(error.code, `import failed, nothing was kept: ${error.message}`, { hint: error.hint, cause: error, details: error.details });
    }
    throw error;
  }
  return {
    projectId: newId,
    name,
    sourceProjectId: source.id,
    rows: Object.fromEntries(TRANSFER_TABLES.map((t) => [t, t === 'jobs' ? jobsKept(prepared.jobs, warnings) : prepared[t].length])) as RowCounts,
    files: manifest.files.length,
    bytes: manifest.files.reduce((n, f) => n + f.size, 0),
    warnings,
  };
}

/** the name a project has while it is being imported (at most 255 characters, like any name) */
function importingName(name: string): string {
  return `${[...name].slice(0, 255 - IMPORTING_SUFFIX.length).join('')}${IMPORTING_SUFFIX}`;
}

const SKIPPED_JOBS = 'job history was not imported: on this Supabase project only the job queue writes job state (sign in with the service key to import it)';

/**
 * Finished jobs are history. On Supabase a signed-in user may not write job state (status,
 * attempts, cost: supabase/migrations/*_queue_privileges.sql), so there the history is left out
 * with a warning instead of failing the whole import.
 */
async function insertJobHistory(store: Store, jobs: readonly NewRow<'jobs'>[], batch: number, warnings: string[]): Promise<void> {
  try {
    for (let i = 0; i < jobs.length; i += batch) await store.insertMany('jobs', jobs.slice(i, i + batch));
  } catch (error) {
    if (error instanceof OmveeError && error.code === 'permission' && store.kind === 'supabase') {
      warnings.push(SKIPPED_JOBS);
      return;
    }
    throw error;
  }
}

function jobsKept(jobs: readonly unknown[], warnings: readonly string[]): number {
  return warnings.includes(SKIPPED_JOBS) ? 0 : jobs.length;
}

/**
 * Remove what imports killed mid-way left behind: projects still marked as an import in
 * progress whose heartbeat stopped more than IMPORT_STALE_MS ago (an import still running
 * renews its marker every IMPORT_HEARTBEAT_MS, so it is left alone).
 */
export async function removeAbandonedImports(store: Store, blobs: Blobs, now: () => number = Date.now, warnings: string[] = []): Promise<string[]> {
  const removed: string[] = [];
  for (const project of await store.list('projects', { where: { status: 'failed' } })) {
    if (!project.description?.startsWith(MARKER_PREFIX)) continue;
    let heartbeat = Number.NaN;
    try {
      heartbeat = Date.parse((JSON.parse(project.description.slice(MARKER_PREFIX.length)) as { heartbeat?: string }).heartbeat ?? '');
    } catch {
      // an unreadable marker is as good as stale
    }
    if (Number.isFinite(heartbeat) && now() - heartbeat <= IMPORT_STALE_MS) continue;
    if (!(await store.delete('projects', project.id).catch(() => false))) continue;
    await blobs.removePrefix(projectPrefix(project.id)).catch(() => 0);
    removed.push(project.id);
    warnings.push(`removed ${project.name} (${project.id}), left half-imported by an import that was interrupted`);
  }
  return removed;
}
