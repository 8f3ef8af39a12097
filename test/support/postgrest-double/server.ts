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
 * Auth follows supabase/auth (GoTrue) as its source has it: access tokens expire after
 * `accessTokenTtlSeconds` (the project's "JWT expiry", 3600 by default); refresh tokens rotate
 * (internal/tokens/service.go RefreshTokenGrant): each refresh revokes the token used and issues
 * its child; presenting a revoked token again is allowed only when it is the parent of the
 * session's active token (the active one is handed back) or within the reuse interval
 * (GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL, 10 s on Supabase); otherwise the whole token
 * family is revoked and the answer is 400 `refresh_token_already_used` "Invalid Refresh Token:
 * Already Used". Storage's resumable (tus) endpoint is in tus.ts.
 *
 * Test-only: never imported from src/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { openDoubleDatabase, type DbRole, type DoubleDatabase } from './database.ts';
import { signJwt, verifyJwt, type JwtClaims, type JwtFailure } from './jwt.ts';
import { RealtimeEndpoint, type RealtimeControl, type RealtimeOptions } from './realtime.ts';
import { PgrstError, RestHandler, statusForSqlState } from './rest.ts';
import { StorageHandler, jwtFailure, renderFailure } from './storage.ts';
import { TUS_PATH, createTusEndpoint, type TusEndpoint } from './tus.ts';

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
  /** PostgREST settings (maxRows: the project's "Max rows") */
  readonly rest: RestHandler;
  /** Storage settings (fileSizeLimit: the global upload limit; listCap) */
  readonly storage: StorageHandler;
  /** the resumable upload endpoint (what it received) */
  readonly tus: TusEndpoint;
  /** GoTrue: token lifetime and what the refresh grant saw */
  readonly auth: AuthState;
  close(): Promise<void>;
}

export interface AuthState {
  /** lifetime of new access tokens, seconds (the project's JWT expiry) */
  accessTokenTtlSeconds: number;
  /** how long a revoked refresh token may still be used, seconds */
  refreshTokenReuseIntervalSeconds: number;
  /** successful refresh grants */
  refreshes: number;
  /** refresh grants refused as a reuse (the token family was revoked) */
  reuseRejected: number;
}

export interface DoubleOptions {
  /** apply supabase/migrations (default true); false simulates a project where `db push` never ran */
  migrate?: boolean;
  realtime?: RealtimeOptions;
  /** access token lifetime in seconds (default 3600, Supabase's default JWT expiry) */
  accessTokenTtlSeconds?: number;
  /** refresh token reuse interval in seconds (default 10, Supabase's) */
  refreshTokenReuseIntervalSeconds?: number;
  /** PostgREST max rows (default 1000, Supabase's) */
  maxRows?: number;
}

