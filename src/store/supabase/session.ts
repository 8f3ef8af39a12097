/**
 * The CLI's Supabase sign-in: `omvee login` signs in with email + password (GoTrue, via
 * supabase-js) and keeps the session — access and refresh token — in a file under the config
 * directory, readable by the user only (0600). Later commands load it, refreshing the access
 * token when it is about to expire. Pure functions over paths: the commands wire them up.
 *
 * The file never holds the password, and nothing here prints a token.
 */
import { chmod, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OmveeError } from '../../core/errors.ts';
import { createOmveeClient, displayUrl } from './client.ts';
import { mapRemoteError } from './errors.ts';

const SESSION_FILE = 'supabase-session.json';

export interface SessionOptions {
  url: string;
  anonKey: string;
  /** where the session file lives (the user's omvee config directory) */
  configDir: string;
  fetch?: typeof fetch;
  /** clock for tests, in seconds */
  now?: () => number;
}

export interface StoredSession {
  url: string;
  accessToken: string;
  refreshToken: string;
  /** unix seconds */
  expiresAt: number;
  user: { id: string; email: string | null };
}

export function sessionPath(configDir: string): string {
  return path.join(configDir, SESSION_FILE);
}

/** A GoTrue client for the project, built by the one client factory (client.ts). */
function authClient(options: SessionOptions) {
  return createOmveeClient({ url: options.url, key: options.anonKey, ...(options.fetch ? { fetch: options.fetch } : {}) });
}

interface AuthErr {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
}

function authError(error: AuthErr, what: string, url: string): OmveeError {
  const status = typeof error.status === 'number' ? error.status : 0;
  if (error.name === 'AuthRetryableFetchError' || status === 0) {
    return mapRemoteError({ status: 0, message: `fetch failed ${error.message ?? ''}` }, what, displayUrl(url));
  }
  if (status === 400 && /invalid login credentials|invalid_credentials/i.test(`${error.message} ${error.code}`)) {
    return new OmveeError('config', 'Supabase rejected the email or password', { hint: 'check them, or reset the password from the Supabase dashboard' });
  }
  return mapRemoteError({ status, message: error.message, code: error.code }, what, displayUrl(url));
}

/** Write a session file atomically, readable by its owner only (0600). */
export async function saveSession(configDir: string, session: StoredSession): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const file = sessionPath(configDir);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

const nowSeconds = (options: SessionOptions): number => options.now?.() ?? Math.floor(Date.now() / 1000);

function toStored(url: string, s: { access_token: string; refresh_token: string; expires_at?: number; expires_in: number; user: { id: string; email?: string } }, now: number): StoredSession {
  return {
    url: displayUrl(url),
    accessToken: s.access_token,
    refreshToken: s.refresh_token,
    expiresAt: s.expires_at ?? now + s.expires_in,
    user: { id: s.user.id, email: s.user.email ?? null },
  };
}

/** Sign in with email + password and keep the session; returns it (tokens included: don't print). */
export async function signIn(options: SessionOptions & { email: string; password: string }): Promise<StoredSession> {
  const client = await authClient(options);
  const { data, error } = await client.auth.signInWithPassword({ email: options.email, password: options.password });
  if (error || !data.session) throw authError(error ?? { message: 'no session returned', status: 500 }, 'sign in', options.url);
  const now = nowSeconds(options);
  const stored = toStored(options.url, data.session as never, now);
  await saveSession(options.configDir, stored);
  return stored;
}

/** Tokens a user already has (`omvee login --token-stdin`); the refresh token may be missing. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string | null;
}

/** the `exp` claim of a JWT access token (unix seconds), null when it has none */
function expiryOf(accessToken: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}

/** GoTrue refused the token itself (as opposed to being unreachable or failing) */
function tokenRejected(error: AuthErr): boolean {
  const status = error.name === 'AuthRetryableFetchError' ? 0 : (error.status ?? 0);
  return status === 401 || status === 403 || (status === 400 && /refresh/i.test(`${error.message}`));
}

function tokenError(error: AuthErr, what: string, url: string): OmveeError {
  if (tokenRejected(error)) {
    return new OmveeError('config', `Supabase did not accept the token (${what})`, { hint: 'get a fresh token, or sign in with email and password: omvee login' });
  }
  return authError(error, what, url);
}

/**
 * Keep a session made from tokens the user already has. The access token is checked with GoTrue
 * (GET /auth/v1/user); when it is expired (or refused) and a refresh token was given, a fresh
 * pair is fetched instead. Returns the saved session (tokens included: don't print).
 */
