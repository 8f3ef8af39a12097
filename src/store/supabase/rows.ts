/** Rows as Supabase returns them (PostgREST or Realtime), shaped like the local store's rows. */
import type { TableName, Tables } from '../../core/model.ts';
import { tableMeta, type AnyRow } from '../row-checks.ts';

/** timestamps as ISO strings in UTC, like the local store returns them */
export function normalizeRow<K extends TableName>(table: K, row: AnyRow): Tables[K] {
  const timestamps = tableMeta(table).timestamp;
  const out: AnyRow = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = timestamps.has(k) && typeof v === 'string' ? new Date(v).toISOString() : v;
  }
  return out as Tables[K];
}
