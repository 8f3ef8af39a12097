/**
 * Blobs in a local folder: the object with key `k` lives at `${root}/${k}` (the caller passes
 * root = `${home}/project-files`), so other tools (ffmpeg, a file browser) can read it directly.
 *
 * - Writes are atomic: data goes to a temp file in the destination folder, then is renamed
 *   over the key (or hard-linked when `upsert: false`, which fails atomically if the key exists).
 * - A content type is inferred from the extension; one given explicitly that differs from the
 *   inferred one is kept in a sidecar under `${root}/.omvee-meta/` (never listed as an object).
 */
import { chmod, copyFile, link, mkdir, readFile, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OmveeError, notFound } from '../../core/errors.ts';
import { BUCKET, assertSafeKey } from '../keys.ts';
import type { BlobInfo, Blobs, PutOptions } from '../port.ts';
import { contentTypeFor } from '../content-type.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensurePrivateDir } from '../../store/local/private-files.ts';

const contentTypeFromKey = (key: string): string => contentTypeFor(key.slice(key.lastIndexOf('/') + 1));

export interface LocalBlobsOptions {
  root: string;
}

const META_DIR = '.omvee-meta';
const TMP_PREFIX = '.omvee-tmp-';

export function openLocalBlobs(options: LocalBlobsOptions): Blobs {
  return new LocalBlobs(options.root);
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;
const isMissing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(error) ?? '');

function storageError(action: string, key: string, error: unknown): OmveeError {
  return new OmveeError('store', `cannot ${action} ${key}: ${(error as Error)?.message ?? String(error)}`, {
    hint: 'check that the omvee home folder is writable and the disk is not full',
    cause: error,
  });
}

/** The names this adapter reserves for its own files (assertSafeKey has checked the rest). */
function checkReserved(key: string): void {
  const parts = key.split('/');
  if (parts[0] === META_DIR || parts.some((p) => p.startsWith(TMP_PREFIX))) {
    throw new OmveeError('invalid_input', `unsafe blob key: ${key}`, { hint: `names starting with ${META_DIR} or ${TMP_PREFIX} are reserved` });
  }
}

/** assertSafeKey plus the names this adapter reserves; throws invalid_input. */
function checkKey(key: string): string {
  assertSafeKey(key);
  checkReserved(key);
  return key;
}

/** A folder prefix: '' (everything) or a safe key, with or without a trailing slash. */
function checkPrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new OmveeError('invalid_input', `blob prefix must be a string`);
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed === '' ? '' : checkKey(trimmed);
}

export class LocalBlobs implements Blobs {
  readonly kind = 'local' as const;
  readonly bucket = BUCKET;
  readonly location: string;
  readonly #root: string;

  constructor(root: string) {
    if (typeof root !== 'string' || root.length === 0) {
      throw new OmveeError('invalid_input', 'local blobs need a root folder');
    }
    this.#root = root;
    this.location = root;
  }

  #rootIsPrivate: Promise<void> | null = null;