export async function signInWithTokens(options: SessionOptions & { tokens: TokenPair }): Promise<StoredSession> {
  const { tokens } = options;
  const client = await authClient(options);
  const now = nowSeconds(options);
  let user: { id: string; email?: string | undefined } | null = null;
  let stored: StoredSession | null = null;

  const expiresAt = expiryOf(tokens.accessToken) ?? now + 3600;
  if (expiresAt > now + 30) {
    const { data, error } = await client.auth.getUser(tokens.accessToken);
    if (error && !(tokens.refreshToken && (error.status === 401 || error.status === 403))) throw tokenError(error, 'check the access token', options.url);
    user = data.user ?? null;
    if (user) {
      stored = { url: displayUrl(options.url), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? '', expiresAt, user: { id: user.id, email: user.email ?? null } };
    }
  }
  if (!stored) {
    if (!tokens.refreshToken) {
      throw new OmveeError('config', 'the access token has expired and no refresh token was given', { hint: 'pipe both tokens ("ACCESS REFRESH"), or sign in with email and password: omvee login' });
    }
    const { data, error } = await client.auth.refreshSession({ refresh_token: tokens.refreshToken });
    if (error || !data.session) throw tokenError(error ?? { status: 500, message: 'no session returned' }, 'refresh the session', options.url);
    stored = toStored(options.url, data.session as never, now);
  }
  await saveSession(options.configDir, stored);
  return stored;
}

/** refresh when less than this is left of the access token (5 minutes)… */
const REFRESH_MARGIN_SECONDS = 300;
/** …or less than this share of its whole life (a project with very short-lived tokens) */
const REFRESH_MARGIN_SHARE = 0.5;
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 45_000;
const REFRESH_TIMEOUT_MS = 20_000;

async function readStored(options: SessionOptions): Promise<StoredSession | null> {
  let stored: StoredSession;
  try {
    stored = JSON.parse(await readFile(sessionPath(options.configDir), 'utf8')) as StoredSession;
  } catch {
    return null;
  }
  if (!stored || typeof stored.accessToken !== 'string' || stored.url !== displayUrl(options.url)) return null;
  return stored;
}

/** the `iat` claim of a JWT (unix seconds), null when it has none */
function issuedAtOf(accessToken: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { iat?: unknown };
    return typeof payload.iat === 'number' ? payload.iat : null;
  } catch {
    return null;
  }
}

/** seconds before expiry at which the token counts as "about to expire" */
export function refreshMargin(session: Pick<StoredSession, 'accessToken' | 'expiresAt'>): number {
  const iat = issuedAtOf(session.accessToken);
  const life = iat !== null && session.expiresAt > iat ? session.expiresAt - iat : 3600;
  return Math.min(REFRESH_MARGIN_SECONDS, life * REFRESH_MARGIN_SHARE);
}

const fresh = (session: StoredSession, now: number): boolean => session.expiresAt - now > refreshMargin(session);

const mustLogIn = (why: string): OmveeError =>
  new OmveeError('config', `the Supabase session can no longer be refreshed (${why})`, { hint: 'sign in again: omvee login', details: { permanent: true } });

/**
 * An exclusive lock next to the session file (O_EXCL create), so only one omvee process refreshes
 * at a time. A lock left by a process that died (or older than 30 s) is taken over.
 */
async function withSessionLock<T>(options: SessionOptions, fn: () => Promise<T>): Promise<T> {
  const lock = `${sessionPath(options.configDir)}.lock`;
  await mkdir(options.configDir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 20; ; wait = Math.min(250, wait * 2)) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await staleLock(lock)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new OmveeError('config', `another omvee process has held the session lock for over ${LOCK_WAIT_MS / 1000} s (${lock})`, {
          hint: `if no other omvee is running, remove ${lock}`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, wait + Math.floor(Math.random() * wait)));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

async function staleLock(lock: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 1000; // being written
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false; // gone already: the next try creates it
  }
}

interface GoTrueError {
  code?: number | string;
  error_code?: string;
  msg?: string;
  message?: string;
  error_description?: string;
}

/**
 * POST /auth/v1/token?grant_type=refresh_token, GoTrue's refresh grant, straight over HTTP: with
 * supabase-js's `accessToken` option `supabase.auth` is unavailable (and would keep its own copy).
 */
