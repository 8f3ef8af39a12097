/**
 * The CLI's Supabase sign-in: `omvee login` signs in with email + password (GoTrue, via
 * supabase-js) and keeps the session — access and refresh token — in a file under the config
 * directory, readable by the user only (0600). Later commands load it, refreshing the access
 * token when it is about to expire. Pure functions over paths: the commands wire them up.
 *
 * The file never holds the password, and nothing here prints a token.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OmveeError } from '../../core/errors.ts';
import { createOmveeClient, displayUrl } from './client.ts';
import { mapRemoteError } from './errors.ts';

const SESSION_FILE = 'supabase-session.json';
/** refresh when the access token has less than this left */
const REFRESH_MARGIN_SECONDS = 60;

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
  const tmp = `${file}.${process.pid}.tmp`;
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

/**
 * The saved session for this project, refreshed when it is (about to be) expired.
 * null when nobody signed in, the session belongs to another project URL, or the refresh token
 * was revoked (then the file is removed: the user must `omvee login` again).
 */
export async function loadSession(options: SessionOptions): Promise<StoredSession | null> {
  let stored: StoredSession;
  try {
    stored = JSON.parse(await readFile(sessionPath(options.configDir), 'utf8')) as StoredSession;
  } catch {
    return null;
  }
  if (!stored || typeof stored.accessToken !== 'string' || stored.url !== displayUrl(options.url)) return null;
  const now = nowSeconds(options);
  if (stored.expiresAt - REFRESH_MARGIN_SECONDS > now) return stored;

  const client = await authClient(options);
  const { data, error } = await client.auth.refreshSession({ refresh_token: stored.refreshToken });
  if (error || !data.session) {
    const status = (error as AuthErr | null)?.status ?? 0;
    if (status >= 400 && status < 500) {
      await rm(sessionPath(options.configDir), { force: true });
      return null;
    }
    throw authError(error ?? { message: 'no session returned', status: 500 }, 'refresh the Supabase session', options.url);
  }
  const fresh = toStored(options.url, data.session as never, now);
  await saveSession(options.configDir, fresh);
  return fresh;
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
