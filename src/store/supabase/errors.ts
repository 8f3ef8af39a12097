/**
 * Turning what supabase-js reports (PostgREST error bodies, Storage errors, fetch failures,
 * gateway pages) into OmveeErrors that say what went wrong and what to do, never dumping an HTML
 * page or a key.
 */
import { OmveeError } from '../../core/errors.ts';

export const DB_PUSH_HINT = 'run `supabase db push` in the omvee folder (or paste supabase/migrations/*.sql into the SQL editor)';
const KEY_HINT = 'check SUPABASE_SERVICE_KEY (or SUPABASE_ANON_KEY), or run `omvee login` again';

export interface RemoteFailure {
  /** HTTP status, 0 when no response arrived */
  status: number;
  code?: string | undefined;
  message?: string | undefined;
  details?: string | null | undefined;
  hint?: string | null | undefined;
}

const NETWORK_CODES = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|other side closed|fetch failed|socket hang up/i;

function looksLikeMarkup(text: string | undefined | null): boolean {
  return typeof text === 'string' && /^\s*</.test(text);
}

/** first line, no markup, bounded: safe to show to a person */
function short(text: string | undefined | null): string {
  if (!text) return '';
  if (looksLikeMarkup(text)) return '';
  const line = text.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function isNetworkFailure(f: RemoteFailure): boolean {
  return f.status === 0 && NETWORK_CODES.test(`${f.message ?? ''} ${f.details ?? ''}`);
}

/**
 * @param what   what omvee was doing, e.g. "insert into projects"
 * @param where  the Supabase URL (display form)
 */
export function mapRemoteError(f: RemoteFailure, what: string, where: string): OmveeError {
  const code = f.code ?? '';
  const msg = short(f.message);
  const details = { status: f.status, code, operation: what };

  if (f.status === 0) {
    if (isNetworkFailure(f) || !msg) {
      const reason = /ECONNREFUSED/.test(`${f.message} ${f.details}`) ? 'connection refused' : /ENOTFOUND|EAI_AGAIN/.test(`${f.message} ${f.details}`) ? 'host not found' : 'no response';
      return new OmveeError('network', `cannot reach Supabase at ${where} (${reason})`, {
        hint: 'check SUPABASE_URL and your network connection; for a local project run `supabase start`',
        details,
      });
    }
  }
  if (code === '42501' || f.status === 403) {
    return new OmveeError('permission', `${what}: permission denied by the Supabase project's row level security`, {
      hint: 'sign in as the owner of this project (`omvee login`), or use SUPABASE_SERVICE_KEY for operator tasks; if the schema is new, run `supabase db push`',
      details,
    });
  }
  if (f.status === 401 || code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303' || /Invalid API key|No API key/i.test(msg)) {
    const expired = code === 'PGRST303' || /expired/i.test(msg);
    if (expired) {
      // omvee refreshes the access token before it runs out (session.ts), so an expired one
      // reaching the server ran out in flight or the clock is off: the next request is fresh
      return new OmveeError('store', `the Supabase access token had expired when "${what}" reached the server`, {
        hint: "omvee refreshes the session by itself, so try again; if it keeps happening check this machine's clock, or sign in again: omvee login",
        details,
      });
    }
    return new OmveeError('config', `Supabase rejected the key for ${what}${msg ? `: ${msg}` : ''}`, { hint: KEY_HINT, details });
  }
  if (code === 'PGRST205' || code === '42P01' || code === 'PGRST202' || code === '42883') {
    return new OmveeError('store', `the omvee schema is missing from the Supabase project at ${where} (${msg || code})`, { hint: DB_PUSH_HINT, details });
  }
  if (code === '23505') return new OmveeError('conflict', `${what}: a row with the same key already exists${f.details ? ` (${short(f.details)})` : ''}`, { details });
  if (code === '23503') {
    return new OmveeError('invalid_input', `${what}: it refers to a row that does not exist${f.details ? ` (${short(f.details)})` : ''}`, { details });
  }
  if (['23502', '23514', '22P02', '22023', '22003', '22007', '22008', '42703', 'PGRST204', 'PGRST100', 'PGRST102'].includes(code)) {
    return new OmveeError('invalid_input', `${what}: ${msg || 'invalid value'}`, { details });
  }
  if (code === 'P0002' || code === 'PGRST116') return new OmveeError('not_found', `${what}: ${msg || 'not found'}`, { details });
  if (f.status >= 500) {
    return new OmveeError('store', `Supabase at ${where} answered HTTP ${f.status} to ${what}${msg ? `: ${msg}` : ' (an error page)'}`, {
      hint: 'the project may be paused, restarting or overloaded; try again in a minute (paused projects are resumed from the dashboard)',
      details,
    });
  }
  if (f.status === 404 && (!code || looksLikeMarkup(f.message))) {
    return new OmveeError('config', `${where} does not look like a Supabase project URL (HTTP 404 for ${what})`, {
      hint: 'use the project URL from the Supabase dashboard (Project Settings → API), e.g. https://<project-ref>.supabase.co — without /rest/v1',
      details,
    });
  }
  return new OmveeError('store', `${what} failed at ${where}: ${msg || `HTTP ${f.status}`}${code ? ` (${code})` : ''}`, { details });
}
