/**
 * Supabase Realtime's WebSocket endpoint (`/realtime/v1/websocket`) for the test double: the
 * Phoenix channel protocol as the real `@supabase/realtime-js` client speaks it, with
 * `postgres_changes` fed by the double's own Postgres (row triggers + LISTEN/NOTIFY, see
 * bootstrap.sql) and every event authorised by the subscriber's row level security.
 *
 * Learned from (read, not copied):
 * - the client: node_modules/@supabase/realtime-js/src/RealtimeClient.ts, RealtimeChannel.ts
 *   (join payload `config.postgres_changes`, `access_token` pushes, the `{ids, data}` payload
 *   and how `ids` select bindings), lib/serializer.ts (vsn 2.0.0 frames
 *   `[join_ref, ref, topic, event, payload]`), lib/transformers.ts (columns → JS values), and
 *   node_modules/@supabase/phoenix/priv/static/phoenix.mjs (endpoint `…/websocket?apikey=…&vsn=…`,
 *   heartbeats on topic `phoenix`, reconnect and rejoin);
 * - the server, github:supabase/realtime: lib/realtime_web/channels/user_socket.ex (connect:
 *   `apikey` param or `x-api-key` header, HTTP 401/403 bodies `{"error": …}`),
 *   lib/realtime_web/channels/realtime_channel.ex (join: token checks and their reasons, reply
 *   `{postgres_changes: [params + id]}`, then a `system` message "Subscribed to PostgreSQL";
 *   `access_token` handling; token expiry shuts the channel down with a `system` error),
 *   lib/extensions/postgres_cdc_rls/subscriptions.ex (filter parsing and its error texts, the
 *   publication lookup), cdc_rls.ex and message_dispatcher.ex (`postgres_changes` with
 *   `{ids, data}`), priv/repo/tenant_schema/realtime/functions/apply_rls.sql,
 *   build_prepared_statement_sql.sql, is_visible_through_filters.sql, check_equality_op.sql and
 *   subscription_check_filters.sql (what `data` holds, the RLS check: `select exists(select 1
 *   from <table> where <pk> = …)` run as the subscriber's role with its JWT claims, DELETEs not
 *   checked and reduced to the primary key, 400/401/413 errors);
 * - Phoenix, github:phoenixframework/phoenix: lib/phoenix/socket.ex (heartbeat reply,
 *   "unmatched topic", phx_leave → reply then phx_close, duplicate joins close the old channel),
 *   lib/phoenix/socket/serializers/v1_json_serializer.ex and v2_json_serializer.ex,
 *   lib/phoenix/endpoint.ex (websocket `timeout`: closed 60 s after it last received data).
 *
 * Not implemented: Broadcast and Presence (their messages are ignored), private channels (refused
 * as unauthorised: omvee's schema has no realtime.messages policies), the pre-`config` topic API.
 * Differences: commit_timestamp is the time the row changed (not the commit), and the change
 * stream is the trigger table rather than a replication slot.
 *
 * Test-only: never imported from src/.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { DbRole, DoubleDatabase } from './database.ts';
import { verifyJwt, type JwtClaims } from './jwt.ts';

export const REALTIME_PATH = '/realtime/v1/websocket';
const NOTIFY_CHANNEL = 'realtime_double_changes';
const DB_ROLES: readonly DbRole[] = ['anon', 'authenticated', 'service_role'];

export interface RealtimeOptions {
  /** close a socket this long after it last received anything (Phoenix's websocket `timeout`, 60 s) */
  idleTimeoutMs?: number;
  /** apply_rls's max_record_bytes (1 MiB): bigger changes lose values over 64 bytes and say 413 */
  maxRecordBytes?: number;
  /** Realtime sleeps before replying a join error (channel_error_backoff_ms); 0 keeps tests fast */
  joinErrorBackoffMs?: number;
}

export interface RealtimeStats {
  /** websocket connections accepted */
  connections: number;
  /** upgrades refused (bad key, injected refusals) */
  refused: number;
  /** channel joins answered ok */
  joins: number;
  heartbeats: number;
  /** RLS checks run for postgres_changes (one per change per subscribed channel that matched) */
  rlsChecks: number;
  /** postgres_changes messages sent */
  eventsSent: number;
}

export interface RealtimeControl {
  readonly stats: Readonly<RealtimeStats>;
  /** RLS checks run on behalf of one subscriber (by JWT `sub`, or role when there is none) */
  rlsChecksFor(subject: string): number;
  readonly openSockets: number;
  /** close every socket from the server side (1001 is what Phoenix sends for "disconnect") */
  dropConnections(code?: number): void;
  /** refuse the next `count` websocket upgrades with HTTP 503 (Infinity: until told otherwise) */
  refuseConnections(count: number): void;
  /** resolves once every change captured so far has been dispatched */
  flush(): Promise<void>;
}

// ---- wire format ------------------------------------------------------------------------------