  /** project-files is 0700 (umask-proof), made so once per adapter before the first write */
  #privateRoot(): Promise<void> {
    this.#rootIsPrivate ??= ensurePrivateDir(this.#root).catch((error: unknown) => {
      this.#rootIsPrivate = null;
      throw error;
    });
    return this.#rootIsPrivate;
  }

  #path(key: string): string {
    return join(this.#root, ...key.split('/'));
  }

  #metaPath(key: string): string {
    return join(this.#root, META_DIR, ...key.split('/'));
  }

  /** Move a finished temp file onto `key`'s path, then record or clear its content type. */
  async #commit(key: string, tmp: string, options: PutOptions | undefined): Promise<BlobInfo> {
    const dest = this.#path(key);
    try {
      if (options?.upsert === false) {
        try {
          await link(tmp, dest);
        } catch (error) {
          if (errno(error) === 'EEXIST') {
            throw new OmveeError('conflict', `blob already exists: ${key}`, { hint: 'pass upsert: true to overwrite it' });
          }
          throw error;
        }
        await unlink(tmp);
      } else {
        await rename(tmp, dest);
      }
    } catch (error) {
      await rm(tmp, { force: true });
      if (error instanceof OmveeError) throw error;
      throw storageError('write', key, error);
    }
    await this.#writeContentType(key, options?.contentType);
    const info = await this.stat(key);
    if (!info) throw storageError('write', key, new Error('object vanished after write'));
    return info;
  }

  async #writeContentType(key: string, contentType: string | undefined): Promise<void> {
    const metaPath = this.#metaPath(key);
    try {
      if (contentType === undefined || contentType === contentTypeFromKey(key)) {
        await rm(metaPath, { force: true });
        return;
      }
      await this.#privateRoot();
      await mkdir(dirname(metaPath), { recursive: true, mode: PRIVATE_DIR_MODE });
      const tmp = join(dirname(metaPath), `${TMP_PREFIX}${randomUUID()}`);
      await writeFile(tmp, contentType, { mode: PRIVATE_FILE_MODE });
      await rename(tmp, metaPath);
    } catch (error) {
      throw storageError('record the content type of', key, error);
    }
  }

  async #tempBeside(key: string): Promise<string> {
    const dir = dirname(this.#path(key));
    try {
      await this.#privateRoot();
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    } catch (error) {
      throw storageError('create the folder for', key, error);
    }
    return join(dir, `${TMP_PREFIX}${randomUUID()}`);
  }

  async put(key: string, data: Uint8Array, options?: PutOptions): Promise<BlobInfo> {
    checkKey(key);
    if (!(data instanceof Uint8Array)) throw new OmveeError('invalid_input', `blob data for ${key} must be bytes`);
    const tmp = await this.#tempBeside(key);
    try {
      await writeFile(tmp, data, { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      await rm(tmp, { force: true });
      throw storageError('write', key, error);
    }
    return this.#commit(key, tmp, options);
  }

  async putFile(key: string, localPath: string, options?: PutOptions): Promise<BlobInfo> {
    checkKey(key);
    const tmp = await this.#tempBeside(key);
    try {
      await copyFile(localPath, tmp);
      // copyFile keeps the source's mode (often 0644, or 0666): ours are 0600
      await chmod(tmp, PRIVATE_FILE_MODE);
    } catch (error) {
      await rm(tmp, { force: true });
      if (isMissing(error)) throw new OmveeError('not_found', `file not found: ${localPath}`, { hint: 'check the path' });
      throw storageError('upload', key, error);
    }
    return this.#commit(key, tmp, options);
  }

  async get(key: string): Promise<Buffer> {
    checkKey(key);
    try {
      return await readFile(this.#path(key));
    } catch (error) {
      if (isMissing(error)) throw notFound('blob', key);
      throw storageError('read', key, error);
    }
  }

  async getToFile(key: string, localPath: string): Promise<void> {
    checkKey(key);
    const dir = dirname(localPath);
    const tmp = join(dir, `${TMP_PREFIX}${randomUUID()}`);
    try {
      await mkdir(dir, { recursive: true });
      await copyFile(this.#path(key), tmp);
      await rename(tmp, localPath);
    } catch (error) {
      await rm(tmp, { force: true });
      if (isMissing(error) && !(await this.exists(key))) throw notFound('blob', key);
      throw storageError('download', key, error);
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    checkKey(key);
    let info;
    try {
      info = await stat(this.#path(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw storageError('stat', key, error);
    }
    if (!info.isFile()) return null;
    let contentType = contentTypeFromKey(key);
    try {
      contentType = (await readFile(this.#metaPath(key), 'utf8')) || contentType;
    } catch {
      // no sidecar: the inferred type stands
    }
    return { key, size: info.size, contentType, updatedAt: info.mtime.toISOString() };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /**
   * Every object under a folder prefix, recursively, sorted by key. The prefix names a
   * folder: `projects/p1` and `projects/p1/` both list `projects/p1/…`, never `projects/p10/…`.
   */
  async list(prefix: string): Promise<BlobInfo[]> {
    const folder = checkPrefix(prefix);
    const keys: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(relative === '' ? this.#root : this.#path(relative), { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw storageError('list', relative || '(root)', error);
      }
      for (const entry of entries) {
        if (entry.name.startsWith(TMP_PREFIX) || (relative === '' && entry.name === META_DIR)) continue;
        const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) await walk(key);
        else if (entry.isFile()) keys.push(key);
      }
    };
    await walk(folder);
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const infos: BlobInfo[] = [];
    for (const key of keys) {
      const info = await this.stat(key);
      if (info) infos.push(info);
    }
    return infos;
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) checkKey(key);
    for (const key of keys) {
      try {
        await rm(this.#path(key), { force: true });
        await rm(this.#metaPath(key), { force: true });
      } catch (error) {
        throw storageError('remove', key, error);
      }
      await this.#pruneEmptyFolders(key);
    }
  }

  async removePrefix(prefix: string): Promise<number> {
    const folder = checkPrefix(prefix);
    if (folder === '') {
      throw new OmveeError('invalid_input', 'refusing to remove every blob (empty prefix)', { hint: 'pass a folder such as projects/<id>/' });
    }
    const objects = await this.list(folder);
    try {
      await rm(this.#path(folder), { recursive: true, force: true });
      await rm(this.#metaPath(folder), { recursive: true, force: true });
    } catch (error) {
      throw storageError('remove', `${folder}/`, error);
    }
    await this.#pruneEmptyFolders(folder);
    return objects.length;
  }

  /** Remove folders left empty above `key` (best effort; a concurrent writer may refill them). */
  async #pruneEmptyFolders(key: string): Promise<void> {
    const parts = key.split('/');
    for (let depth = parts.length - 1; depth > 0; depth--) {
      try {
        await rmdir(this.#path(parts.slice(0, depth).join('/')));
      } catch {
        return;
      }
    }
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<string> {
    checkKey(key);
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new OmveeError('invalid_input', `expiresInSeconds must be positive, got ${String(expiresInSeconds)}`);
    }
    if (!(await this.exists(key))) throw notFound('blob', key);
    return pathToFileURL(this.#path(key)).href;
  }

  localPath(key: string): string | null {
    checkKey(key);
    return this.#path(key);
  }
}
