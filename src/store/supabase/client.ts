/**
 * One place that builds a supabase-js client for omvee: imported lazily (keeps `omvee --help`
 * fast), no session persistence in the store (the CLI keeps its own session file, see
 * session.ts), and the URL checked before anything is sent.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { OmveeError } from '../../core/errors.ts';

/** hands out a valid access token, refreshing it when it is about to run out */
export type AccessTokenSource = () => Promise<string>;

/** the access token to send now: the key itself when no user token is configured */
export async function currentToken(options: Pick<SupabaseConnectOptions, 'accessToken' | 'key'>): Promise<string> {
  const t = options.accessToken;
  if (t === undefined) return options.key;
  return typeof t === 'function' ? t() : t;
}

export interface SupabaseConnectOptions {
  /** the project URL, e.g. https://abcd.supabase.co (SUPABASE_URL) */
  url: string;
  /** SUPABASE_SERVICE_KEY, or SUPABASE_ANON_KEY together with `accessToken` */
  key: string;
  /**
   * a signed-in user's access token (from `omvee login`); RLS then limits what is visible. A
   * function is asked before every request (and by Realtime on every heartbeat), so it can hand
   * out a refreshed token: see session.ts `openSessionTokens`.
   */
  accessToken?: string | AccessTokenSource | undefined;
  fetch?: typeof fetch;
  /**
   * let supabase-js retry idempotent reads on 503/520 (default true). Tests turn it off to see
   * the first failure instead of waiting through the backoff.
   */
  retry?: boolean;
}

/** The URL without credentials or trailing slash: safe to print. */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return '(invalid URL)';
  }
}

export function checkSupabaseUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new OmveeError('config', `SUPABASE_URL is not a valid URL`, {
      hint: 'use the project URL from the Supabase dashboard (Project Settings → API), e.g. https://<project-ref>.supabase.co',
    });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new OmveeError('config', `SUPABASE_URL must start with https:// (got ${u.protocol}//)`, {
      hint: 'use the project URL from the Supabase dashboard (Project Settings → API)',
    });
  }
  return u;
}

export async function createOmveeClient(options: SupabaseConnectOptions): Promise<SupabaseClient> {
  checkSupabaseUrl(options.url);
  if (!options.key) {
    throw new OmveeError('config', 'no Supabase key given', { hint: 'set SUPABASE_SERVICE_KEY, or SUPABASE_ANON_KEY and run `omvee login`' });
  }
  const { createClient } = await import('@supabase/supabase-js');
  const token = options.accessToken;
  // with `accessToken` set, supabase-js asks it before every REST/Storage request and realtime-js
  // before every heartbeat (pushing a changed token to joined channels); supabase.auth is then
  // unavailable, which is why session.ts refreshes through GoTrue's HTTP API itself
  const source: AccessTokenSource | undefined = typeof token === 'function' ? token : token ? async () => token : undefined;
  return createClient(options.url, options.key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(source ? { accessToken: source } : {}),
    global: options.fetch ? { fetch: options.fetch } : {},
    db: { retry: options.retry ?? true },
  } as Parameters<typeof createClient>[2]);
}
