/**
 * `omvee login --token-stdin`: turn tokens a user already has (from the Supabase dashboard, a
 * web app's session, another tool) into the CLI session file that session.ts reads. The access
 * token is checked with GoTrue (GET /auth/v1/user); when it is expired and a refresh token was
 * given, a fresh pair is fetched instead. Tokens are never printed.
 */
import { OmveeError } from '../../cli/errors.ts';
import { checkSupabaseUrl, displayUrl } from '../../store/supabase/client.ts';
import { mapRemoteError } from '../../store/supabase/errors.ts';
import { saveSession, type StoredSession } from '../../store/supabase/session.ts';
import type { LoginTarget } from './supabase-env.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string | null;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const FORMAT_HINT = 'pipe {"access_token": "…", "refresh_token": "…"}, or "ACCESS_TOKEN REFRESH_TOKEN", or an access token alone (see omvee login --help)';

/** the three accepted stdin formats (see `omvee login --help`) */
export function parseTokenInput(text: string): TokenPair {
  const trimmed = text.trim();
  let access: unknown;
  let refresh: unknown = null;
  if (trimmed.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new OmveeError('invalid_input', '--token-stdin: stdin starts with "{" but is not valid JSON', { hint: FORMAT_HINT });
    }
    const session = (parsed.session && typeof parsed.session === 'object' ? parsed.session : parsed) as Record<string, unknown>;
    access = session.access_token;
    refresh = session.refresh_token ?? null;
  } else {
    const parts = trimmed.split(/\s+/);
    if (parts.length > 2) throw new OmveeError('invalid_input', `--token-stdin: expected one or two tokens, got ${parts.length} words`, { hint: FORMAT_HINT });
    [access, refresh = null] = parts;
  }
  if (typeof access !== 'string' || !JWT.test(access)) {
    throw new OmveeError('invalid_input', '--token-stdin: no access token found (an access token is a JWT: three dot-separated parts)', { hint: FORMAT_HINT });
  }
  if (refresh !== null && (typeof refresh !== 'string' || refresh === '' || /\s/.test(refresh))) {
    throw new OmveeError('invalid_input', '--token-stdin: the refresh token is not a single word', { hint: FORMAT_HINT });
  }
  return { accessToken: access, refreshToken: refresh as string | null };
}

function expiryOf(accessToken: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}

export async function signInWithTokens(target: LoginTarget, tokens: TokenPair, now = Math.floor(Date.now() / 1000)): Promise<StoredSession> {
  checkSupabaseUrl(target.url);
  const { createClient } = await import('@supabase/supabase-js');
  const client = createClient(target.url, target.anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });
  const where = displayUrl(target.url);
  const fail = (error: { status?: number; message?: string; code?: string; name?: string }, what: string): OmveeError => {
    const status = error.name === 'AuthRetryableFetchError' ? 0 : (error.status ?? 0);
    if (status === 401 || status === 403 || (status === 400 && /refresh/i.test(`${error.message}`))) {
      return new OmveeError('config', `Supabase did not accept the token (${what})`, { hint: 'get a fresh token, or sign in with email and password: omvee login' });
    }
    return mapRemoteError({ status, message: status === 0 ? `fetch failed ${error.message ?? ''}` : error.message, code: error.code }, what, where);
  };

  let accessToken = tokens.accessToken;
  let refreshToken = tokens.refreshToken ?? '';
  let expiresAt = expiryOf(accessToken) ?? now + 3600;
  let user: { id: string; email?: string | undefined } | null = null;

  if (expiresAt > now + 30) {
    const { data, error } = await client.auth.getUser(accessToken);
    if (error && !(tokens.refreshToken && (error.status === 401 || error.status === 403))) throw fail(error, 'check the access token');
    user = data.user ?? null;
  }
  if (!user) {
    if (!tokens.refreshToken) {
      throw new OmveeError('config', 'the access token has expired and no refresh token was given', { hint: 'pipe both tokens ("ACCESS REFRESH"), or sign in with email and password: omvee login' });
    }
    const { data, error } = await client.auth.refreshSession({ refresh_token: tokens.refreshToken });
    if (error || !data.session) throw fail(error ?? { status: 500, message: 'no session returned' }, 'refresh the session');
    accessToken = data.session.access_token;
    refreshToken = data.session.refresh_token;
    expiresAt = data.session.expires_at ?? now + data.session.expires_in;
    user = data.session.user;
  }
  const session: StoredSession = { url: where, accessToken, refreshToken, expiresAt, user: { id: user.id, email: user.email ?? null } };
  await saveSession(target.configDir, session);
  return session;
}
