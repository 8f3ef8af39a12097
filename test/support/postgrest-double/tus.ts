/**
 * Storage's resumable upload endpoint, `/storage/v1/upload/resumable`, in the test double.
 *
 * The protocol is tus 1.0 (creation, creation-with-upload, termination, expiration) served by the
 * official server, `@tus/server` — the same library supabase/storage uses — with the hooks
 * supabase/storage wires into it, read from its source (src/http/routes/tus/index.ts and
 * lifecycle.ts):
 *   - the object is named by the Upload-Metadata fields `bucketName` and `objectName`
 *     (`contentType`, `cacheControl`, `metadata` are optional); the upload id is
 *     `bucket/object/version` and its URL ends in that id, base64url-encoded (generateUrl,
 *     getFileIdFromRequest);
 *   - `x-upsert: true` lets the upload replace an object; without it an existing object is a
 *     409 (Uploader.canUpload runs the insert as the caller and rolls it back, so row level
 *     security decides, on every request but HEAD/OPTIONS);
 *   - maxSize: the bucket's file_size_limit capped by the project's global limit; an
 *     Upload-Length above it is `413 Maximum size exceeded` (@tus/server's own error);
 *   - errors raised in the hooks answer with the error's LOGICAL status and its message as plain
 *     text (lifecycle.ts getTusError), unlike the JSON routes; a refused bearer token is refused
 *     before tus runs (registerJwtAuth), so it gets storage-api's JSON error (HTTP 400).
 * Bytes are written by @tus/file-store to a temporary folder, and handed to the Storage double
 * when the upload completes (onUploadFinish → Uploader.completeUpload).
 *
 * Test-only: never imported from src/.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DbRole } from './database.ts';
import type { JwtClaims } from './jwt.ts';
import { StorageFailure, type StorageHandler } from './storage.ts';

export const TUS_PATH = '/storage/v1/upload/resumable';

interface Caller {
  role: DbRole;
  claims: JwtClaims;
  upsert: boolean;
}

type NodeRequest = IncomingMessage & { omveeCaller?: Caller };
type TusRequest = { runtime?: { node?: { req?: NodeRequest } }; method: string };
interface TusUpload {
  id: string;
  size?: number | undefined;
  metadata?: Record<string, string | null> | undefined;
}

/** what lifecycle.ts getTusError turns a storage error into */
const tusError = (failure: StorageFailure): { status_code: number; body: string } => ({ status_code: failure.status, body: failure.message });

function splitId(id: string): { bucket: string; objectName: string; version: string } {
  const parts = id.split('/');
  if (parts.length < 3) throw { status_code: 400, body: 'Invalid upload id' };
  const bucket = parts[0]!;
  const version = parts[parts.length - 1]!;
  return { bucket, objectName: parts.slice(1, -1).join('/'), version };
}

export interface TusEndpoint {
  handle(req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void>;
  /** the Upload-Offset of every PATCH so far (a resumed upload goes on from where it stopped) */
  readonly patchOffsets: readonly number[];
  /** uploads created (POST) so far */
  readonly created: number;
  close(): Promise<void>;
}

export async function createTusEndpoint(storage: StorageHandler): Promise<TusEndpoint> {
  const [{ Server }, { FileStore }] = await Promise.all([import('@tus/server'), import('@tus/file-store')]);
  const directory = await mkdtemp(path.join(os.tmpdir(), 'omvee-tus-double-'));
  const datastore = new FileStore({ directory });
  const patchOffsets: number[] = [];
  let created = 0;

  const callerOf = (req: TusRequest): Caller => {
    const caller = req.runtime?.node?.req?.omveeCaller;
    if (!caller) throw { status_code: 500, body: 'Request object is missing' };
    return caller;
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof StorageFailure) throw tusError(error);
      throw error;
    }
  };

  const server = new Server({
    path: TUS_PATH,
    datastore,
    disableTerminationForFinishedUploads: true,
    respectForwardedHeaders: false,
    allowedHeaders: ['Authorization', 'X-Upsert', 'Upload-Expires', 'ApiKey', 'x-signature'],
    namingFunction: (_req: unknown, metadata?: Record<string, string | null>) => {
      if (!metadata) throw { status_code: 400, body: 'Metadata header is required' };
      const bucket = metadata.bucketName ?? '';
      const objectName = metadata.objectName ?? '';
      if (!bucket || !/^[A-Za-z0-9_.-]+$/.test(bucket)) throw { status_code: 400, body: 'Bucket name invalid' };
      if (!objectName || objectName.startsWith('/') || objectName.includes('//') || objectName.split('/').some((p) => p === '..' || p === '.')) {
        throw { status_code: 400, body: `Invalid key: ${objectName}` };
      }
      created += 1;
      return `${bucket}/${objectName}/${randomUUID()}`;
    },
    generateUrl: (_req: unknown, { proto, host, path: base, id }: { proto: string; host: string; path: string; id: string }) =>
      `${proto}://${host}${base}/${Buffer.from(id, 'utf8').toString('base64url')}`,
    getFileIdFromRequest: (_req: unknown, lastPath?: string) => (lastPath ? Buffer.from(lastPath, 'base64url').toString('utf8') : undefined),
    maxSize: async (_req: unknown, uploadId: string | null) => (uploadId ? guard(() => storage.limitFor(splitId(uploadId).bucket)) : storage.fileSizeLimit),
    onIncomingRequest: async (req: TusRequest, id: string) => {
      if (req.method === 'OPTIONS' || req.method === 'HEAD') return;
      const caller = callerOf(req);
      const { bucket, objectName } = splitId(id);
      await guard(() => storage.canUpload(bucket, objectName, caller.upsert, caller.role, caller.claims));
    },
    onUploadCreate: async (_req: unknown, upload: TusUpload) => {
      const metadata = { ...(upload.metadata ?? {}) };
      metadata.cacheControl = /^-?\d+$/.test(metadata.cacheControl ?? '') ? `max-age=${metadata.cacheControl}` : 'no-cache';
      return { metadata };
    },
    onUploadFinish: async (req: TusRequest, upload: TusUpload) => {
      const caller = callerOf(req);
      const { bucket, objectName } = splitId(upload.id);
      const file = path.join(directory, upload.id);
      const data = await readFile(file);
      await guard(() =>
        storage.completeUpload(
          bucket,
          objectName,
          data,
          { contentType: upload.metadata?.contentType ?? 'application/octet-stream', cacheControl: upload.metadata?.cacheControl ?? 'no-cache' },
          caller.upsert,
          caller.role,
          caller.claims,
        ),
      );
      await datastore.remove(upload.id).catch(() => undefined);
      return { headers: { 'Tus-Complete': '1' } };
    },
  } as never);

  return {
    async handle(req, res, caller) {
      (req as NodeRequest).omveeCaller = caller;
      if (req.method === 'PATCH') patchOffsets.push(Number(req.headers['upload-offset']));
      await server.handle(req, res);
    },
    get patchOffsets() {
      return patchOffsets;
    },
    get created() {
      return created;
    },
    async close() {
      await rm(directory, { recursive: true, force: true });
    },
  };
}
