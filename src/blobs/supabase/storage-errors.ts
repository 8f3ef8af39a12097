/**
 * Turning a Storage error into an OmveeError from what Storage says in the BODY.
 *
 * Supabase Storage (supabase/storage, src/http/error-handler.ts) answers every handled error with
 * HTTP 400 (500 stays 500) and puts the logical status in the body:
 * `{statusCode: "404", code: "NoSuchKey", error: "not_found", message: "Object not found"}`.
 * storage-js keeps the HTTP status as `status`, the body's statusCode as `statusCode` and its code
 * as `code`. So the HTTP status says almost nothing; the body's statusCode, code and message do:
 *   404 / NoSuchKey → not found · NoSuchBucket → the bucket is missing (db push) ·
 *   409 / ResourceAlreadyExists / KeyAlreadyExists → exists · 413 / EntityTooLarge → too large ·
 *   403 / AccessDenied with a token message (jose: `"exp" claim timestamp check failed`,
 *   `signature verification failed`, …) → the access token was refused ·
 *   403 / AccessDenied otherwise → the storage policies (row level security) said no: permanent.
 * The resumable (tus) endpoint answers with the logical status itself and the message as text.
 */
import { OmveeError, notFound } from '../../core/errors.ts';
import { DB_PUSH_HINT, mapRemoteError } from '../../store/supabase/errors.ts';

export interface StorageErrorLike {
  name?: string;
  message?: string;
  /** the HTTP status */
  status?: number;
  /** the body's logical status ("404") */
  statusCode?: string | number;
  /** the body's code ("NoSuchKey") */
  code?: string;
  originalError?: { cause?: { code?: string; message?: string }; message?: string };
}

export interface StorageErrorContext {
  /** what omvee was doing, e.g. "upload projects/…/final/x.mp4" */
  what: string;
  /** the object key, when there is one */
  key?: string | undefined;
  bucket: string;
  /** the project URL (display form) */
  where: string;
  /** bytes being uploaded and the limit known for the bucket, to say them on a 413 */
  size?: number | undefined;
  limit?: number | null | undefined;
}

export const mb = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`);

const TOKEN_MESSAGE = /jwt|jws|"exp" claim|claim timestamp|signature verification|token|compact/i;
const EXPIRED_MESSAGE = /"exp" claim|expired/i;
const LIMIT_HINT = 'raise the limit (Supabase dashboard → Storage → the bucket\'s settings, and Project Settings → Storage for the global limit on paid plans), or set OMVEE_MAX_UPLOAD_BYTES to what your plan allows';

/** the logical status: the body's statusCode (Storage's JSON routes), else the HTTP status */
export function logicalStatus(e: StorageErrorLike): number {
  const fromBody = Number(e.statusCode);
  if (Number.isInteger(fromBody) && fromBody > 0) return fromBody;
  return typeof e.status === 'number' ? e.status : 0;
}

export function tooLarge(ctx: StorageErrorContext): OmveeError {
  const subject = ctx.key ?? ctx.what;
  const size = ctx.size !== undefined ? ` (${mb(ctx.size)})` : '';
  const limit = !ctx.limit
    ? ''
    : ctx.size !== undefined && ctx.size <= ctx.limit
      ? `; the project's global upload limit (Project Settings → Storage) is below the bucket's own ${mb(ctx.limit)}`
      : `; the bucket ${ctx.bucket} takes at most ${mb(ctx.limit)} per file`;
  return new OmveeError('invalid_input', `${subject}${size} is larger than Supabase Storage accepts${limit}`, { hint: LIMIT_HINT, details: { size: ctx.size ?? null, limit: ctx.limit ?? null } });
}

export function mapStorageError(error: unknown, ctx: StorageErrorContext): OmveeError {
  if (error instanceof OmveeError) return error;
  const e = (error ?? {}) as StorageErrorLike;
  const message = e.message ?? '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = logicalStatus(e);
  const details = { status: e.status ?? 0, statusCode: String(e.statusCode ?? ''), code, operation: ctx.what };

  if (e.name === 'StorageUnknownError' || (status === 0 && !code)) {
    const cause = e.originalError?.cause;
    return mapRemoteError({ status: 0, message: `${message} ${cause?.code ?? ''} ${cause?.message ?? ''}` }, ctx.what, ctx.where);
  }
  if (code === 'NoSuchBucket' || /bucket not found/i.test(message)) {
    return new OmveeError('store', `the storage bucket "${ctx.bucket}" does not exist in the Supabase project at ${ctx.where}`, {
      hint: `${DB_PUSH_HINT} — it creates the bucket ${ctx.bucket}`,
      details,
    });
  }
  if (code === 'NoSuchKey' || code === 'NoSuchUpload' || status === 404 || /object not found/i.test(message)) return notFound('file', ctx.key ?? ctx.what);
  if (code === 'ResourceAlreadyExists' || code === 'KeyAlreadyExists' || status === 409 || /already exists/i.test(message)) {
    return new OmveeError('conflict', `${ctx.key ?? ctx.what} already exists in the bucket`, { hint: 'allow overwriting (upsert) or pick another name', details });
  }
  if (code === 'EntityTooLarge' || status === 413 || /maximum (allowed )?size/i.test(message)) return tooLarge(ctx);
  if (code === 'InvalidJWT' || ((status === 401 || status === 403 || code === 'AccessDenied') && TOKEN_MESSAGE.test(message))) {
    if (EXPIRED_MESSAGE.test(message)) {
      // omvee refreshes the token before it runs out; reaching the server expired means it ran
      // out in flight or this machine's clock is off: the next request gets a fresh one
      return new OmveeError('store', `the Supabase access token had expired when "${ctx.what}" reached the server (${message})`, {
        hint: "omvee refreshes the session by itself, so try again; if it keeps happening check this machine's clock, or sign in again: omvee login",
        details,
      });
    }
    return new OmveeError('config', `Supabase Storage refused the access token for ${ctx.what} (${message})`, {
      hint: 'sign in again (omvee login), or check that SUPABASE_URL and SUPABASE_ANON_KEY belong to the same project',
      details,
    });
  }
  if (code === 'AccessDenied' || status === 403 || /row-level security/i.test(message)) {
    return new OmveeError('permission', `${ctx.what}: permission denied by the storage policies (row level security) of the Supabase project`, {
      hint: 'sign in as the owner of this project (`omvee login`), or use SUPABASE_SERVICE_KEY for operator tasks; if the storage policies were never created, `omvee doctor` says what to run',
      details,
    });
  }
  if (status === 429) {
    return new OmveeError('store', `Supabase Storage is rate limiting ${ctx.what} (${message || 'HTTP 429'})`, { hint: 'wait a moment and try again', details });
  }
  return mapRemoteError({ status, message, code }, ctx.what, ctx.where);
}
