/**
 * The PostgREST half of the test double: turns `/rest/v1/<table>` and `/rest/v1/rpc/<fn>`
 * requests (the subset supabase-js v2 sends) into SQL run inside the request's transaction.
 */
import type { Transaction } from '@electric-sql/pglite';
import type { DbRole, DoubleDatabase } from './database.ts';
import type { JwtClaims } from './jwt.ts';

export interface RestRequest {
  method: string;
  /** path below /rest/v1/, e.g. "projects" or "rpc/claim_job" */
  resource: string;
  params: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error PostgREST would answer with (status + {code, message, details, hint}). */
export class PgrstError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;
  constructor(status: number, code: string, message: string, details: string | null = null, hint: string | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
  }
}

type Columns = Map<string, string>; // column → SQL type

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/** PostgREST's mapping from SQLSTATE to HTTP status (the part our clients can hit). */
export function statusForSqlState(code: string, role: DbRole): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23505' || code === '23503' || code === '40001') return 409;
  if (code === '42P01' || code === '42883' || code === 'P0002') return 404;
  if (code.startsWith('22') || code.startsWith('23') || code === 'P0001' || code === '42703') return 400;
  return 500;
}

function parsePrefer(header: string | undefined): Set<string> {
  return new Set(
    (header ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** Split `a,"b,c",d` the way PostgREST reads in.(…) lists. */
function parseList(raw: string): string[] {
  const inner = raw.startsWith('(') && raw.endsWith(')') ? raw.slice(1, -1) : raw;
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted && i + 1 < inner.length) cur += inner[++i];
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (inner.length > 0) out.push(cur);
  return out;
}

const OPS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike' };
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict']);

class SqlBuilder {
  readonly values: unknown[] = [];
  param(value: unknown, type?: string): string {
    this.values.push(value);
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`;
  }
}

function column(columns: Columns, name: string): string {
  if (!IDENT.test(name) || !columns.has(name)) {
    throw new PgrstError(400, '42703', `column "${name}" does not exist`);
  }
  return name;
}

function whereClause(params: URLSearchParams, columns: Columns, sql: SqlBuilder): string {
  const parts: string[] = [];
  for (const [key, raw] of params) {
    if (RESERVED.has(key)) continue;
    if (key === 'or' || key === 'and') throw new PgrstError(400, 'PGRST100', `logical operator ${key} is not supported by this test double`);
    const col = column(columns, key);
    const type = columns.get(col)!;
    let rest = raw;
    let negate = false;
    if (rest.startsWith('not.')) {
      negate = true;
      rest = rest.slice(4);
    }
    const dot = rest.indexOf('.');
    if (dot < 0) throw new PgrstError(400, 'PGRST100', `"failed to parse filter (${raw})"`);
    const op = rest.slice(0, dot);
    const value = rest.slice(dot + 1);
    let cond: string;
    if (op === 'is') {
      const v = value.toLowerCase();
      if (!['null', 'true', 'false', 'unknown'].includes(v)) throw new PgrstError(400, 'PGRST100', `"failed to parse filter (${raw})"`);
      cond = `${q(col)} is ${v}`;
    } else if (op === 'in') {
      const items = parseList(value);
      cond = items.length === 0 ? 'false' : `${q(col)} = any(${sql.param(items, `${type}[]`)})`;
    } else if (op in OPS) {
      const textual = op === 'like' || op === 'ilike';
      cond = `${textual ? `${q(col)}::text` : q(col)} ${OPS[op]} ${sql.param(textual ? value.replace(/\*/g, '%') : value, textual ? 'text' : type)}`;
    } else {
      throw new PgrstError(400, 'PGRST100', `operator ${op} is not supported by this test double`);
    }
    parts.push(negate ? `not (${cond})` : cond);
  }
  return parts.length ? `where ${parts.join(' and ')}` : '';
}

function orderClause(params: URLSearchParams, columns: Columns): string {
  const raw = params.get('order');
  if (!raw) return '';
  const terms = raw.split(',').map((term) => {
    const [name, ...mods] = term.split('.');
    let sqlTerm = q(column(columns, name ?? ''));
    for (const mod of mods) {
      if (mod === 'asc' || mod === 'desc') sqlTerm += ` ${mod}`;
      else if (mod === 'nullsfirst') sqlTerm += ' nulls first';
      else if (mod === 'nullslast') sqlTerm += ' nulls last';
      else throw new PgrstError(400, 'PGRST100', `"failed to parse order (${raw})"`);
    }
    return sqlTerm;
  });
  return `order by ${terms.join(', ')}`;
}

function selectList(params: URLSearchParams, columns: Columns): string {
  const raw = params.get('select') ?? '*';
  if (raw === '*' || raw === '') return '*';
  return raw
    .split(',')
    .map((c) => q(column(columns, c.trim())))
    .join(', ');
}

function intParam(params: URLSearchParams, name: string): number | null {
  const v = params.get(name);
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new PgrstError(400, 'PGRST103', `invalid ${name}: ${v}`);
  return n;
}

/** Rows as JSON exactly as PostgREST renders them (json_agg of the selected record). */
async function jsonRows(tx: Transaction, text: string, values: unknown[]): Promise<unknown[]> {
  const res = await tx.query<{ body: unknown[] }>(`select coalesce(json_agg(_r), '[]'::json) as body from (${text}) _r`, values);
  return res.rows[0]?.body ?? [];
}

export class RestHandler {
  readonly #db: DoubleDatabase;
  readonly #columns = new Map<string, Columns>();
  /** PostgREST's db-max-rows as configured on Supabase */
  maxRows = 1000;

  constructor(db: DoubleDatabase) {
    this.#db = db;
  }

  async #tableColumns(table: string): Promise<Columns> {
    const cached = this.#columns.get(table);
    if (cached) return cached;
    if (!IDENT.test(table)) throw this.#missingTable(table);
    const res = await this.#db.asOwner((tx) =>
      tx.query<{ name: string; type: string }>(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
           from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relname = $1 and c.relkind in ('r', 'v') and a.attnum > 0 and not a.attisdropped
          order by a.attnum`,
        [table],
      ),
    );
    if (res.rows.length === 0) throw this.#missingTable(table);
    const cols: Columns = new Map(res.rows.map((r) => [r.name, r.type]));
    this.#columns.set(table, cols);
    return cols;
  }

  #missingTable(table: string): PgrstError {
    return new PgrstError(404, 'PGRST205', `Could not find the table 'public.${table}' in the schema cache`, null, null);
  }

  async handle(req: RestRequest, role: DbRole, claims: JwtClaims): Promise<RestResponse> {
    if (req.resource.startsWith('rpc/')) return this.#rpc(req, req.resource.slice(4), role, claims);
    const table = req.resource;
    const columns = await this.#tableColumns(table);
    const prefer = parsePrefer(req.headers['prefer']);
    const wantsObject = (req.headers['accept'] ?? '').includes('application/vnd.pgrst.object+json');
    const representation = prefer.has('return=representation');
    const sql = new SqlBuilder();
    const sel = selectList(req.params, columns);
    const returning = `returning ${sel}`;

    const run = async (tx: Transaction): Promise<{ rows: unknown[]; total: number | null }> => {
      switch (req.method) {
        case 'GET':
        case 'HEAD': {
          const where = whereClause(req.params, columns, sql);
          // Supabase's PostgREST answers at most max-rows (1000) rows per request
          const asked = intParam(req.params, 'limit');
          const limit = Math.min(asked ?? this.maxRows, this.maxRows);
          const offset = intParam(req.params, 'offset');
          const text = `select ${sel} from public.${q(table)} ${where} ${orderClause(req.params, columns)}` +
            (limit !== null ? ` limit ${limit}` : '') + (offset !== null ? ` offset ${offset}` : '');
          const rows = await jsonRows(tx, text, sql.values);
          let total: number | null = null;
          if (prefer.has('count=exact')) {
            const res = await tx.query<{ n: number }>(`select count(*)::int as n from public.${q(table)} ${where}`, sql.values);
            total = res.rows[0]?.n ?? 0;
          }
          return { rows, total };
        }
        case 'POST': {
          const items = Array.isArray(req.body) ? req.body : [req.body];
          if (items.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
            throw new PgrstError(400, 'PGRST102', 'All object keys must match');
          }
          const useDefault = prefer.has('missing=default');
          const names = req.params.get('columns')
            ? parseList(req.params.get('columns')!).map((c) => c.replace(/"/g, ''))
            : [...new Set(items.flatMap((r) => Object.keys(r as object)))];
          names.forEach((n) => column(columns, n));
          if (items.length === 0) return { rows: [], total: null };
          const tuples = items.map((row) => {
            const rec = `(json_populate_record(null::public.${q(table)}, ${sql.param(JSON.stringify(row), 'json')}))`;
            return `(${names.map((n) => (n in (row as object) ? `${rec}.${q(n)}` : useDefault ? 'default' : 'null')).join(', ')})`;
          });
          const text = names.length
            ? `insert into public.${q(table)} (${names.map(q).join(', ')}) values ${tuples.join(', ')} ${returning}`
            : `insert into public.${q(table)} default values ${returning}`;
          return { rows: await this.#mutate(tx, text, sql.values), total: null };
        }
        case 'PATCH': {
          const patch = req.body;
          if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
          const names = Object.keys(patch);
          names.forEach((n) => column(columns, n));
          if (names.length === 0) return { rows: [], total: null };
          const rec = `(json_populate_record(null::public.${q(table)}, ${sql.param(JSON.stringify(patch), 'json')}))`;
          const where = whereClause(req.params, columns, sql);
          const text = `update public.${q(table)} set ${names.map((n) => `${q(n)} = ${rec}.${q(n)}`).join(', ')} ${where} ${returning}`;
          return { rows: await this.#mutate(tx, text, sql.values), total: null };
        }
        case 'DELETE': {
          const where = whereClause(req.params, columns, sql);
          const text = `delete from public.${q(table)} ${where} ${returning}`;
          return { rows: await this.#mutate(tx, text, sql.values), total: null };
        }
        default:
          throw new PgrstError(405, 'PGRST117', `Unsupported HTTP method: ${req.method}`);
      }
    };

    const result = await this.#db.asRole(role, claims, async (tx) => {
      const out = await run(tx);
      if (wantsObject && out.rows.length !== 1) {
        // PostgREST rolls the statement back when a singular response is impossible
        throw new PgrstError(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${out.rows.length} rows`);
      }
      return out;
    });

    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const first = intParam(req.params, 'offset') ?? 0;
    const rangeEnd = result.rows.length ? `${first}-${first + result.rows.length - 1}` : '*';
    headers['content-range'] = `${req.method === 'GET' || req.method === 'HEAD' ? rangeEnd : '*'}/${result.total ?? '*'}`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      return { status: 200, headers, body: req.method === 'HEAD' ? '' : JSON.stringify(wantsObject ? result.rows[0] : result.rows) };
    }
    const status = req.method === 'POST' ? 201 : representation ? 200 : 204;
    if (!representation) return { status, headers, body: '' };
    return { status, headers, body: JSON.stringify(wantsObject ? result.rows[0] : result.rows) };
  }

  /** data-modifying statements must sit at the top level of a WITH */
  async #mutate(tx: Transaction, text: string, values: unknown[]): Promise<unknown[]> {
    const res = await tx.query<{ body: unknown[] }>(`with _m as (${text}) select coalesce(json_agg(_m), '[]'::json) as body from _m`, values);
    return res.rows[0]?.body ?? [];
  }

  async #rpc(req: RestRequest, fn: string, role: DbRole, claims: JwtClaims): Promise<RestResponse> {
    if (!IDENT.test(fn)) throw new PgrstError(404, 'PGRST202', `Could not find the function public.${fn} in the schema cache`);
    const args = (req.method === 'GET' ? Object.fromEntries(req.params) : (req.body ?? {})) as Record<string, unknown>;
    const found = await this.#db.asOwner((tx) =>
      tx.query<{ argnames: string[] | null; argtypes: string[]; retset: boolean; rettype: string }>(
        `select p.proargnames as argnames,
                array(select format_type(t, null) from unnest(p.proargtypes) t) as argtypes,
                p.proretset as retset, format_type(p.prorettype, null) as rettype
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.proname = $1`,
        [fn],
      ),
    );
    const keys = Object.keys(args);
    const proc = found.rows.find((p) => keys.every((k) => (p.argnames ?? []).includes(k)));
    if (!proc) {
      throw new PgrstError(404, 'PGRST202', `Could not find the function public.${fn}(${keys.join(', ')}) in the schema cache`,
        null, 'Perhaps you should apply the migrations (supabase db push).');
    }
    const sql = new SqlBuilder();
    const named = keys.map((k) => {
      const type = proc.argtypes[(proc.argnames ?? []).indexOf(k)] ?? 'text';
      const v = args[k];
      let expr: string;
      if (v === null || v === undefined) expr = `null::${type}`;
      else if (type === 'json' || type === 'jsonb') expr = sql.param(JSON.stringify(v), type);
      else if (type.endsWith('[]')) {
        const items = Array.isArray(v) ? v.map(String) : parseList(String(v).replace(/^\{|\}$/g, ''));
        expr = sql.param(items, type);
      } else expr = sql.param(typeof v === 'object' ? JSON.stringify(v) : String(v), type);
      return `${q(k)} => ${expr}`;
    });
    const call = `public.${q(fn)}(${named.join(', ')})`;
    const wantsObject = (req.headers['accept'] ?? '').includes('application/vnd.pgrst.object+json');
    const body = await this.#db.asRole(role, claims, async (tx) => {
      if (proc.retset) {
        const rows = await jsonRows(tx, `select * from ${call}`, sql.values);
        if (wantsObject && rows.length !== 1) {
          throw new PgrstError(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${rows.length} rows`);
        }
        return wantsObject ? rows[0] : rows;
      }
      const res = await tx.query<{ v: unknown }>(`select to_json(${call}) as v`, sql.values);
      return res.rows[0]?.v ?? null;
    });
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  }
}