interface Frame {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

type Vsn = '1.0.0' | '2.0.0';

function decodeFrame(vsn: Vsn, data: string): Frame | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) return null;
    const [join_ref, ref, topic, event, payload] = parsed as unknown[];
    if (typeof topic !== 'string' || typeof event !== 'string') return null;
    return { join_ref: str(join_ref), ref: str(ref), topic, event, payload: isObject(payload) ? payload : {} };
  }
  if (!isObject(parsed) || typeof parsed.topic !== 'string' || typeof parsed.event !== 'string') return null;
  return { join_ref: str(parsed.join_ref), ref: str(parsed.ref), topic: parsed.topic, event: parsed.event, payload: isObject(parsed.payload) ? parsed.payload : {} };
}

function encodeFrame(vsn: Vsn, f: Frame): string {
  // V1 carries topic/event/payload/ref only (v1_json_serializer.ex encode_v1_fields_only)
  if (vsn === '1.0.0') return JSON.stringify({ topic: f.topic, event: f.event, payload: f.payload, ref: f.ref });
  return JSON.stringify([f.join_ref, f.ref, f.topic, f.event, f.payload]);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- tokens -----------------------------------------------------------------------------------

type TokenCheck = { ok: true; claims: JwtClaims & { role: string; exp: number } } | { ok: false; kind: 'malformed' | 'signature' | 'expired' | 'missing_claims'; message: string };

function checkToken(token: string, secret: string): TokenCheck {
  const cleaned = decodeURIComponentSafe(token).replace(/\s/g, '');
  const verified = verifyJwt(cleaned, secret, Number.NEGATIVE_INFINITY);
  if (!verified.ok) {
    return verified.reason.includes('Signature')
      ? { ok: false, kind: 'signature', message: 'Failed to validate JWT signature' }
      : { ok: false, kind: 'malformed', message: 'The token provided is not a valid JWT' };
  }
  const { claims } = verified;
  if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') return { ok: false, kind: 'missing_claims', message: 'Fields `role` and `exp` are required in JWT' };
  const now = Math.floor(Date.now() / 1000);
  if (!(claims.exp > now)) return { ok: false, kind: 'expired', message: `Token has expired ${now - Math.round(claims.exp)} seconds ago` };
  return { ok: true, claims: claims as JwtClaims & { role: string; exp: number } };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** the join error reason realtime_channel.ex gives for a token that fails confirm_token */
function joinTokenReason(check: Extract<TokenCheck, { ok: false }>): string {
  switch (check.kind) {
    case 'expired':
    case 'missing_claims':
      return `InvalidJWTToken: ${check.message}`;
    case 'malformed':
      return `MalformedJWT: ${check.message}`;
    case 'signature':
      return `JwtSignatureError: ${check.message}`;
  }
}

// ---- subscription parameters (subscriptions.ex parse_subscription_params) ---------------------

const FILTER_OPS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct']);

interface ParsedFilter {
  column: string;
  op: string;
  value: string;
  negate: boolean;
}

interface ParsedParams {
  action: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table: string;
  filters: ParsedFilter[];
  select: string[] | null;
}

/** Elixir's inspect/1 for the values Realtime puts in its messages */
function inspect(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(inspect).join(', ')}]`;
  if (isObject(v) && Array.isArray(v.tuple)) return `{${(v.tuple as unknown[]).map(inspect).join(', ')}}`;
  return `%{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)} => ${inspect(x)}`).join(', ')}}`;
}

function parseParams(params: Record<string, unknown>): { ok: true; value: ParsedParams } | { ok: false; message: string } {
  const event = typeof params.event === 'string' ? params.event.toUpperCase() : '*';
  const action = event === 'INSERT' || event === 'UPDATE' || event === 'DELETE' ? event : '*';
  let select: string[] | null = null;
  if ('select' in params) {
    if (typeof params.select === 'string') return { ok: false, message: 'Error parsing `select` params: expected a list of column name strings, e.g. select: ["col1", "col2"]' };
    if (Array.isArray(params.select)) {
      const cols = params.select.filter((c): c is string => typeof c === 'string');
      select = cols.length ? cols : null;
    }
  }
  const has = (k: string) => k in params;
  let schema: string;
  let table: string;
  let filters: ParsedFilter[] = [];
  if (typeof params.schema === 'string' && typeof params.table === 'string' && typeof params.filter === 'string') {
    const parsed = parseFilters(params.filter);
    if (!parsed.ok) return { ok: false, message: `Error parsing \`filter\` params: ${parsed.message}` };
    ({ schema, table } = params as { schema: string; table: string });
    filters = parsed.value;
  } else if (typeof params.schema === 'string' && typeof params.table === 'string' && !has('filter')) {
    ({ schema, table } = params as { schema: string; table: string });
  } else if (typeof params.schema === 'string' && !has('table') && !has('filter')) {
    schema = params.schema;
    table = '*';
  } else if (typeof params.table === 'string' && !has('schema') && !has('filter')) {
    schema = 'public';
    table = params.table;
  } else {
    return { ok: false, message: `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${inspect(params)}` };
  }
  if (select && (schema === '*' || table === '*')) {
    return { ok: false, message: 'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.' };
  }
  return { ok: true, value: { action, schema, table, filters, select } };
}