const HTML_ERROR = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Service Unavailable</title></head><body><center><h1>${status}</h1></center><hr><center>cloudflare</center></body></html>\n`;

interface AuthUser {
  id: string;
  email: string;
  salt: Buffer;
  hash: Buffer;
}

interface RefreshRecord {
  userId: string;
  sessionId: string;
  parent: string | null;
  revoked: boolean;
  /** ms; when it was last changed (revoked) */
  updatedAt: number;
}

export async function startPostgrestDouble(options: DoubleOptions = {}): Promise<PostgrestDouble> {
  const db = await openDoubleDatabase({ migrate: options.migrate ?? true });
  const jwtSecret = randomBytes(32).toString('hex');
  const sign = (claims: JwtClaims): string => signJwt(claims, jwtSecret);
  const longLived = Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  const anonKey = sign({ iss: 'supabase-double', role: 'anon', exp: longLived });
  const serviceKey = sign({ iss: 'supabase-double', role: 'service_role', exp: longLived });
  const rest = new RestHandler(db);
  if (options.maxRows !== undefined) rest.maxRows = options.maxRows;
  const storage = new StorageHandler(db, jwtSecret);
  const realtime = new RealtimeEndpoint(db, jwtSecret, options.realtime);
  await realtime.start();
  const tus = await createTusEndpoint(storage);
  const users = new Map<string, AuthUser>(); // by email
  const refreshTokens = new Map<string, RefreshRecord>();
  const terminatedSessions = new Set<string>();
  const auth: AuthState = {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 10,
    refreshes: 0,
    reuseRejected: 0,
  };
  const faults: Fault[] = [];
  let requestCount = 0;

  const accessTokenFor = (user: AuthUser, sessionId: string = randomUUID()): string => {
    const now = Math.floor(Date.now() / 1000);
    return sign({ sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', session_id: sessionId, iat: now, exp: now + auth.accessTokenTtlSeconds });
  };

  const newRefreshToken = (user: AuthUser, sessionId: string, parent: string | null): string => {
    const token = randomBytes(16).toString('hex');
    refreshTokens.set(token, { userId: user.id, sessionId, parent, revoked: false, updatedAt: Date.now() });
    return token;
  };

  const sessionFor = (user: AuthUser, sessionId: string = randomUUID(), refresh: string = newRefreshToken(user, sessionId, null)): Record<string, unknown> => {
    const expiresIn = auth.accessTokenTtlSeconds;
    return {
      access_token: accessTokenFor(user, sessionId),
      token_type: 'bearer',
      expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn,
      refresh_token: refresh,
      user: publicUser(user),
    };
  };

  /** internal/tokens/service.go RefreshTokenGrant, rotation on (see the header) */
  const refreshGrant = (token: string): { status: number; body: Record<string, unknown> } => {
    const rec = refreshTokens.get(token);
    const user = rec ? [...users.values()].find((u) => u.id === rec.userId) : undefined;
    if (!rec || !user) return { status: 400, body: { code: 400, error_code: 'refresh_token_not_found', msg: 'Invalid Refresh Token: Refresh Token Not Found' } };
    const alreadyUsed = { status: 400, body: { code: 400, error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' } };
    if (terminatedSessions.has(rec.sessionId)) {
      auth.reuseRejected += 1;
      return alreadyUsed;
    }
    let issued: string | null = null;
    if (rec.revoked) {
      const active = [...refreshTokens].find(([, r]) => r.sessionId === rec.sessionId && !r.revoked);
      if (active && active[1].parent === token) issued = active[0];
      else if (Date.now() > rec.updatedAt + auth.refreshTokenReuseIntervalSeconds * 1000) {
        // not OK to reuse this token: revoke all tokens in the family
        for (const r of refreshTokens.values()) if (r.sessionId === rec.sessionId) r.revoked = true;
        terminatedSessions.add(rec.sessionId);
        auth.reuseRejected += 1;
        return alreadyUsed;
      }
    }
    if (issued === null) {
      rec.revoked = true;
      rec.updatedAt = Date.now();
      issued = newRefreshToken(user, rec.sessionId, token);
    }
    auth.refreshes += 1;
    return { status: 200, body: sessionFor(user, rec.sessionId, issued) };
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
  const authenticate = (req: IncomingMessage): { role: DbRole; claims: JwtClaims } | { status: number; body: Record<string, unknown>; kind?: JwtFailure } => {
    const apikey = req.headers['apikey'];
    if (typeof apikey !== 'string' || apikey === '') return { status: 401, body: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' } };
    if (!verifyJwt(apikey, jwtSecret).ok) return { status: 401, body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } };
    const auth = req.headers['authorization'];
    const token = typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : apikey;
    const verified = verifyJwt(token, jwtSecret);
    if (!verified.ok) {
      const expired = verified.kind === 'expired';
      return { status: 401, kind: verified.kind, body: { code: expired ? 'PGRST303' : 'PGRST301', message: verified.reason, details: null, hint: null } };
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
        const token = String(input.refresh_token ?? '');
        if (token.length < 12) return sendJson(res, 400, { code: 400, error_code: 'validation_failed', msg: 'Refresh token is not valid' });
        const out = refreshGrant(token);
        return sendJson(res, out.status, out.body);
      }
      return sendJson(res, 400, { code: 400, error_code: 'unsupported_grant_type', msg: 'unsupported grant type' });
    }
    const who = authenticate(req);
    if ('status' in who) {
      // internal/api/auth.go: a token that fails parsing or its claims is 403 bad_jwt
      if (who.kind) return sendJson(res, 403, { code: 403, error_code: 'bad_jwt', msg: `invalid JWT: unable to parse or verify signature, ${who.kind === 'expired' ? 'token has invalid claims: token is expired' : 'signature is invalid'}` });
      return sendJson(res, who.status, { code: who.status, error_code: 'no_authorization', msg: String(who.body.message) });
    }
    if (route === 'user' && req.method === 'GET') {
      const user = [...users.values()].find((u) => u.id === who.claims.sub);
      if (!user) return sendJson(res, 403, { code: 403, error_code: 'bad_jwt', msg: 'invalid claim: missing sub claim' });
      return sendJson(res, 200, publicUser(user));
    }
    if (route === 'logout' && req.method === 'POST') {
      for (const [token, r] of refreshTokens) if (r.userId === who.claims.sub) refreshTokens.delete(token);
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
    const method = req.method ?? 'GET';
    if (url.pathname === TUS_PATH || url.pathname.startsWith(`${TUS_PATH}/`)) {
      // streamed: @tus/server reads the body itself
      const a = method === 'OPTIONS' ? { role: 'anon' as DbRole, claims: { role: 'anon' } } : authenticate(req);
      if ('status' in a) {
        if (!a.kind) return sendJson(res, a.status, a.body);
        const out = renderFailure(jwtFailure(a.kind));
        return send(res, out.status, out.headers, out.body);
      }
      return tus.handle(req, res, { role: a.role, claims: a.claims, upsert: req.headers['x-upsert'] === 'true' });
    }
    const body = await readBody(req);
    const path = decodeURIComponent(url.pathname);

    if (path.startsWith('/auth/v1/')) return handleAuth(req, res, path.slice(9), url, body);

    if (path.startsWith('/storage/v1/')) {
      const route = path.slice(12);
      let who: { role: DbRole; claims: JwtClaims };
      if (storage.isTokenRoute(method, route)) who = { role: 'anon', claims: { role: 'anon' } };
      else {
        const a = authenticate(req);
        if ('status' in a) {
          // the gateway refuses a missing/invalid apikey; storage-api refuses the bearer token itself
          if (!a.kind) return sendJson(res, a.status, a.body);
          const out = renderFailure(jwtFailure(a.kind));
          return send(res, out.status, out.headers, out.body);
        }
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
    rest,
    storage,
    tus,
    auth,
    async createUser(email, password) {
      const salt = randomBytes(16);
      const user: AuthUser = { id: randomUUID(), email: email.toLowerCase(), salt, hash: scryptSync(password, salt, 32) };
      await db.asOwner((tx) => tx.query('insert into auth.users (id, email) values ($1, $2)', [user.id, user.email]));
      users.set(user.email, user);
      // a long-lived token for tests that are not about expiry
      const now = Math.floor(Date.now() / 1000);
      const accessToken = sign({ sub: user.id, email: user.email, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 });
      return { id: user.id, email: user.email, accessToken };
    },
    injectFaults(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    async close() {
      await realtime.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tus.close();
      await db.close();
    },
  };
}
