/**
 * The store rows of `omvee doctor`. On the local backend: the store opens and its schema is
 * current, the blob folder is writable. On Supabase, one row per thing that can be wrong, in the
 * order a person would fix them, each with the exact fix:
 *   supabase  the URL answers at all (refused / unknown host → check SUPABASE_URL)
 *   key       the key is accepted (401 → which key to check)
 *   session   anon-key setups: somebody is signed in, the session can be refreshed, how long the
 *             access token has left (→ omvee login)
 *   schema    the omvee tables exist and are current (→ supabase db push)
 *   bucket    the bucket project-files itself (GET /storage/v1/bucket/project-files: listing a
 *             folder answers [] even when the bucket is missing) and its size limit
 *   policies  the storage policies exist (→ what to run as the owner of storage.objects)
 * A row that cannot be checked because an earlier one failed is not shown. Keys never appear:
 * rows name the variable, and every message passes through redaction.
 */
import type { Services } from '../services.ts';
import { BUCKET } from '../../blobs/keys.ts';
import { redactSecrets, type ResolvedConfig } from '../../config/resolve.ts';
import { runCheck, type CheckResult } from '../../core/doctor.ts';

const TIMEOUT_MS = 10_000;
const URL_HINT = 'check SUPABASE_URL: the project URL from the dashboard (Project Settings → API), e.g. https://<ref>.supabase.co; for a local project run `supabase start`';
const DB_PUSH = 'run `supabase db push` in the omvee folder (or paste supabase/migrations/*.sql into the SQL editor)';

/** What the checks need: the settings, and the services opened on demand. */
export interface DoctorEnv {
  config: ResolvedConfig;
  services(): Promise<Services>;
}

export async function backendChecks(ctx: DoctorEnv, options: { offline: boolean }): Promise<CheckResult[]> {
  const config = ctx.config;
  const { chooseBackend } = await import('../services.ts');
  let backend: 'local' | 'supabase';
  try {
    backend = chooseBackend(config);
  } catch (error) {
    const e = error as { message?: string; hint?: string };
    return [{ check: 'backend', status: 'fail', detail: e.message ?? String(error), hint: e.hint ?? null }];
  }
  return backend === 'supabase' ? supabaseChecks(config, options) : localChecks(ctx);
}

async function localChecks(ctx: DoctorEnv): Promise<CheckResult[]> {
  return [
    await runCheck('store', async () => {
      const { store, backend } = await ctx.services();
      const info = await store.schemaInfo();
      const behind = info.version < info.latest;
      return {
        status: behind ? 'fail' : 'ok',
        detail: `${backend} at ${store.location}, schema version ${info.version}${behind ? ` (this omvee needs ${info.latest})` : ''}`,
        hint: behind ? 'run any omvee command to migrate' : null,
      };
    }),
    await runCheck('storage', async () => {
      const { blobs } = await ctx.services();
      const key = `health/doctor-${process.pid}.txt`;
      await blobs.put(key, Buffer.from('ok'), { contentType: 'text/plain' });
      await blobs.remove([key]);
      return { status: 'ok', detail: `${blobs.kind} folder at ${blobs.location} (writable)`, hint: null };
    }),
  ];
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = `${e.name ?? ''} ${e.message ?? ''} ${e.cause?.code ?? ''} ${e.cause?.message ?? ''}`;
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'host not found (DNS)';
  if (/TimeoutError|ETIMEDOUT|aborted/i.test(text)) return `no answer within ${TIMEOUT_MS / 1000} s`;
  if (/certificate|SSL|TLS/i.test(text)) return 'TLS/certificate problem';
  return (e.cause?.code ?? e.message ?? 'no response').slice(0, 120);
}

