/**
 * Resumable uploads to Supabase Storage: the tus protocol at `/storage/v1/upload/resumable`,
 * with tus-js-client, as Supabase documents it (Storage → Uploads → Resumable uploads): chunks of
 * exactly 6 MB, the object named by the metadata `bucketName` / `objectName` (+ `contentType`,
 * `cacheControl`), `x-upsert` to overwrite, the user's access token as `authorization`.
 *
 * - The token is set before EVERY request (onBeforeRequest), so an upload longer than the token's
 *   life carries a refreshed one.
 * - A dropped connection is retried from the offset the server has (HEAD, then PATCH): bytes
 *   already stored are not sent again. With `stateFile`, the upload URL is remembered on disk (by
 *   file, size, mtime, bucket and key), so a later process (`omvee render --upload-only`) goes on
 *   where an interrupted one stopped.
 * - Errors come back as the logical status (the tus routes answer 403/404/409/413 themselves with
 *   the message as text; a refused token gets Storage's JSON error) and are classified by
 *   storage-errors.ts.
 */
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { UrlStorage } from 'tus-js-client';
import { OmveeError } from '../../core/errors.ts';
import type { StorageErrorLike } from './storage-errors.ts';

/** Supabase: "chunkSize … must be set to 6MB (for now) do not change it" */
export const TUS_CHUNK_BYTES = 6 * 1024 * 1024;

export interface ResumableUpload {
  /** the project URL */
  url: string;
  apikey: string;
  token: () => Promise<string>;
  bucket: string;
  key: string;
  source: { path: string } | { data: Buffer };
  contentType: string;
  upsert: boolean;
  onProgress?: ((sent: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** remember unfinished uploads here so another process can resume them */
  stateFile?: string | undefined;
  /** delays between retries of a failed request, ms (default 0, 1 s, 3 s, 5 s, 10 s) */
  retryDelays?: number[] | undefined;
}

interface TusDetailedError extends Error {
  originalResponse?: { getStatus(): number; getBody(): string } | null;
  originalRequest?: { getMethod(): string } | null;
}

/** what the server said, in the shape storage-errors.ts reads */
export function tusFailure(error: unknown): StorageErrorLike {
  const e = error as TusDetailedError;
  const response = e?.originalResponse ?? null;
  if (!response) return { name: 'StorageUnknownError', message: e?.message ?? String(error), originalError: { message: e?.message ?? '' } };
  const status = response.getStatus();
  const body = (response.getBody() ?? '').trim();
  try {
    const parsed = JSON.parse(body) as { statusCode?: string; code?: string; error?: string; message?: string };
    if (parsed && typeof parsed === 'object') return { status, statusCode: parsed.statusCode ?? String(status), ...(parsed.code ? { code: parsed.code } : {}), message: parsed.message ?? parsed.error ?? body };
  } catch {
    // the tus routes answer with the message as plain text
  }
  return { status, statusCode: String(status), message: body.slice(0, 300) };
}

/** retry what a retry can fix: no answer, 5xx, 423/429, and a PATCH offset mismatch (409) */
function shouldRetry(error: TusDetailedError): boolean {
  const status = error.originalResponse?.getStatus() ?? 0;
  if (status === 0 || status >= 500 || status === 423 || status === 429) return true;
  return status === 409 && error.originalRequest?.getMethod() === 'PATCH';
}

export async function uploadResumable(u: ResumableUpload): Promise<void> {
  const tus = await import('tus-js-client');
  const endpoint = `${u.url.replace(/\/+$/, '')}/storage/v1/upload/resumable`;
  let file: Buffer | ReturnType<typeof createReadStream>;
  let size: number;
  let fingerprint: string | null = null;
  if ('path' in u.source) {
    const info = await stat(u.source.path);
    size = info.size;
    file = createReadStream(u.source.path);
    fingerprint = ['omvee', u.source.path, size, info.mtimeMs, endpoint, u.bucket, u.key].join('|');
  } else {
    file = u.source.data;
    size = u.source.data.length;
  }
  // FileUrlStorage is exported by the Node build but missing from the package's types
  const { FileUrlStorage } = tus as unknown as { FileUrlStorage: new (file: string) => UrlStorage };
  let urlStorage: UrlStorage | undefined;
  if (u.stateFile && fingerprint) {
    await mkdir(path.dirname(u.stateFile), { recursive: true });
    urlStorage = new FileUrlStorage(u.stateFile);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const upload = new tus.Upload(file as never, {
        endpoint,
        chunkSize: TUS_CHUNK_BYTES,
        uploadSize: size,
        retryDelays: u.retryDelays ?? [0, 1000, 3000, 5000, 10000],
        headers: { apikey: u.apikey, 'x-upsert': u.upsert ? 'true' : 'false' },
        metadata: { bucketName: u.bucket, objectName: u.key, contentType: u.contentType, cacheControl: '3600' },
        uploadDataDuringCreation: true,
        removeFingerprintOnSuccess: true,
        storeFingerprintForResuming: urlStorage !== undefined,
        ...(urlStorage ? { urlStorage, fingerprint: async () => fingerprint! } : {}),
        onBeforeRequest: async (req) => {
          req.setHeader('authorization', `Bearer ${await u.token()}`);
        },
        onShouldRetry: (error) => shouldRetry(error as TusDetailedError),
        onProgress: (sent, total) => u.onProgress?.(sent, total),
        onSuccess: () => resolve(),
        onError: (error) => reject(error),
      });
      const onAbort = () => {
        void upload.abort(false);
        reject(u.signal?.reason ?? new OmveeError('interrupted', 'upload stopped'));
      };
      if (u.signal?.aborted) return onAbort();
      u.signal?.addEventListener('abort', onAbort, { once: true });
      const begin = async (): Promise<void> => {
        if (urlStorage) {
          const previous = await upload.findPreviousUploads();
          if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        }
        upload.start();
      };
      begin().catch(reject);
    });
  } finally {
    if (!Buffer.isBuffer(file)) file.destroy();
  }
}