function parseFilters(filter: string): { ok: true; value: ParsedFilter[] } | { ok: false; message: string } {
  const trimmed = filter.trim();
  if (trimmed === '') return { ok: true, value: [] };
  const out: ParsedFilter[] = [];
  for (const segment of splitTopLevel(trimmed)) {
    const s = segment.trim();
    if (s === '') return { ok: false, message: 'filter must not contain empty segments (check for extra commas)' };
    const eq = s.indexOf('=');
    if (eq < 0) return { ok: false, message: inspect([s]) };
    const column = s.slice(0, eq);
    let rest = s.slice(eq + 1);
    const negate = rest.startsWith('not.');
    if (negate) rest = rest.slice(4);
    const dot = rest.indexOf('.');
    if (dot < 0) return { ok: false, message: inspect([rest]) };
    const op = rest.slice(0, dot);
    const raw = rest.slice(dot + 1);
    if (!FILTER_OPS.has(op)) return { ok: false, message: inspect([op, raw]) };
    let value: string;
    if (op === 'in') {
      if (!(raw.length >= 2 && raw.startsWith('(') && raw.endsWith(')'))) return { ok: false, message: '`in` filter value must be wrapped by parentheses' };
      value = `{${raw.slice(1, -1)}}`;
    } else value = unquote(raw);
    out.push({ column, op, value, negate });
  }
  return { ok: true, value: out };
}

/** split on commas outside double quotes and parentheses */
function splitTopLevel(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  let prev = '';
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < filter.length) {
        current += c + filter[++i];
        continue;
      }
      if (c === '"') quoted = false;
      current += c;
    } else if (c === '"' && (prev === '.' || prev === '(' || prev === ',')) {
      quoted = true;
      current += c;
    } else if (c === '(') {
      depth++;
      current += c;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      current += c;
    } else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
      prev = '';
      continue;
    } else current += c;
    prev = c;
  }
  parts.push(current);
  return parts;
}

function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length) out += v[++i];
    else if (c === '"') return i === v.length - 1 ? out : v;
    else out += c;
  }
  return v;
}

function paramsToLog(p: ParsedParams): string {
  const filters = p.filters.map((f) => ({ tuple: [f.column, f.op, f.value, f.negate] }));
  return `event: ${p.action}, schema: ${p.schema}, table: ${p.table}, filters: ${inspect(filters)}, select: ${inspect(p.select)}`;
}

/** a stable small integer per distinct params map, like :erlang.phash2/1 (0 ≤ id < 2^27) */
function paramsId(params: Record<string, unknown>): number {
  const canonical = JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
  let h = 2166136261;
  for (let i = 0; i < canonical.length; i++) h = Math.imul(h ^ canonical.charCodeAt(i), 16777619) >>> 0;
  return h % 2 ** 27;
}

// Postgrex formats a Postgres error as "ERROR <code> (<condition>) <message>"
const CONDITIONS: Record<string, string> = {
  P0001: 'raise_exception',
  '22P02': 'invalid_text_representation',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22003': 'numeric_value_out_of_range',
  '2201B': 'invalid_regular_expression',
  '42704': 'undefined_object',
  '42883': 'undefined_function',
  '23502': 'not_null_violation',
};
class SubscriptionException extends Error {
  constructor(code: string, message: string) {
    super(`ERROR ${code} (${CONDITIONS[code] ?? 'error'}) ${message}`);
  }
}
const pgError = (e: unknown): SubscriptionException => {
  const err = e as { code?: string; message?: string };
  return new SubscriptionException(err.code ?? 'XX000', err.message ?? String(e));
};

// ---- table metadata --------------------------------------------------------------------------

interface ColumnMeta {
  name: string;
  /** format_type(): what a value is cast to */
  sqlType: string;
  /** pg_type.typname: what the client converts by (lib/transformers.ts) */
  typname: string;
  isPkey: boolean;
  selectableBy: Record<DbRole, boolean>;
}

interface TableMeta {
  entity: string;
  schema: string;
  table: string;
  columns: ColumnMeta[];
  rls: boolean;
  /** relreplident: d default (primary key), f full, n nothing, i index */
  replicaIdentity: string;
}

// ---- connections and channels ----------------------------------------------------------------

interface Binding {
  id: number;
  params: ParsedParams;
  /** 'schema.table' of the published tables it covers */
  entities: Set<string>;
}

interface Channel {
  topic: string;
  subTopic: string;
  joinRef: string | null;
  token: string;
  claims: JwtClaims & { role: string; exp: number };
  rawParams: Record<string, unknown>[];
  bindings: Binding[];
  /** true once the postgres_changes subscription exists ("Subscribed to PostgreSQL") */
  subscribed: boolean;
  expiryTimer: NodeJS.Timeout | null;
  closed: boolean;
}

interface Connection {
  ws: WebSocket;
  vsn: Vsn;
  apikey: string;
  channels: Map<string, Channel>;
  idleTimer: NodeJS.Timeout | null;
}

export class RealtimeEndpoint implements RealtimeControl {
  readonly #db: DoubleDatabase;
  readonly #secret: string;
  readonly #idleTimeoutMs: number;
  readonly #maxRecordBytes: number;
  readonly #joinErrorBackoffMs: number;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('phoenix') ? 'phoenix' : false) });
  readonly #connections = new Set<Connection>();
  readonly #meta = new Map<string, TableMeta>();
  readonly #rlsBySubject = new Map<string, number>();
  #refuse = 0;
  #draining: Promise<void> = Promise.resolve();
  #unlisten: (() => Promise<void>) | null = null;
  #closed = false;
  readonly stats: RealtimeStats = { connections: 0, refused: 0, joins: 0, heartbeats: 0, rlsChecks: 0, eventsSent: 0 };

