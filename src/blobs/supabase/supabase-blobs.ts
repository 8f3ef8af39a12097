/**
 * The Blobs port on Supabase Storage (the private bucket `project-files`), via supabase-js.
 *
 * Uploads up to `resumableAboveBytes` (6 MB, Supabase's advice) go in one request; larger ones
 * through Storage's resumable (tus) endpoint (resumable.ts), which has no per-request cap, keeps
 * going after a dropped connection and reports progress. Either way the object must fit the
 * limit: the bucket's `file_size_limit` (GET /storage/v1/bucket/{id}), or OMVEE_MAX_UPLOAD_BYTES
 * (the project's global limit, which no API tells), else 50 MB (the free plan's) — checked
 * before a byte is sent, and said in the error when Storage answers 413 anyway.
 *
 * Errors are read from Storage's body (storage-errors.ts). Storage lists one folder level at a
 * time, so list() walks folders recursively, page by page until a page comes back empty.
 */
import { mkdir, readFile, rename, rm, stat as statFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { BlobInfo, Blobs, PutOptions, UploadLimit } from '../port.ts';
import { BUCKET, assertSafeKey } from '../keys.ts';
import { contentTypeFor } from '../content-type.ts';
import { OmveeError, notFound } from '../../core/errors.ts';
import { createOmveeClient, currentToken, displayUrl, type SupabaseConnectOptions } from '../../store/supabase/client.ts';
import { mapStorageError, mb, tooLarge } from './storage-errors.ts';
import { tusFailure, uploadResumable } from './resumable.ts';

export interface SupabaseBlobsOptions extends SupabaseConnectOptions {
  /** default `project-files` */
  bucket?: string;
  /** the project's global upload limit (OMVEE_MAX_UPLOAD_BYTES); the bucket's own limit also applies */
  maxUploadBytes?: number | undefined;
  /** uploads above this size go through the resumable endpoint (default 6 MB) */
  resumableAboveBytes?: number;
  /** where unfinished resumable uploads are remembered, so a later process can resume them */
  resumeStateFile?: string | undefined;
  /** delays between retries of a failed resumable request, ms */
  resumableRetryDelays?: number[];
}

export interface SignedUpload {
  /** PUT the file here (no other credentials needed) */
  signedUrl: string;
  token: string;
  key: string;
}

/** SupabaseBlobs adds signed upload URLs (`omvee upload presign`) to the Blobs port. */
export interface SupabaseBlobs extends Blobs {
  createSignedUploadUrl(key: string, options?: { upsert?: boolean }): Promise<SignedUpload>;
  uploadLimit(): Promise<UploadLimit>;
  /** the bucket as Storage describes it (GET /storage/v1/bucket/{id}) */
  bucketInfo(): Promise<{ id: string; public: boolean; fileSizeLimit: number | null }>;
}

/** the free plan's global limit: what applies when neither the bucket nor a setting says more */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Supabase: "for files larger than 6 MB … use resumable uploads" */
export const RESUMABLE_ABOVE_BYTES = 6 * 1024 * 1024;
const LIST_PAGE = 1000;

interface ListEntry {
  name: string;
  id: string | null;
  updated_at: string | null;
  metadata: { size?: number; mimetype?: string } | null;
}

function folderOf(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

class SupabaseStorageBlobs implements SupabaseBlobs {
  readonly kind = 'supabase' as const;
  readonly bucket: string;
  readonly location: string;
  readonly #options: SupabaseBlobsOptions;
  #client: Promise<SupabaseClient> | undefined;
  #limit: Promise<UploadLimit> | undefined;
  /** the limit once known, to say it in errors */
  #knownLimit: number | null = null;

  constructor(options: SupabaseBlobsOptions) {
    this.#options = options;
    this.bucket = options.bucket ?? BUCKET;
    this.location = `${displayUrl(options.url)}/storage/v1/object/${this.bucket}`;
  }

  async #files() {
    this.#client ??= createOmveeClient(this.#options);
    return (await this.#client).storage.from(this.bucket);
  }

  #error(error: unknown, what: string, key?: string, size?: number): OmveeError {
    return mapStorageError(error, { what, key, bucket: this.bucket, where: displayUrl(this.#options.url), size, limit: this.#knownLimit });
  }

  async bucketInfo(): Promise<{ id: string; public: boolean; fileSizeLimit: number | null }> {
    this.#client ??= createOmveeClient(this.#options);
    const { data, error } = await (await this.#client).storage.getBucket(this.bucket);
    if (error || !data) throw this.#error(error, `read the bucket ${this.bucket}`);
    const limit = Number((data as { file_size_limit?: unknown }).file_size_limit);
    return { id: data.id, public: data.public, fileSizeLimit: Number.isFinite(limit) && limit > 0 ? limit : null };
  }

  /**
   * The effective per-object limit: the bucket's file_size_limit capped by the setting (the
   * project's global limit). A bucket that cannot be read (a user without a select policy on
   * storage.buckets) leaves the setting, else the free plan's 50 MB.
   */
  uploadLimit(): Promise<UploadLimit> {
    this.#limit ??= (async (): Promise<UploadLimit> => {
      const setting = this.#options.maxUploadBytes;
      let own: number | null = null;
      try {
        own = (await this.bucketInfo()).fileSizeLimit;
      } catch (error) {
        // unreadable (no select policy on storage.buckets, or missing: the upload says so itself)
        if (error instanceof OmveeError && error.code === 'network') throw error;
      }
      const limit: UploadLimit =
        own !== null && (setting === undefined || own <= setting)
          ? { bytes: own, source: 'bucket' }
          : setting !== undefined
            ? { bytes: setting, source: 'setting' }
            : { bytes: DEFAULT_MAX_UPLOAD_BYTES, source: 'default' };
      this.#knownLimit = limit.bytes;
      return limit;
    })().catch((error: unknown) => {
      this.#limit = undefined;
      throw error;
    });
    return this.#limit;
  }

  async #checkSize(key: string, size: number): Promise<void> {
    const limit = await this.uploadLimit();
    if (size > limit.bytes) {
      const source = limit.source === 'bucket' ? `the bucket ${this.bucket}'s file_size_limit` : limit.source === 'setting' ? 'OMVEE_MAX_UPLOAD_BYTES' : "the free plan's limit; set OMVEE_MAX_UPLOAD_BYTES if yours is larger";
      throw new OmveeError('invalid_input', `${key} (${mb(size)}) is larger than Supabase Storage takes: at most ${mb(limit.bytes)} per file (${source}); nothing was sent`, {
        hint: limit.source === 'setting' ? 'raise OMVEE_MAX_UPLOAD_BYTES if your plan allows more (Project Settings → Storage), or make the file smaller' : tooLarge({ what: '', bucket: this.bucket, where: '' }).hint,
        details: { size, limit: limit.bytes, source: limit.source },
      });
    }
  }

  async #resumable(key: string, source: { path: string } | { data: Buffer }, size: number, options: PutOptions, contentType: string): Promise<void> {
    try {
      await uploadResumable({
        url: this.#options.url,
        apikey: this.#options.key,
        token: () => currentToken(this.#options),
        bucket: this.bucket,
        key,
        source,
        contentType,
        upsert: options.upsert ?? true,
        onProgress: options.onProgress,
        signal: options.signal,
        stateFile: this.#options.resumeStateFile,
        ...(this.#options.resumableRetryDelays ? { retryDelays: this.#options.resumableRetryDelays } : {}),
      });
    } catch (error) {
      if (error instanceof OmveeError) throw error;
      throw this.#error(tusFailure(error), `upload ${key}`, key, size);
    }
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<BlobInfo> {
    assertSafeKey(key);
    await this.#checkSize(key, data.length);
    const contentType = options.contentType ?? contentTypeFor(key);
    const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (data.length > (this.#options.resumableAboveBytes ?? RESUMABLE_ABOVE_BYTES)) {
      await this.#resumable(key, { data: body }, data.length, options, contentType);
    } else {
      const files = await this.#files();
      const { error } = await files.upload(key, body, { contentType, upsert: options.upsert ?? true });
      if (error) throw this.#error(error, `upload ${key}`, key, data.length);
      options.onProgress?.(data.length, data.length);
    }
    return { key, size: data.length, contentType, updatedAt: new Date().toISOString() };
  }

  async putFile(key: string, localPath: string, options: PutOptions = {}): Promise<BlobInfo> {
    assertSafeKey(key);
    const info = await statFile(localPath).catch(() => null);
    if (!info || !info.isFile()) throw notFound('file', localPath, 'check the path');
    const contentType = options.contentType ?? contentTypeFor(localPath);
    if (info.size > (this.#options.resumableAboveBytes ?? RESUMABLE_ABOVE_BYTES)) {
      await this.#checkSize(key, info.size);
      await this.#resumable(key, { path: localPath }, info.size, options, contentType);
      return { key, size: info.size, contentType, updatedAt: new Date().toISOString() };
    }
    return this.put(key, await readFile(localPath), { ...options, contentType });
  }

  async get(key: string): Promise<Buffer> {
    assertSafeKey(key);
    const files = await this.#files();
    const { data, error } = await files.download(key);
    if (error || !data) throw this.#error(error, `download ${key}`, key);
    return Buffer.from(await data.arrayBuffer());
  }

  async getToFile(key: string, localPath: string): Promise<void> {
    const data = await this.get(key);
    await mkdir(path.dirname(localPath), { recursive: true });
    const tmp = `${localPath}.${process.pid}.${Date.now()}.part`;
    try {
      await writeFile(tmp, data);
      await rename(tmp, localPath);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertSafeKey(key);
    const files = await this.#files();
    const { data, error } = await files.info(key);
    if (error) {
      const mapped = this.#error(error, `stat ${key}`, key);
      if (mapped.code === 'not_found') return null;
      throw mapped;
    }
    const info = data as unknown as { size?: number; contentType?: string | null; lastModified?: string | null; updatedAt?: string | null };
    const updated = info.lastModified ?? info.updatedAt ?? null;
    return { key, size: Number(info.size ?? 0), contentType: info.contentType ?? null, updatedAt: updated ? new Date(updated).toISOString() : null };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const root = folderOf(prefix);
    if (root !== '') assertSafeKey(root);
    const files = await this.#files();
    const out: BlobInfo[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (let offset = 0; ; ) {
        const { data, error } = await files.list(folder, { limit: LIST_PAGE, offset, sortBy: { column: 'name', order: 'asc' } });
        if (error) throw this.#error(error, `list ${folder || '/'}`);
        const entries = (data ?? []) as unknown as ListEntry[];
        offset += entries.length;
        for (const entry of entries) {
          const key = folder ? `${folder}/${entry.name}` : entry.name;
          if (entry.id === null) await walk(key);
          else {
            out.push({
              key,
              size: Number(entry.metadata?.size ?? 0),
              contentType: entry.metadata?.mimetype ?? null,
              updatedAt: entry.updated_at ? new Date(entry.updated_at).toISOString() : null,
            });
          }
        }
        // a page shorter than asked is not the end (a cap may shorten pages): only an empty one is
        if (entries.length === 0) break;
      }
    };
    await walk(root);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async remove(keys: readonly string[]): Promise<void> {
    keys.forEach((key) => assertSafeKey(key));
    if (keys.length === 0) return;
    const files = await this.#files();
    for (let i = 0; i < keys.length; i += LIST_PAGE) {
      const { error } = await files.remove(keys.slice(i, i + LIST_PAGE));
      if (error) throw this.#error(error, 'remove files');
    }
  }

  async removePrefix(prefix: string): Promise<number> {
    const found = await this.list(prefix);
    await this.remove(found.map((b) => b.key));
    return found.length;
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertSafeKey(key);
    const files = await this.#files();
    const { data, error } = await files.createSignedUrl(key, Math.max(1, Math.round(expiresInSeconds)));
    if (error || !data) throw this.#error(error, `sign ${key}`, key);
    return data.signedUrl;
  }

  async createSignedUploadUrl(key: string, options: { upsert?: boolean } = {}): Promise<SignedUpload> {
    assertSafeKey(key);
    const files = await this.#files();
    const { data, error } = await files.createSignedUploadUrl(key, options.upsert ? { upsert: true } : undefined);
    if (error || !data) throw this.#error(error, `presign an upload to ${key}`, key);
    return { signedUrl: data.signedUrl, token: data.token, key };
  }

  localPath(): string | null {
    return null;
  }
}

export function openSupabaseBlobs(options: SupabaseBlobsOptions): SupabaseBlobs {
  return new SupabaseStorageBlobs(options);
}
