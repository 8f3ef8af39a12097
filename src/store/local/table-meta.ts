/**
 * What the local store needs to know about each table beyond its SQL: column lists (from the
 * zod schemas in core/model.ts), which columns are timestamps, JSON or booleans, and the
 * foreign keys it checks itself so a missing parent gets a message naming it.
 */
import type { z } from 'zod';
import { BOOLEAN_COLUMNS, JSON_COLUMNS, TABLE_NAMES, TABLE_SCHEMAS, type TableName } from '../../core/model.ts';
import { OmveeError } from '../../cli/errors.ts';

export type AnyRow = Record<string, unknown>;

export function tableSchema(table: TableName): z.ZodObject<z.ZodRawShape> {
  return TABLE_SCHEMAS[table] as unknown as z.ZodObject<z.ZodRawShape>;
}

/** Human label for messages ("scene not found: …"). */
export const TABLE_LABELS: { [K in TableName]: string } = {
  projects: 'project',
  selected_scenes: 'scene',
  scene_prompts: 'scene prompt',
  generated_images: 'image',
  video_clips: 'clip',
  user_approvals: 'approval',
  final_videos: 'final video',
  jobs: 'job',
  artists: 'artist',
};

export interface ForeignKey {
  column: string;
  parent: TableName;
}

/**
 * Parents whose rows belong to one project: a row that refers to one of them must be in the same
 * project (the Supabase schema enforces this with composite foreign keys on (ref, project_id)).
 */
export const PROJECT_SCOPED_PARENTS: ReadonlySet<TableName> = new Set<TableName>([
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

interface TableMeta {
  columns: readonly string[];
  columnSet: ReadonlySet<string>;
  json: ReadonlySet<string>;
  boolean: ReadonlySet<string>;
  timestamp: ReadonlySet<string>;
}

const isTimestampColumn = (column: string): boolean => column.endsWith('_at') || column === 'run_after';

const META = new Map<TableName, TableMeta>(
  TABLE_NAMES.map((table) => {
    const columns = Object.keys(tableSchema(table).shape);
    return [
      table,
      {
        columns,
        columnSet: new Set(columns),
        json: new Set(JSON_COLUMNS[table] as readonly string[]),
        boolean: new Set(BOOLEAN_COLUMNS[table] as readonly string[]),
        timestamp: new Set(columns.filter(isTimestampColumn)),
      },
    ];
  }),
);

export function tableMeta(table: string): TableMeta {
  const meta = META.get(table as TableName);
  if (!meta) {
    throw new OmveeError('invalid_input', `unknown table: ${table}`, { hint: `tables: ${TABLE_NAMES.join(', ')}` });
  }
  return meta;
}

export function assertColumn(table: TableName, column: string, what = 'column'): void {
  if (!tableMeta(table).columnSet.has(column)) {
    throw new OmveeError('invalid_input', `unknown ${what} "${column}" for table ${table}`, {
      hint: `columns of ${table}: ${tableMeta(table).columns.join(', ')}`,
    });
  }
}

/** Normalise a timestamp to `new Date(x).toISOString()`; rejects what is not a date. */
export function normalizeTimestamp(table: TableName, column: string, value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new OmveeError('invalid_input', `${table}.${column}: not a valid timestamp: ${String(value)}`, {
      hint: 'use an ISO-8601 date, e.g. 2025-01-31T12:00:00.000Z',
    });
  }
  return date.toISOString();
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