  constructor(db: DoubleDatabase, jwtSecret: string, options: RealtimeOptions = {}) {
    this.#db = db;
    this.#secret = jwtSecret;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.#maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024;
    this.#joinErrorBackoffMs = options.joinErrorBackoffMs ?? 0;
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#db.pg.listen(NOTIFY_CHANNEL, () => {
      this.#draining = this.#draining.then(() => this.#drain()).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const c of this.#connections) this.#teardown(c);
    for (const c of this.#connections) c.ws.terminate();
    this.#connections.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await this.#draining;
    await this.#unlisten?.().catch(() => undefined);
  }

  get openSockets(): number {
    return this.#connections.size;
  }

  rlsChecksFor(subject: string): number {
    return this.#rlsBySubject.get(subject) ?? 0;
  }

  dropConnections(code = 1001): void {
    for (const c of [...this.#connections]) {
      this.#teardown(c);
      c.ws.close(code, 'server closed the connection');
    }
  }

  refuseConnections(count: number): void {
    this.#refuse = count;
  }

  flush(): Promise<void> {
    return this.#draining;
  }

  // ---- connect (user_socket.ex connect/3) ----

  /** handles an HTTP upgrade when it is for the Realtime path; false otherwise */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== REALTIME_PATH) return false;
    const reject = (status: number, text: string, body: Record<string, unknown>) => {
      this.stats.refused++;
      const json = JSON.stringify(body);
      socket.write(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`);
      socket.destroy();
    };
    if (this.#closed) {
      reject(503, 'Service Unavailable', { error: 'Realtime is restarting, please standby' });
      return true;
    }
    if (this.#refuse > 0) {
      this.#refuse--;
      reject(503, 'Service Unavailable', { error: 'Error connecting to Realtime' });
      return true;
    }
    const vsnParam = url.searchParams.get('vsn') ?? '1.0.0';
    const vsn: Vsn | null = /^1\.0\.\d+$/.test(vsnParam) ? '1.0.0' : /^2\.0\.\d+$/.test(vsnParam) ? '2.0.0' : null;
    if (!vsn) {
      reject(403, 'Forbidden', { error: `The client's requested serializer version "${vsnParam}" does not match server's version requirements` });
      return true;
    }
    const header = req.headers['x-api-key'];
    const apikey = typeof header === 'string' ? header : url.searchParams.get('apikey');
    if (!apikey) {
      reject(401, 'Unauthorized', { error: 'API key is missing' });
      return true;
    }
    const check = checkToken(apikey, this.#secret);
    if (!check.ok) {
      const error = check.kind === 'expired' ? 'Token has expired' : check.message;
      reject(401, 'Unauthorized', { error });
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, vsn, apikey));
    return true;
  }

  #accept(ws: WebSocket, vsn: Vsn, apikey: string): void {
    this.stats.connections++;
    const conn: Connection = { ws, vsn, apikey, channels: new Map(), idleTimer: null };
    this.#connections.add(conn);
    this.#touch(conn);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.#touch(conn);
      // binary frames are user broadcasts (serializer.ts kind 3): Broadcast is not implemented
      if (isBinary) return;
      const frame = decodeFrame(conn.vsn, data.toString('utf8'));
      // Realtime logs MalformedWebSocketMessage and keeps the socket (lib/realtime_web/socket.ex)
      if (frame) void this.#handle(conn, frame).catch(() => undefined);
    });
    ws.on('ping', () => this.#touch(conn));
    ws.on('close', () => {
      this.#teardown(conn);
      this.#connections.delete(conn);
    });
    ws.on('error', () => undefined);
  }

  #touch(conn: Connection): void {
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    conn.idleTimer = setTimeout(() => {
      this.#teardown(conn);
      conn.ws.terminate();
    }, this.#idleTimeoutMs);
    conn.idleTimer.unref();
  }

  #teardown(conn: Connection): void {
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    conn.idleTimer = null;
    for (const ch of conn.channels.values()) this.#closeChannel(ch);
    conn.channels.clear();
  }

  #closeChannel(ch: Channel): void {
    ch.closed = true;
    ch.subscribed = false;
    if (ch.expiryTimer) clearTimeout(ch.expiryTimer);
    ch.expiryTimer = null;
  }

  #send(conn: Connection, frame: Frame): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(encodeFrame(conn.vsn, frame));
  }

  #reply(conn: Connection, req: Frame, status: 'ok' | 'error', response: Record<string, unknown>): void {
    this.#send(conn, { join_ref: req.join_ref, ref: req.ref, topic: req.topic, event: 'phx_reply', payload: { status, response } });
  }

  #push(conn: Connection, ch: Channel, event: string, payload: Record<string, unknown>): void {
    // pushes from the channel carry its join_ref (Phoenix.Channel.Server.push); broadcasts do not
    this.#send(conn, { join_ref: event === 'system' ? ch.joinRef : null, ref: null, topic: ch.topic, event, payload });
  }

  /** the channel stops: Phoenix tells the client with phx_close (join_ref as ref) */
  #stopChannel(conn: Connection, ch: Channel): void {
    this.#closeChannel(ch);
    if (conn.channels.get(ch.topic) === ch) conn.channels.delete(ch.topic);
    this.#send(conn, { join_ref: ch.joinRef, ref: ch.joinRef, topic: ch.topic, event: 'phx_close', payload: {} });
  }

  /** shutdown_response/2: a system error message, then the channel stops */
  #shutdown(conn: Connection, ch: Channel, message: string): void {
    this.#push(conn, ch, 'system', { extension: 'system', status: 'error', message, channel: ch.subTopic });
    this.#stopChannel(conn, ch);
  }

  // ---- messages (phoenix socket.ex handle_in) ----

  async #handle(conn: Connection, frame: Frame): Promise<void> {
    if (frame.topic === 'phoenix' && frame.event === 'heartbeat') {
      this.stats.heartbeats++;
      return this.#reply(conn, frame, 'ok', {});
    }
    const existing = conn.channels.get(frame.topic);
    if (frame.event === 'phx_join') {
      if (!frame.topic.startsWith('realtime:')) return this.#reply(conn, frame, 'error', { reason: 'unmatched topic' });
      if (existing) this.#stopChannel(conn, existing); // a duplicate join closes the old channel
      return this.#join(conn, frame);
    }
    if (!existing) {
      // phx_leave of an unknown topic is answered ok; anything else is an unmatched topic
      if (frame.event === 'phx_leave') return this.#reply(conn, frame, 'ok', {});
      return this.#reply(conn, frame, 'error', { reason: 'unmatched topic' });
    }
    if (frame.join_ref !== null && frame.join_ref !== existing.joinRef) return; // stale message of an old join
    if (frame.event === 'phx_leave') {
      this.#reply(conn, frame, 'ok', {});
      return this.#stopChannel(conn, existing);
    }
    if (frame.event === 'access_token') return this.#accessToken(conn, existing, frame.payload);
    // broadcast, presence and unknown events: not implemented / "Unexpected message from client"
  }

  async #joinError(conn: Connection, frame: Frame, reason: string): Promise<void> {
    if (this.#joinErrorBackoffMs > 0) await new Promise((r) => setTimeout(r, this.#joinErrorBackoffMs));
    this.#reply(conn, frame, 'error', { reason });
  }

  async #join(conn: Connection, frame: Frame): Promise<void> {
    const subTopic = frame.topic.slice('realtime:'.length);
    if (subTopic === '') return this.#joinError(conn, frame, 'TopicNameRequired: You must provide a topic name');
    const params = frame.payload;
    const given = typeof params.access_token === 'string' ? params.access_token : typeof params.user_token === 'string' ? params.user_token : null;
    const token = given === null || given.startsWith('sb_') ? conn.apikey : given;
    const check = checkToken(token, this.#secret);
    if (!check.ok) return this.#joinError(conn, frame, joinTokenReason(check));
    const config = isObject(params.config) ? params.config : null;
    if (config && (config.private === true || config.private === 'true')) {
      return this.#joinError(conn, frame, `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`);
    }
    const rawParams = (config && Array.isArray(config.postgres_changes) ? config.postgres_changes : []).filter(isObject);
    const ch: Channel = {
      topic: frame.topic,
      subTopic,
      joinRef: frame.join_ref ?? frame.ref,
      token,
      claims: check.claims,
      rawParams,
      bindings: [],
      subscribed: false,
      expiryTimer: null,
      closed: false,
    };
    conn.channels.set(ch.topic, ch);
    this.#scheduleExpiry(conn, ch);
    this.stats.joins++;
    this.#reply(conn, frame, 'ok', { postgres_changes: rawParams.map((p) => ({ ...p, id: paramsId(p) })) });
    const broadcast = config && isObject(config.broadcast) ? config.broadcast : null;
    if (broadcast?.replication_ready) {
      this.#push(conn, ch, 'system', { extension: 'system', status: 'ok', message: 'Replication connection established', channel: subTopic });
    }
    if (rawParams.length > 0) await this.#subscribe(conn, ch);
  }

  /** confirm_token: the channel shuts down when its token expires */
  #scheduleExpiry(conn: Connection, ch: Channel): void {
    if (ch.expiryTimer) clearTimeout(ch.expiryTimer);
    const ms = Math.max(0, ch.claims.exp * 1000 - Date.now());
    ch.expiryTimer = setTimeout(() => {
      if (ch.closed) return;
      const check = checkToken(ch.token, this.#secret);
      if (check.ok) return this.#scheduleExpiry(conn, ch);
      this.#shutdown(conn, ch, check.kind === 'signature' ? ':signature_error' : check.message);
    }, Math.min(ms + 5, 2 ** 31 - 1));
    ch.expiryTimer.unref();
  }

  async #accessToken(conn: Connection, ch: Channel, payload: Record<string, unknown>): Promise<void> {
    const token = payload.access_token;
    if (typeof token !== 'string' || token.startsWith('sb_') || token === ch.token) return;
    const check = checkToken(token, this.#secret);
    if (!check.ok) {
      const message = check.kind === 'signature' ? ':signature_error' : check.message;
      return this.#shutdown(conn, ch, message);
    }
    ch.token = token;
    ch.claims = check.claims;
    this.#scheduleExpiry(conn, ch);
    // the subscription is made again with the new claims (postgres_subscribe after access_token)
    if (ch.rawParams.length > 0) await this.#subscribe(conn, ch);
  }

  // ---- postgres_changes subscription (cdc_rls.ex handle_after_connect, subscriptions.ex create) ----

  async #subscribe(conn: Connection, ch: Channel): Promise<void> {
    const system = (status: 'ok' | 'error', message: string) =>
      this.#push(conn, ch, 'system', { extension: 'postgres_changes', status, message, channel: ch.subTopic });
    const parsed: { raw: Record<string, unknown>; params: ParsedParams }[] = [];
    for (const raw of ch.rawParams) {
      const p = parseParams(raw);
      if (!p.ok) return system('error', p.message);
      parsed.push({ raw, params: p.value });
    }
    const bindings: Binding[] = [];
    for (const { raw, params } of parsed) {
      let entities: string[];
      try {
        entities = await this.#publishedTables(params.schema, params.table);
        if (entities.length === 0) {
          return system('error', `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${paramsToLog(params)}]`);
        }
        const role = ch.claims.role;
        if (!DB_ROLES.includes(role as DbRole)) throw new SubscriptionException('23502', 'null value in column "claims_role" of relation "subscription" violates not-null constraint');
        for (const entity of entities) await this.#checkFilters(await this.#tableMeta(entity), params, role as DbRole);
      } catch (error) {
        const e = error instanceof SubscriptionException ? error : pgError(error);
        return system('error', `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${paramsToLog(params)}]. Exception: ${e.message}`);
      }
      bindings.push({ id: paramsId(raw), params, entities: new Set(entities) });
    }
    if (ch.closed) return;
    ch.bindings = bindings;
    ch.subscribed = true;
    system('ok', 'Subscribed to PostgreSQL');
  }

  async #publishedTables(schema: string, table: string): Promise<string[]> {
    const rows = await this.#db.asOwner((tx) =>
      tx.query<{ schemaname: string; tablename: string }>(
        `select schemaname, tablename from pg_catalog.pg_publication_tables
          where pubname = 'supabase_realtime'
            and schemaname like (case $1 when '*' then '%' else $1 end) escape ''
            and tablename like (case $2 when '*' then '%' else $2 end) escape ''`,
        [schema, table],
      ),
    );
    return rows.rows.map((r) => `${r.schemaname}.${r.tablename}`);
  }

  async #tableMeta(entity: string): Promise<TableMeta> {
    const cached = this.#meta.get(entity);
    if (cached) return cached;
    const [schema, table] = entity.split('.') as [string, string];
    const meta = await this.#db.asOwner(async (tx) => {
      const rel = await tx.query<{ oid: number; rls: boolean; ident: string }>(
        `select c.oid::int as oid, c.relrowsecurity as rls, c.relreplident::text as ident
           from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relname = $2`,
        [schema, table],
      );
      const r = rel.rows[0]!;
      const cols = await tx.query<{ name: string; sql_type: string; typname: string; is_pkey: boolean; anon: boolean; authenticated: boolean; service_role: boolean }>(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as sql_type, t.typname,
                exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = a.attrelid and k.contype = 'p' and a.attnum = any (k.conkey)) as is_pkey,
                has_column_privilege('anon', a.attrelid, a.attnum, 'SELECT') as anon,
                has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT') as authenticated,
                has_column_privilege('service_role', a.attrelid, a.attnum, 'SELECT') as service_role
           from pg_catalog.pg_attribute a join pg_catalog.pg_type t on t.oid = a.atttypid
          where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
          order by a.attnum`,
        [r.oid],
      );
      return {
        entity,
        schema,
        table,
        rls: r.rls,
        replicaIdentity: r.ident,
        columns: cols.rows.map((c) => ({
          name: c.name,
          sqlType: c.sql_type,
          typname: c.typname,
          isPkey: c.is_pkey,
          selectableBy: { anon: c.anon, authenticated: c.authenticated, service_role: c.service_role },
        })),
      } satisfies TableMeta;
    });
    this.#meta.set(entity, meta);
    return meta;
  }

  /** subscription_check_filters(): the trigger that refuses a bad subscription row */
  async #checkFilters(meta: TableMeta, params: ParsedParams, role: DbRole): Promise<void> {
    const selectable = new Map(meta.columns.filter((c) => c.selectableBy[role]).map((c) => [c.name, c]));
    for (const f of params.filters) {
      const col = selectable.get(f.column);
      if (!col) throw new SubscriptionException('P0001', `invalid column for filter ${f.column}`);
      if (f.op === 'is') {
        if (!['null', 'true', 'false', 'unknown'].includes(f.value)) throw new SubscriptionException('P0001', 'invalid value for is filter: must be null, true, false, or unknown');
        if (f.value !== 'null' && col.sqlType !== 'boolean') throw new SubscriptionException('P0001', `is ${f.value} filter requires a boolean column, got ${col.sqlType}`);
        continue;
      }
      try {
        await this.#db.asOwner(async (tx) => {
          if (f.op === 'in') {
            const n = await tx.query<{ n: number | null }>(`select cardinality($1::text::${col.sqlType}[]) as n`, [f.value]);
            if ((n.rows[0]?.n ?? 0) > 100) throw new SubscriptionException('P0001', 'too many values for `in` filter. Maximum 100');
          } else if (f.op === 'like' || f.op === 'ilike' || f.op === 'match' || f.op === 'imatch') {
            const oper = f.op === 'like' || f.op === 'ilike' ? '~~' : f.op === 'imatch' ? '~*' : '~';
            const ok = await tx.query(`select 1 from pg_catalog.pg_operator where oprname = $1 and oprleft = $2::regtype`, [oper, col.sqlType]);
            if (ok.rows.length === 0) throw new SubscriptionException('P0001', `operator ${f.op} requires a text-compatible column type, got ${col.sqlType}`);
            if (f.op === 'match' || f.op === 'imatch') {
              try {
                await tx.query(`select '' ~ $1`, [f.value]);
              } catch (error) {
                throw new SubscriptionException('P0001', `invalid regular expression for ${f.op} filter: ${(error as Error).message}`);
              }
            }
          } else {
            await tx.query(`select $1::text::${col.sqlType}`, [f.value]);
          }
        });
      } catch (error) {
        throw error instanceof SubscriptionException ? error : pgError(error);
      }
    }
    for (const name of params.select ?? []) {
      if (!selectable.has(name)) throw new SubscriptionException('P0001', `invalid column for select ${name}`);
    }
  }

  // ---- change dispatch (apply_rls.sql + message_dispatcher.ex) ----

  async #drain(): Promise<void> {
    const taken = await this.#db.asOwner((tx) =>
      tx.query<{ id: number; schema_name: string; table_name: string; action: 'INSERT' | 'UPDATE' | 'DELETE'; record: Record<string, unknown> | null; old_record: Record<string, unknown> | null; commit_timestamp: Date }>(
        'delete from realtime.double_changes returning id::int as id, schema_name, table_name, action, record, old_record, commit_timestamp',
      ),
    );
    for (const change of taken.rows.sort((a, b) => a.id - b.id)) await this.#dispatch(change).catch(() => undefined);
  }

  async #dispatch(change: {
    schema_name: string;
    table_name: string;
    action: 'INSERT' | 'UPDATE' | 'DELETE';
    record: Record<string, unknown> | null;
    old_record: Record<string, unknown> | null;
    commit_timestamp: Date;
  }): Promise<void> {
    const entity = `${change.schema_name}.${change.table_name}`;
    const { action } = change;
    const targets: { conn: Connection; ch: Channel; bindings: Binding[] }[] = [];
    for (const conn of this.#connections) {
      for (const ch of conn.channels.values()) {
        if (!ch.subscribed || ch.closed) continue;
        const bindings = ch.bindings.filter((b) => b.entities.has(entity) && (b.params.action === '*' || b.params.action === action));
        if (bindings.length) targets.push({ conn, ch, bindings });
      }
    }
    if (targets.length === 0) return;
    const meta = await this.#tableMeta(entity);
    const pk = meta.columns.filter((c) => c.isPkey);
    const newRow = change.record ?? {};
    const oldFull = change.old_record ?? {};
    // the old values logical decoding would give (wal2json "identity")
    let identity: Record<string, unknown> | null = null;
    if (action !== 'INSERT') {
      const ident = meta.replicaIdentity;
      const keyChanged = action === 'UPDATE' && pk.some((c) => JSON.stringify(newRow[c.name]) !== JSON.stringify(oldFull[c.name]));
      if (ident === 'f') identity = oldFull;
      else if (ident !== 'n' && (action === 'DELETE' || keyChanged)) identity = Object.fromEntries(pk.filter((c) => c.name in oldFull).map((c) => [c.name, oldFull[c.name]]));
    }
    const columns = action === 'DELETE' ? {} : newRow;
    const tooBig = Buffer.byteLength(JSON.stringify({ r: change.record, o: identity })) > this.#maxRecordBytes;
    const commitTimestamp = new Date(change.commit_timestamp).toISOString();

    // every filter of every candidate binding, evaluated in one query (is_visible_through_filters)
    const checks: string[] = [];
    const values: (string | null)[] = [];
    const where = new Map<Binding, number[]>();
    for (const { bindings } of targets) {
      for (const b of bindings) {
        if (where.has(b)) continue;
        const idx: number[] = [];
        for (const source of action === 'DELETE' ? [identity ?? {}] : [columns]) {
          const parts: string[] = [];
          for (const f of b.params.filters) {
            const col = meta.columns.find((c) => c.name === f.column);
            if (!col || !(f.column in source)) {
              parts.push('false');
              continue;
            }
            parts.push(filterSql(f, col.sqlType, asText(source[f.column]), values));
          }
          checks.push(parts.length ? parts.map((p) => `coalesce(${p}, false)`).join(' and ') : 'true');
          idx.push(checks.length - 1);
        }
        where.set(b, idx);
      }
    }
    const passed = await this.#db
      .asOwner((tx) => tx.query<{ r: boolean[] }>(`select array[${checks.join(', ')}]::boolean[] as r`, values))
      .then((res) => res.rows[0]!.r)
      .catch(() => checks.map(() => false));

    for (const { conn, ch, bindings } of targets) {
      const role = ch.claims.role as DbRole;
      const matched = bindings.filter((b) => where.get(b)!.some((i) => passed[i]));
      if (matched.length === 0) continue;
      const selectable = (c: ColumnMeta) => c.selectableBy[role];
      const base = { schema: meta.schema, table: meta.table, type: action };
      if (action !== 'DELETE' && pk.length === 0) {
        this.#sendChange(conn, ch, matched, { ...base, errors: ['Error 400: Bad Request, no primary key'] });
        continue;
      }
      if (action !== 'DELETE' && !pk.every(selectable)) {
        this.#sendChange(conn, ch, matched, { ...base, errors: ['Error 401: Unauthorized'] });
        continue;
      }
      if (meta.rls && action !== 'DELETE') {
        const visible = await this.#rlsVisible(meta, pk, newRow, ch);
        if (!visible) continue;
      }
      // one message per distinct column selection (apply_rls's inner loop)
      const groups = new Map<string, Binding[]>();
      for (const b of matched) {
        const key = b.params.select ? [...b.params.select].sort().join(',') : '';
        groups.set(key, [...(groups.get(key) ?? []), b]);
      }
      for (const group of groups.values()) {
        const select = group[0]!.params.select;
        const shown = meta.columns.filter((c) => selectable(c) && (select === null || select.includes(c.name) || c.isPkey));
        // an oversized change keeps only the values of at most 64 bytes (apply_rls, error 413)
        const keep = (value: unknown) => !tooBig || Buffer.byteLength(JSON.stringify(value ?? null)) <= 64;
        const pick = (row: Record<string, unknown>, cols: ColumnMeta[]) =>
          Object.fromEntries(cols.filter((c) => c.name in row && keep(row[c.name])).map((c) => [c.name, row[c.name]]));
        const data: Record<string, unknown> = {
          ...base,
          commit_timestamp: commitTimestamp,
          columns: shown.map((c) => ({ name: c.name, type: c.typname })),
          errors: tooBig ? ['Error 413: Payload Too Large'] : null,
        };
        if (action !== 'DELETE') data.record = pick(newRow, shown);
        if (action === 'UPDATE') data.old_record = identity ? pick(identity, shown) : null;
        if (action === 'DELETE') data.old_record = identity ? pick(identity, shown.filter((c) => !meta.rls || c.isPkey)) : null;
        this.#sendChange(conn, ch, group, data);
      }
    }
  }

  #sendChange(conn: Connection, ch: Channel, bindings: Binding[], data: Record<string, unknown>): void {
    if (ch.closed || conn.channels.get(ch.topic) !== ch) return;
    this.stats.eventsSent++;
    this.#push(conn, ch, 'postgres_changes', { ids: [...new Set(bindings.map((b) => b.id))], data });
  }

  /** build_prepared_statement_sql: does the row exist for the subscriber's role and claims? */
  async #rlsVisible(meta: TableMeta, pk: ColumnMeta[], row: Record<string, unknown>, ch: Channel): Promise<boolean> {
    this.stats.rlsChecks++;
    const subject = typeof ch.claims.sub === 'string' ? ch.claims.sub : ch.claims.role;
    this.#rlsBySubject.set(subject, (this.#rlsBySubject.get(subject) ?? 0) + 1);
    const cond = pk.map((c, i) => `${quoteIdent(c.name)} = $${i + 1}::text::${c.sqlType}`).join(' and ');
    try {
      const res = await this.#db.asRole(ch.claims.role as DbRole, ch.claims, (tx) =>
        tx.query<{ visible: boolean }>(`select exists (select 1 from ${quoteIdent(meta.schema)}.${quoteIdent(meta.table)} where ${cond}) as visible`, pk.map((c) => asText(row[c.name]))),
      );
      return res.rows[0]?.visible === true;
    } catch {
      return false;
    }
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** a jsonb value as `#>> '{}'` gives it */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** check_equality_op(): one filter as SQL on typed literals (values go in as parameters) */
function filterSql(f: ParsedFilter, type: string, value: string | null, params: (string | null)[]): string {
  params.push(value);
  const left = `($${params.length}::text::${type})`;
  if (f.op === 'is') return `${left} ${f.negate ? 'is not' : 'is'} ${f.value.toUpperCase()}`;
  params.push(f.value);
  const right = `$${params.length}::text`;
  if (f.op === 'isdistinct') return `${left} ${f.negate ? 'is not distinct from' : 'is distinct from'} (${right}::${type})`;
  const symbol: Record<string, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=', in: '= any', like: '~~', ilike: '~~*', match: '~', imatch: '~*' };
  const expr = `${left} ${symbol[f.op]} (${right}::${f.op === 'in' ? `${type}[]` : type})`;
  return f.negate ? `not (${expr})` : expr;
}