async function refreshGrant(options: SessionOptions, refreshToken: string): Promise<{ ok: true; session: StoredSession } | { ok: false; permanent: boolean; error: OmveeError }> {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${base}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST',
      headers: { apikey: options.anonKey, authorization: `Bearer ${options.anonKey}`, 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ refresh_token: refreshToken }),
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as { message?: string; cause?: { code?: string; message?: string } };
    return { ok: false, permanent: false, error: mapRemoteError({ status: 0, message: `fetch failed ${e.message ?? ''} ${e.cause?.code ?? ''}` }, 'refresh the Supabase session', displayUrl(options.url)) };
  }
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a gateway page
  }
  if (res.ok && typeof body.access_token === 'string' && typeof body.refresh_token === 'string') {
    return { ok: true, session: toStored(options.url, body as never, nowSeconds(options)) };
  }
  const err = body as GoTrueError;
  const message = String(err.msg ?? err.message ?? err.error_description ?? `HTTP ${res.status}`).slice(0, 200);
  // 4xx from GoTrue: the refresh token is gone (used, revoked, signed out, user deleted)
  if (res.status >= 400 && res.status < 500 && res.status !== 429) return { ok: false, permanent: true, error: mustLogIn(message) };
  return { ok: false, permanent: false, error: mapRemoteError({ status: res.status, message }, 'refresh the Supabase session', displayUrl(options.url)) };
}

export interface SessionTokens {
  /** a valid access token: refreshed first when less than ~5 minutes are left (never printed) */
  token(): Promise<string>;
  /** the session as last read or refreshed */
  readonly current: StoredSession;
}

/**
 * The access tokens of the saved session for the whole life of a process: hand `token` to
 * supabase-js as its `accessToken` callback. When less than the margin is left, the refresh is
 * done once per process (concurrent callers share it) and once across processes: under a lock
 * file, the session file is read again first — when another omvee already refreshed, its tokens
 * are taken, so a refresh token that GoTrue has rotated is never sent again (GoTrue would take
 * that as token theft and end the session for every process). A refresh that fails for good
 * (the refresh token was used, revoked or signed out) says to `omvee login`; one that fails for
 * a passing reason keeps the old token while it is still valid.
 *
 * null when nobody signed in (or the session is for another project URL).
 */
export async function openSessionTokens(options: SessionOptions): Promise<SessionTokens | null> {
  const first = await readStored(options);
  if (!first) return null;
  let current = first;
  let inflight: Promise<StoredSession> | null = null;

  const refresh = (): Promise<StoredSession> =>
    withSessionLock(options, async () => {
      const onDisk = await readStored(options);
      if (!onDisk) throw new OmveeError('config', 'signed out of Supabase while omvee was running', { hint: 'sign in again: omvee login', details: { permanent: true } });
      if (fresh(onDisk, nowSeconds(options))) return onDisk; // another process refreshed it
      if (!onDisk.refreshToken) throw mustLogIn('the access token has expired and no refresh token was saved');
      const out = await refreshGrant(options, onDisk.refreshToken);
      if (out.ok) {
        await saveSession(options.configDir, out.session);
        return out.session;
      }
      if (!out.permanent && onDisk.expiresAt - nowSeconds(options) > 5) return onDisk; // still valid: try again later
      throw out.error;
    });

  return {
    get current() {
      return current;
    },
    async token() {
      if (fresh(current, nowSeconds(options))) return current.accessToken;
      inflight ??= refresh().finally(() => {
        inflight = null;
      });
      current = await inflight;
      return current.accessToken;
    },
  };
}

/**
 * The saved session for this project, refreshed when it is about to expire (see
 * openSessionTokens). null when nobody signed in or the session belongs to another project URL;
 * throws (→ `omvee login`) when it can no longer be refreshed.
 */
export async function loadSession(options: SessionOptions): Promise<StoredSession | null> {
  const tokens = await openSessionTokens(options);
  if (!tokens) return null;
  await tokens.token();
  return tokens.current;
}

/**
 * Forget the session, and revoke it on the server when the project's URL and anon key are known
 * and the server can be reached. Returns whether one existed.
 */
export async function signOut(options: Pick<SessionOptions, 'configDir' | 'fetch'> & Partial<Pick<SessionOptions, 'url' | 'anonKey'>>): Promise<boolean> {
  const file = sessionPath(options.configDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  const { url, anonKey } = options;
  if (url && anonKey) {
    try {
      const stored = JSON.parse(text) as StoredSession | null;
      if (stored?.accessToken && stored.url === displayUrl(url)) {
        const client = await authClient({ ...options, url, anonKey });
        await client.auth.admin.signOut(stored.accessToken);
      }
    } catch {
      // revoking is best effort: the local file is what makes the CLI signed in
    }
  }
  await rm(file, { force: true });
  return true;
}
