/**
 * A test double of a Supabase project's HTTP API: the PostgREST (`/rest/v1`), Storage
 * (`/storage/v1`) and a minimal GoTrue (`/auth/v1`) subset that supabase-js v2 uses, and the
 * Realtime WebSocket (`/realtime/v1/websocket`, postgres_changes; see realtime.ts), running on
 * real Postgres (PGlite) with the project's own migrations. It listens on 127.0.0.1:0.
 *
 * Like Supabase's gateway it requires an `apikey` signed with the project's JWT secret, and like
 * PostgREST it runs each request as the JWT's role with `request.jwt.claims` set, so the row
 * level security policies of supabase/migrations decide what each caller sees.
 *
 * Test-only: never imported from src/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { openDoubleDatabase, type DbRole, type DoubleDatabase } from './database.ts';
import { signJwt, verifyJwt, type JwtClaims } from './jwt.ts';
import { RealtimeEndpoint, type RealtimeControl, type RealtimeOptions } from './realtime.ts';
import { PgrstError, RestHandler, statusForSqlState } from './rest.ts';
import { StorageHandler } from './storage.ts';

export type FaultKind = 'html503' | 'html500' | 'drop';

export interface Fault {
  kind: FaultKind;
  /** only requests whose path matches are affected (default: every request) */
  match?: RegExp;
}

export interface DoubleUser {
  id: string;
  email: string;
  /** a valid access token for this user (role authenticated) */
  accessToken: string;
}

export interface PostgrestDouble {
  /** base URL, what SUPABASE_URL would be */
  readonly url: string;
  readonly anonKey: string;
  readonly serviceKey: string;
  readonly jwtSecret: string;
  readonly db: DoubleDatabase;
  /** the Realtime endpoint: statistics and fault injection (dropped or refused sockets) */
  readonly realtime: RealtimeControl;
  /** create a user who can sign in with email + password */
  createUser(email: string, password: string): Promise<DoubleUser>;
  /** sign a token for any claims (e.g. an expired one) */
  sign(claims: JwtClaims): string;
  /** the next `count` requests (matching `fault.match`) fail as described */
  injectFaults(count: number, fault: Fault): void;
  /** how many requests the double has served (handy to assert retries) */
  readonly requestCount: number;
  close(): Promise<void>;
}

export interface DoubleOptions {
  /** apply supabase/migrations (default true); false simulates a project where `db push` never ran */
  migrate?: boolean;
  realtime?: RealtimeOptions;
}

