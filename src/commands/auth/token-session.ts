/**
 * `omvee login --token-stdin`: read the tokens a user already has (from the Supabase dashboard,
 * a web app's session, another tool) off stdin. Signing in with them is
 * store/supabase/session.ts `signInWithTokens`. Tokens are never printed.
 */
import { OmveeError } from '../../core/errors.ts';
import type { TokenPair } from '../../app/auth.ts';

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
