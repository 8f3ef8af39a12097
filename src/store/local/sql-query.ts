/**
 * ListQuery / Filter (see store/port.ts) → SQL fragments with bound parameters. Column names
 * are checked against the model before they reach SQL, so nothing user-supplied is spliced in.
 */
import type { TableName } from '../../core/model.ts';
import { OmveeError } from '../../core/errors.ts';
import { assertColumn } from '../row-checks.ts';
import { toSqlValue } from './table-meta.ts';

export type SqlParam = string | number | null;
export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

const OPERATORS = { neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const CONDITION_KEYS = new Set(['in', ...Object.keys(OPERATORS)]);

function isConditionObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && CONDITION_KEYS.has(keys[0] as string);
}

const quote = (column: string): string => `"${column}"`;

/**
 * Conditions joined with AND. `neq` follows SQL (and PostgREST): rows where the column is
 * null do not match. An empty `in` list matches nothing. Undefined conditions are ignored.
 */
export function buildWhere(table: TableName, where: Record<string, unknown> | undefined): SqlFragment & { count: number } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [column, condition] of Object.entries(where ?? {})) {
    if (condition === undefined) continue;
    assertColumn(table, column, 'filter column');
    const col = quote(column);
    if (condition === null) {
      parts.push(`${col} IS NULL`);
    } else if (isConditionObject(condition)) {
      const [op, value] = Object.entries(condition)[0] as [string, unknown];
      if (op === 'in') {
        if (!Array.isArray(value)) {
          throw new OmveeError('invalid_input', `filter ${table}.${column}: "in" needs an array`);
        }
        if (value.length === 0) parts.push('0');
        else {
          parts.push(`${col} IN (${value.map(() => '?').join(', ')})`);
          for (const v of value) params.push(toSqlValue(table, column, v));
        }
      } else {
        if (value === null || value === undefined) {
          throw new OmveeError('invalid_input', `filter ${table}.${column}: "${op}" needs a value`, {
            hint: 'use null (not an operator) to match missing values',
          });
        }
        parts.push(`${col} ${OPERATORS[op as keyof typeof OPERATORS]} ?`);
        params.push(toSqlValue(table, column, value));
      }
    } else {
      parts.push(`${col} = ?`);
      params.push(toSqlValue(table, column, condition));
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params, count: parts.length };
}

interface OrderSpec {
  column: string;
  ascending?: boolean;
}

/** Nulls sort last ascending and first descending, as in Postgres; rowid breaks ties. */
export function buildOrder(table: TableName, order: OrderSpec | readonly OrderSpec[] | undefined): string {
  const list: readonly OrderSpec[] = order === undefined ? [] : Array.isArray(order) ? order : [order as OrderSpec];
  const parts = list.map((o) => {
    assertColumn(table, o.column, 'order column');
    return o.ascending === false ? `${quote(o.column)} DESC NULLS FIRST` : `${quote(o.column)} ASC NULLS LAST`;
  });
  parts.push('rowid ASC');
  return parts.join(', ');
}

function assertCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new OmveeError('invalid_input', `${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function buildLimit(limit: number | undefined, offset: number | undefined): SqlFragment {
  if (limit === undefined && offset === undefined) return { sql: '', params: [] };
  const l = limit === undefined ? -1 : assertCount('limit', limit);
  const o = offset === undefined ? 0 : assertCount('offset', offset);
  return { sql: ' LIMIT ? OFFSET ?', params: [l, o] };
}