const HTML_ERROR = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Service Unavailable</title></head><body><center><h1>${status}</h1></center><hr><center>cloudflare</center></body></html>\n`;

interface AuthUser {
  id: string;
  email: string;
  salt: Buffer;
  hash: Buffer;
}

export async function startPostgrestDouble(options: DoubleOptions = {}): Promise<PostgrestDouble> {
  const db = await openDoubleDatabase({ migrate: options.migrate ?? true });
  const jwtSecret = randomBytes(32).toString('hex');
  const sign = (claims: JwtClaims): string => signJwt(claims, jwtSecret);
  const longLived = Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  const anonKey = sign({ iss: 'supabase-double', role: 'anon', exp: longLived });
  const serviceKey = sign({ iss: 'supabase-double', role: 'service_role', exp: longLived });
  const rest = new RestHandler(db);
  const storage = new StorageHandler(db, jwtSecret);
  const realtime = new RealtimeEndpoint(db, jwtSecret, options.realtime);
  await realtime.start();
  const users = new Map<string, AuthUser>(); // by email
  const refreshTokens = new Map<string, string>(); // token → user id
  const faults: Fault[] = [];
  let requestCount = 0;

  const accessTokenFor = (user: AuthUser, ttlSeconds = 3600): string =>
    sign({ sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + ttlSeconds });

  const sessionFor = (user: AuthUser): Record<string, unknown> => {
    const refresh = randomBytes(16).toString('hex');
    refreshTokens.set(refresh, user.id);
    const expiresIn = 3600;
    return {
      access_token: accessTokenFor(user, expiresIn),
      token_type: 'bearer',
      expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn,
      refresh_token: refresh,
      user: publicUser(user),
    };
  };
  const publicUser = (user: AuthUser): Record<string, unknown> => ({
    id: user.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: user.email,
    app_metadata: { provider: 'email' },
    user_metadata: {},
    created_at: new Date().toISOString(),
  });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
    send(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));

  /** what Supabase's gateway and PostgREST decide from the apikey / Authorization headers */
  const authenticate = (req: IncomingMessage): { role: DbRole; claims: JwtClaims } | { status: number; body: Record<string, unknown> } => {
    const apikey = req.headers['apikey'];
    if (typeof apikey !== 'string' || apikey === '') return { status: 401, body: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' } };
    if (!verifyJwt(apikey, jwtSecret).ok) return { status: 401, body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } };
    const auth = req.headers['authorization'];
    const token = typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : apikey;
    const verified = verifyJwt(token, jwtSecret);
    if (!verified.ok) {
      const expired = verified.reason === 'JWT expired';
      return { status: 401, body: { code: expired ? 'PGRST303' : 'PGRST301', message: verified.reason, details: null, hint: null } };
    }
    const role = verified.claims.role;
    if (role !== 'anon' && role !== 'authenticated' && role !== 'service_role') {
      return { status: 401, body: { code: 'PGRST301', message: `role "${String(role)}" does not exist`, details: null, hint: null } };
    }
    return { role, claims: verified.claims };
  };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const headerMap = (req: IncomingMessage): Record<string, string | undefined> => {
    const out: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
    return out;
  };

  const handleAuth = async (req: IncomingMessage, res: ServerResponse, route: string, url: URL, body: Buffer): Promise<void> => {
    const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    if (route === 'token' && req.method === 'POST') {
      const grant = url.searchParams.get('grant_type');
      if (grant === 'password') {
        const user = users.get(String(input.email ?? '').toLowerCase());
        const ok = user !== undefined && timingSafeEqual(scryptSync(String(input.password ?? ''), user.salt, 32), user.hash);
        if (!ok) return sendJson(res, 400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
        return sendJson(res, 200, sessionFor(user));
      }
      if (grant === 'refresh_token') {
        const userId = refreshTokens.get(String(input.refresh_token ?? ''));
        const user = [...users.values()].find((u) => u.id === userId);
        if (!user) return sendJson(res, 400, { code: 400, error_code: 'refresh_token_not_found', msg: 'Invalid Refresh Token: Refresh Token Not Found' });
        refreshTokens.delete(String(input.refresh_token));
        return sendJson(res, 200, sessionFor(user));
      }
      return sendJson(res, 400, { code: 400, error_code: 'unsupported_grant_type', msg: 'unsupported grant type' });
    }
    const who = authenticate(req);
    if ('status' in who) return sendJson(res, who.status, { code: who.status, error_code: 'bad_jwt', msg: String(who.body.message) });
    if (route === 'user' && req.method === 'GET') {
      const user = [...users.values()].find((u) => u.id === who.claims.sub);
      if (!user) return sendJson(res, 403, { code: 403, error_code: 'bad_jwt', msg: 'invalid claim: missing sub claim' });
      return sendJson(res, 200, publicUser(user));
    }
    if (route === 'logout' && req.method === 'POST') {
      for (const [token, id] of refreshTokens) if (id === who.claims.sub) refreshTokens.delete(token);
      return send(res, 204, {}, '');
    }
    return sendJson(res, 404, { code: 404, error_code: 'not_found', msg: `no route ${route}` });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requestCount++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const faultIdx = faults.findIndex((f) => !f.match || f.match.test(url.pathname));
    if (faultIdx >= 0) {
      const [fault] = faults.splice(faultIdx, 1);
      if (fault!.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      const status = fault!.kind === 'html503' ? 503 : 500;
      return send(res, status, { 'content-type': 'text/html' }, HTML_ERROR(status));
    }
    const body = await readBody(req);
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';

    if (path.startsWith('/auth/v1/')) return handleAuth(req, res, path.slice(9), url, body);

    if (path.startsWith('/storage/v1/')) {
      const route = path.slice(12);
      let who: { role: DbRole; claims: JwtClaims };
      if (storage.isTokenRoute(method, route)) who = { role: 'anon', claims: { role: 'anon' } };
      else {
        const a = authenticate(req);
        if ('status' in a) return sendJson(res, a.status, { statusCode: String(a.status), error: 'Unauthorized', message: String(a.body.message) });
        who = a;
      }
      const out = await storage.handle({ method, route, params: url.searchParams, headers: headerMap(req), body }, who.role, who.claims);
      return send(res, out.status, out.headers, out.body);
    }

    if (path.startsWith('/rest/v1/')) {
      const who = authenticate(req);
      if ('status' in who) return sendJson(res, who.status, who.body);
      let parsed: unknown = null;
      if (body.length) {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return sendJson(res, 400, { code: 'PGRST102', message: 'Empty or invalid json', details: null, hint: null });
        }
      }
      try {
        const out = await rest.handle(
          { method, resource: path.slice(9), params: url.searchParams, headers: headerMap(req), body: parsed },
          who.role,
          who.claims,
        );
        return send(res, out.status, out.headers, out.body);
      } catch (error) {
        if (error instanceof PgrstError) {
          return sendJson(res, error.status, { code: error.code, message: error.message, details: error.details, hint: error.hint });
        }
        const e = error as { code?: string; message?: string; detail?: string; hint?: string };
        if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
          return sendJson(res, statusForSqlState(e.code, who.role), { code: e.code, message: e.message ?? '', details: e.detail ?? null, hint: e.hint ?? null });
        }
        throw error;
      }
    }
    return send(res, 404, { 'content-type': 'text/plain' }, 'Not Found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'XX000', message: String((error as Error)?.message ?? error), details: null, hint: null });
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!realtime.handleUpgrade(req, socket, head)) {
      socket.write('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      socket.destroy();
    }
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    anonKey,
    serviceKey,
    jwtSecret,
    db,
    realtime,
    sign,
    get requestCount() {
      return requestCount;
    },
    async createUser(email, password) {
      const salt = randomBytes(16);
      const user: AuthUser = { id: randomUUID(), email: email.toLowerCase(), salt, hash: scryptSync(password, salt, 32) };
      await db.asOwner((tx) => tx.query('insert into auth.users (id, email) values ($1, $2)', [user.id, user.email]));
      users.set(user.email, user);
      return { id: user.id, email: user.email, accessToken: accessTokenFor(user) };
    },
    injectFaults(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    async close() {
      await realtime.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
