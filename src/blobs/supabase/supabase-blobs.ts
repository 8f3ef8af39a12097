/**
 * The Blobs port on Supabase Storage (the private bucket `project-files`), via supabase-js.
 *
 * Uploads go in one request. Supabase's standard upload takes at most 50 MB per object (the
 * free plan's global limit), so larger files fail early with a clear message instead of after
 * sending them; songs and clips are far below it. (Resumable TUS uploads would lift the limit on
 * paid plans; not implemented.)
 *
 * Storage lists one folder level at a time, so list() walks folders recursively.
 */
import { mkdir, readFile, rename, rm, stat as statFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { BlobInfo, Blobs, PutOptions } from '../port.ts';
import { BUCKET, assertSafeKey } from '../keys.ts';
import { contentTypeFor } from '../content-type.ts';
import { OmveeError, notFound } from '../../core/errors.ts';
import { createOmveeClient, displayUrl, type SupabaseConnectOptions } from '../../store/supabase/client.ts';
import { DB_PUSH_HINT, mapRemoteError } from '../../store/supabase/errors.ts';

export interface SupabaseBlobsOptions extends SupabaseConnectOptions {
  /** default `project-files` */
  bucket?: string;
  /** refuse uploads above this many bytes before sending them (default 50 MB) */
  maxUploadBytes?: number;
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
}

const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const LIST_PAGE = 1000;

interface StorageErr {
  name?: string;
  message?: string;
  status?: number;
  statusCode?: string;
  originalError?: { cause?: { code?: string; message?: string }; message?: string };
}

interface ListEntry {
  name: string;
  id: string | null;
  updated_at: string | null;
  metadata: { size?: number; mimetype?: string } | null;
}

function folderOf(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

class SupabaseStorageBlobs implements SupabaseBlobs {
  readonly kind = 'supabase' as const;
  readonly bucket: string;
  readonly location: string;
  readonly #options: SupabaseBlobsOptions;
  readonly #maxUpload: number;
  #client: Promise<SupabaseClient> | undefined;

  constructor(options: SupabaseBlobsOptions) {
    this.#options = options;
    this.bucket = options.bucket ?? BUCKET;
    this.location = `${displayUrl(options.url)}/storage/v1/object/${this.bucket}`;
    this.#maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  }

  async #files() {
    this.#client ??= createOmveeClient(this.#options);
    return (await this.#client).storage.from(this.bucket);
  }

  #error(error: unknown, what: string, key?: string): OmveeError {
    const e = (error ?? {}) as StorageErr;
    const status = typeof e.status === 'number' ? e.status : Number(e.statusCode) || 0;
    const message = e.message ?? '';
    if (/bucket not found/i.test(message)) {
      return new OmveeError('store', `the storage bucket "${this.bucket}" does not exist in the Supabase project at ${displayUrl(this.#options.url)}`, {
        hint: `${DB_PUSH_HINT} — it creates the bucket ${this.bucket}`,
      });
    }
    if (status === 404 || /object not found|not_found/i.test(message)) return notFound('file', key ?? what);
    if (status === 409 || /already exists|duplicate/i.test(message)) {
      return new OmveeError('conflict', `${key ?? what} already exists in the bucket`, { hint: 'allow overwriting (upsert) or pick another name' });
    }
    if (status === 413) return new OmveeError('invalid_input', `${key ?? what} is larger than the bucket accepts`, { hint: "raise the bucket's file size limit in the Supabase dashboard" });
    const cause = e.originalError?.cause;
    const networkText = `${message} ${cause?.code ?? ''} ${cause?.message ?? ''}`;
    return mapRemoteError(
      { status: e.name === 'StorageUnknownError' ? 0 : status, message: e.name === 'StorageUnknownError' ? networkText : message },
      what,
      displayUrl(this.#options.url),
    );
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<BlobInfo> {
    assertSafeKey(key);
    if (data.length > this.#maxUpload) {
      throw new OmveeError('invalid_input', `${key} is ${mb(data.length)}; Supabase Storage takes at most ${mb(this.#maxUpload)} in one upload`, {
        hint: 'compress or shorten the file, or raise the bucket limit on a paid plan and set a larger maxUploadBytes',
      });
    }
    const contentType = options.contentType ?? contentTypeFor(key);
    const files = await this.#files();
    const { error } = await files.upload(key, Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      contentType,
      upsert: options.upsert ?? true,
    });
    if (error) throw this.#error(error, `upload ${key}`, key);
    return { key, size: data.length, contentType, updatedAt: new Date().toISOString() };
  }

  async putFile(key: string, localPath: string, options: PutOptions = {}): Promise<BlobInfo> {
    assertSafeKey(key);
    const info = await statFile(localPath).catch(() => null);
    if (!info || !info.isFile()) throw notFound('file', localPath, 'check the path');
    if (info.size > this.#maxUpload) {
      throw new OmveeError('invalid_input', `${localPath} is ${mb(info.size)}; Supabase Storage takes at most ${mb(this.#maxUpload)} in one upload`, {
        hint: 'compress or shorten the file, or raise the bucket limit on a paid plan and set a larger maxUploadBytes',
      });
    }
    return this.put(key, await readFile(localPath), { ...options, contentType: options.contentType ?? contentTypeFor(localPath) });
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
      for (let offset = 0; ; offset += LIST_PAGE) {
        const { data, error } = await files.list(folder, { limit: LIST_PAGE, offset, sortBy: { column: 'name', order: 'asc' } });
        if (error) throw this.#error(error, `list ${folder || '/'}`);
        const entries = (data ?? []) as unknown as ListEntry[];
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
        if (entries.length < LIST_PAGE) break;
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
