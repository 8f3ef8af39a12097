/**
 * The checks both Store adapters make before anything reaches a database, in one place so the
 * local store and the Supabase store accept and refuse the same input: table metadata derived
 * from the zod schemas of core/model.ts, human labels for messages, column and value checks, and
 * the job queue's argument rules (seconds, progress, worker id, lease).
 */
import type { z } from 'zod';
import { BOOLEAN_COLUMNS, JSON_COLUMNS, TABLE_NAMES, TABLE_SCHEMAS, type TableName } from '../core/model.ts';
import { OmveeError, invalidInput } from '../core/errors.ts';
import { describeIssueAt } from '../core/zod-issues.ts';
import type { JobLease } from './port.ts';

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
  model_contracts: 'model contract',
};

/** The hint a missing job carries, whichever store reports it. */
export const JOB_NOT_FOUND_HINT = 'list jobs with `omvee jobs list`';

/** Columns the store sets itself; an update may not name them. */
export const MANAGED_COLUMNS: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at']);

export interface TableMeta {
  columns: readonly string[];
  columnSet: ReadonlySet<string>;
  json: ReadonlySet<string>;
  boolean: ReadonlySet<string>;
  timestamp: ReadonlySet<string>;
  /** row ids and references to rows: always UUIDs */
  uuid: ReadonlySet<string>;
  /** the model's schema with every column optional: what a patch is checked against */
  partial: z.ZodType;
}

const isTimestampColumn = (column: string): boolean => column.endsWith('_at') || column === 'run_after';
/** row ids and references to rows (not provider ids such as prediction_id) */
const UUID_COLUMN_NAMES = new Set(['id', 'user_id', 'project_id', 'scene_id', 'prompt_id', 'image_id', 'clip_id', 'artist_id']);
const isUuidColumn = (column: string): boolean => UUID_COLUMN_NAMES.has(column);

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
        uuid: new Set(columns.filter(isUuidColumn)),
        partial: tableSchema(table).partial(),
      },
    ];
  }),
);

/** The metadata of `table`; an unknown table name is invalid_input. */
export function tableMeta(table: string): TableMeta {
  const meta = META.get(table as TableName);
  if (!meta) {
    throw new OmveeError('invalid_input', `unknown table: ${String(table)}`, { hint: `tables: ${TABLE_NAMES.join(', ')}` });
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

export function formatZodError(table: string, error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => describeIssueAt(issue, '(row)'));
  return `invalid ${table} row: ${issues.join('; ')}`;
}

/** Check the columns a patch (or a partial row) names and their values against the model. */
export function checkPartialRow(table: TableName, row: AnyRow): void {
  for (const column of Object.keys(row)) assertColumn(table, column);
  const parsed = tableMeta(table).partial.safeParse(row);
  if (!parsed.success) throw invalidInput(formatZodError(table, parsed.error as z.ZodError));
}

export function assertPlainObject(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInput(`${what} must be an object`);
  }
}

/** A finite number of seconds: positive, or non-negative when `allowZero`. */
export function checkSeconds(name: string, value: number, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalidInput(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds, got ${String(value)}`);
  }
  return value;
}

/** Job progress: a number from 0 to 100, rounded to a whole percent. */
export function checkProgress(progress: number): number {
  if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0 || progress > 100) {
    throw invalidInput(`job progress must be a number from 0 to 100, got ${String(progress)}`);
  }
  return Math.round(progress);
}

export function checkWorkerId(workerId: unknown, what = 'claimJob'): string {
  if (typeof workerId !== 'string' || workerId.length === 0) throw invalidInput(`${what} needs a non-empty workerId`);
  return workerId;
}

export function assertLease(lease: JobLease): void {
  assertPlainObject(lease, 'job lease');
  if (typeof lease.id !== 'string' || typeof lease.workerId !== 'string' || !Number.isInteger(lease.attempt)) {
    throw invalidInput('job lease needs a string id, a string workerId and an integer attempt');
  }
  if (lease.leaseSeconds !== undefined) checkSeconds('leaseSeconds', lease.leaseSeconds, false);
}