async function supabaseChecks(config: ResolvedConfig, options: { offline: boolean }): Promise<CheckResult[]> {
  const v = config.values;
  const redact = (text: string): string => redactSecrets(text, v);
  const { checkSupabaseUrl, displayUrl } = await import('../../store/supabase/client.ts');
  const rawUrl = v.SUPABASE_URL!;
  const where = displayUrl(rawUrl);
  const keyVar = v.SUPABASE_SERVICE_KEY ? 'SUPABASE_SERVICE_KEY' : 'SUPABASE_ANON_KEY';
  const key = (v.SUPABASE_SERVICE_KEY ?? v.SUPABASE_ANON_KEY)!;
  const rows: CheckResult[] = [];
  const add = (row: CheckResult): boolean => {
    rows.push({ ...row, detail: redact(row.detail), hint: row.hint === null ? null : redact(row.hint) });
    return row.status !== 'fail';
  };

  // 1. the URL
  try {
    checkSupabaseUrl(rawUrl);
  } catch (error) {
    add({ check: 'supabase', status: 'fail', detail: (error as Error).message, hint: URL_HINT });
    return rows;
  }
  if (options.offline) {
    add({ check: 'supabase', status: 'ok', detail: `${where} with ${keyVar} (redacted); not checked (--offline)`, hint: null });
    return rows;
  }
  const base = where.replace(/\/+$/, '');
  let keyStatus: number;
  let keyBody = '';
  try {
    // reachability and the key in one request: PostgREST's root answers 401 to a bad key
    const res = await fetch(`${base}/rest/v1/`, { headers: { apikey: key, authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    keyStatus = res.status;
    keyBody = (await res.text().catch(() => '')).slice(0, 2000);
  } catch (error) {
    add({ check: 'supabase', status: 'fail', detail: `cannot reach Supabase at ${where} (${networkReason(error)})`, hint: URL_HINT });
    return rows;
  }
  const gatewayDown = keyStatus >= 500 && /^\s*</.test(keyBody);
  if (!add({
    check: 'supabase',
    status: gatewayDown ? 'fail' : 'ok',
    detail: gatewayDown ? `${where} answered HTTP ${keyStatus} with an error page` : `${where} is reachable`,
    hint: gatewayDown ? 'the project may be paused or restarting: check the Supabase dashboard and try again in a minute' : null,
  })) return rows;

  // 2. the key
  if (keyStatus === 401) {
    let message = '';
    try {
      message = String((JSON.parse(keyBody) as { message?: unknown }).message ?? '');
    } catch {
      // not JSON: say only the status
    }
    add({
      check: 'key',
      status: 'fail',
      detail: `Supabase rejected ${keyVar} (HTTP 401${message ? `: ${message.slice(0, 120)}` : ''})`,
      hint: `copy the ${keyVar === 'SUPABASE_SERVICE_KEY' ? 'service_role' : 'anon'} key of the project at ${where} (Project Settings → API) into ${keyVar}`,
    });
    return rows;
  }
  add({
    check: 'key',
    status: 'ok',
    detail: keyVar === 'SUPABASE_SERVICE_KEY' ? 'SUPABASE_SERVICE_KEY accepted (service role: row level security does not apply)' : 'SUPABASE_ANON_KEY accepted',
    hint: null,
  });

  // 3. who is signed in (anon key setups only)
  let accessToken: string | undefined;
  if (keyVar === 'SUPABASE_ANON_KEY') {
    const row = await runCheck('session', async () => {
      const { openSessionTokens } = await import('../../store/supabase/session.ts');
      const tokens = await openSessionTokens({ url: rawUrl, anonKey: key, configDir: config.paths.configDir });
      if (!tokens) return { status: 'fail', detail: 'not signed in (SUPABASE_ANON_KEY needs a user session)', hint: 'run `omvee login` (or set SUPABASE_SERVICE_KEY for operators and CI)' };
      accessToken = await tokens.token(); // refreshed here when it is about to run out
      const session = tokens.current;
      const left = session.expiresAt - Math.floor(Date.now() / 1000);
      const life = left >= 120 ? `${Math.floor(left / 60)} min` : `${Math.max(0, left)} s`;
      const refreshable = session.refreshToken !== '';
      return {
        status: refreshable ? 'ok' : 'warn',
        detail: `signed in as ${session.user.email ?? '(no email)'} (${session.user.id}); access token valid for ${life}${refreshable ? ', refreshed automatically' : ' and cannot be refreshed (no refresh token)'}`,
        hint: refreshable ? null : 'sign in with email and password (omvee login) so long runs can refresh the session',
      };
    });
    if (!add(row)) return rows;
  }

  const connect = { url: rawUrl, key, retry: false, ...(accessToken ? { accessToken } : {}) };

  // 4. the schema
  const schemaRow = await runCheck('schema', async () => {
    const { openSupabaseStore } = await import('../../store/supabase/supabase-store.ts');
    const store = await openSupabaseStore(connect);
    const info = await store.schemaInfo();
    if (info.version === 0) return { status: 'fail', detail: `the omvee tables are missing from ${where}`, hint: DB_PUSH };
    if (info.version < info.latest) return { status: 'fail', detail: `schema version ${info.version}; this omvee needs ${info.latest}`, hint: DB_PUSH };
    if (info.version > info.latest) return { status: 'warn', detail: `schema version ${info.version} is newer than this omvee knows (${info.latest})`, hint: 'update omvee' };
    return { status: 'ok', detail: `omvee schema version ${info.version}`, hint: null };
  });
  add(schemaRow.status === 'fail' && schemaRow.hint === null ? { ...schemaRow, hint: DB_PUSH } : schemaRow);

  // 5. the bucket itself: GET /storage/v1/bucket/project-files (a list answers [] even without it)
  const { openSupabaseBlobs } = await import('../../blobs/supabase/supabase-blobs.ts');
  const blobs = openSupabaseBlobs({ ...connect, maxUploadBytes: v.OMVEE_MAX_UPLOAD_BYTES });
  add(
    await runCheck('bucket', async () => {
      let info;
      try {
        info = await blobs.bucketInfo();
      } catch (error) {
        const e = error as { message?: string };
        if (!/does not exist/.test(e.message ?? '')) throw error;
        const who = keyVar === 'SUPABASE_ANON_KEY' ? ' (or the signed-in user may not read it: see the policies row)' : '';
        return { status: 'fail', detail: `the storage bucket ${BUCKET} does not exist at ${where}${who}`, hint: `${DB_PUSH} (it creates the bucket ${BUCKET} and its policies)` };
      }
      const limit = await blobs.uploadLimit();
      const own = info.fileSizeLimit === null ? 'no file size limit of its own' : `file size limit ${(info.fileSizeLimit / 1024 / 1024).toFixed(1)} MB`;
      return {
        status: info.public ? 'warn' : 'ok',
        detail: `storage bucket ${BUCKET} exists (${info.public ? 'PUBLIC' : 'private'}, ${own}); uploads up to ${(limit.bytes / 1024 / 1024).toFixed(1)} MB (${limit.source})`,
        hint: info.public ? `make the bucket private (Storage → ${BUCKET} → Edit bucket): anybody can read public files` : null,
      };
    }),
  );

  // 6. the storage policies (they may have failed to apply: supabase/supabase#41126)
  add(
    await runCheck('policies', async () => {
      const { createOmveeClient } = await import('../../store/supabase/client.ts');
      const client = await createOmveeClient(connect);
      const { data, error } = await client.rpc('omvee_storage_policies_ready');
      if (error) {
        if (error.code === 'PGRST202' || error.code === '42883') return { status: 'fail', detail: 'the storage policy check is missing (older migrations)', hint: DB_PUSH };
        throw new Error(error.message);
      }
      if (data === true) return { status: 'ok', detail: 'storage policies for signed-in users are in place', hint: null };
      return {
        status: keyVar === 'SUPABASE_ANON_KEY' ? 'fail' : 'warn',
        detail: 'the storage policies are missing: signed-in users cannot read or write files (the service key still can)',
        hint: 'create them as the owner of storage.objects: set role supabase_storage_admin; select public.omvee_create_storage_policies();  (hosted: SQL editor; self-hosted: psql -U supabase_admin)',
      };
    }),
  );
  return rows;
}
