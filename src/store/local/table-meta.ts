/**
 * What the local store needs beyond the shared row checks (../row-checks.ts): the foreign keys
 * it checks itself so a missing parent gets a message naming it, and the conversions between
 * model values and what node:sqlite binds and returns.
 */
import type { TableName } from '../../core/model.ts';
import { OmveeError } from '../../core/errors.ts';
import { normalizeTimestamp, tableMeta, type AnyRow } from '../row-checks.ts';

export interface ForeignKey {
  column: string;
  parent: TableName;
}

/**
 * Parents whose rows belong to one project: a row that refers to one of them must be in the same
 * project (the Supabase schema enforces this with composite foreign keys on (ref, project_id)).
 */
const PROJECT_SCOPED_PARENTS: ReadonlySet<TableName> = new Set<TableName>([
  'selected_scenes',
  'scene_prompts',
  'generated_images',
  'video_clips',
]);

/** Mirrors the REFERENCES clauses in migrations.ts. */
export const FOREIGN_KEYS: { [K in TableName]: readonly ForeignKey[] } = {
  projects: [],
  artists: [],
  selected_scenes: [
    { column: 'project_id', parent: 'projects' },
    { column: 'artist_id', parent: 'artists' },
  ],
  scene_prompts: [
    { column: 'project_id', parent: 'projects' },
    { column: 'scene_id', parent: 'selected_scenes' },
  ],
  generated_images: [
    { column: 'project_id', parent: 'projects' },
    { column: 'scene_id', parent: 'selected_scenes' },
    { column: 'prompt_id', parent: 'scene_prompts' },
  ],
  video_clips: [
    { column: 'project_id', parent: 'projects' },
    { column: 'scene_id', parent: 'selected_scenes' },
    { column: 'image_id', parent: 'generated_images' },
  ],
  user_approvals: [
    { column: 'project_id', parent: 'projects' },
    { column: 'scene_id', parent: 'selected_scenes' },
    { column: 'image_id', parent: 'generated_images' },
    { column: 'clip_id', parent: 'video_clips' },
  ],
  final_videos: [{ column: 'project_id', parent: 'projects' }],
  jobs: [{ column: 'project_id', parent: 'projects' }],
  model_contracts: [],
};

/** The references of `table` that must stay inside the row's project. */
export function projectScopedKeys(table: TableName): readonly ForeignKey[] {
  return FOREIGN_KEYS[table].filter((fk) => PROJECT_SCOPED_PARENTS.has(fk.parent));
}

export interface Referrer {
  table: TableName;
  column: string;
}

/** The project-scoped references that point at rows of `parent`. */
export function projectScopedReferrers(parent: TableName): readonly Referrer[] {
  if (!PROJECT_SCOPED_PARENTS.has(parent)) return [];
  const out: Referrer[] = [];
  for (const [table, keys] of Object.entries(FOREIGN_KEYS) as [TableName, readonly ForeignKey[]][]) {
    for (const fk of keys) if (fk.parent === parent) out.push({ table, column: fk.column });
  }
  return out;
}

/** A JS value (already validated) → what node:sqlite binds. */
export function toSqlValue(table: TableName, column: string, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  const meta = tableMeta(table);
  if (meta.json.has(column)) return JSON.stringify(value);
  if (meta.boolean.has(column)) return value ? 1 : 0;
  if (meta.timestamp.has(column)) return normalizeTimestamp(table, column, value);
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new OmveeError('invalid_input', `${table}.${column}: unsupported value ${JSON.stringify(value)}`);
}

/** A row as SQLite returns it → exactly the model's columns, JSON parsed, booleans as booleans. */
export function shapeRow(table: TableName, raw: AnyRow): AnyRow {
  const meta = tableMeta(table);
  const row: AnyRow = {};
  for (const column of meta.columns) {
    const value = raw[column];
    if (value === null || value === undefined) row[column] = null;
    else if (meta.json.has(column)) row[column] = JSON.parse(String(value));
    else if (meta.boolean.has(column)) row[column] = value === 1 || value === 1n || value === true;
    else if (typeof value === 'bigint') row[column] = Number(value);
    else row[column] = value;
  }
  return row;
}
