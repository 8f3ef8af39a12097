/**
 * A project-scoped view of the Blob port, for work done on behalf of one project.
 *
 * Why: a worker holding the Supabase service key can read every object in the bucket, but the
 * keys it is asked to read come from rows and job payloads that users write (projects.audio_path,
 * generated_images.image_path, video_clips.clip_path, artists.reference_images,
 * payload.source_key). Without a check, user B could name user A's files in B's own rows and
 * have the worker copy them into B's project (a confused deputy). The view refuses every key
 * outside the job's project (`projects/{project_id}/…`) and the artists its scenes feature
 * (`artists/{artist_id}/…`), for reads, writes, listings and deletes alike.
 */
import { OmveeError } from '../core/errors.ts';
import { artistKey, assertSafeKey, projectPrefix } from './keys.ts';
import type { Blobs } from './port.ts';

export interface KeyScope {
  readonly projectId: string;
  /** artists whose files this project may use (featured by its scenes, same owner) */
  readonly artistIds: ReadonlySet<string>;
}

const SCOPE_HINT =
  'a worker only uses files of the job\'s own project (projects/<project id>/…) and of the artists its scenes feature (artists/<artist id>/…); ' +
  'fix the row (or upload the file again with omvee) and rerun';

/** true when `key` is a safe key inside the scope */
export function keyInScope(scope: KeyScope, key: unknown): key is string {
  try {
    assertSafeKey(key);
  } catch {
    return false;
  }
  if (key.startsWith(projectPrefix(scope.projectId))) return key.length > projectPrefix(scope.projectId).length;
  const m = /^artists\/([^/]+)\/./.exec(key);
  return m !== null && scope.artistIds.has(m[1]!);
}

/** Refuse a key read from a row or payload (`field`, e.g. "generated_images.image_path") outside the scope. */
export function assertKeyInScope(scope: KeyScope, key: unknown, field: string): asserts key is string {
  if (keyInScope(scope, key)) return;
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key) : String(key);
  throw new OmveeError('invalid_input', `refusing the storage key in ${field} (${shown}): it is outside project ${scope.projectId}`, {
    hint: SCOPE_HINT,
    details: { field, projectId: scope.projectId },
  });
}

/** A key inside `artists/{artistId}/` (an artist's reference images live there and nowhere else). */
export function assertArtistKey(artistId: string, key: unknown, field: string): asserts key is string {
  let ok = false;
  try {
    assertSafeKey(key);
    ok = key.startsWith(artistKey(artistId, '')) && key.length > artistKey(artistId, '').length;
  } catch {
    ok = false;
  }
  if (ok) return;
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key) : String(key);
  throw new OmveeError('invalid_input', `refusing the storage key in ${field} (${shown}): it is outside artist ${artistId}`, {
    hint: `an artist's reference images are stored under artists/${artistId}/; add the artist again with omvee artists add`,
    details: { field, artistId },
  });
}

const SCOPED = Symbol('omvee.scopedBlobs');
const SCOPED_INNER = Symbol('omvee.scopedBlobs.inner');
/** The scope a view was made with, or null for an unscoped adapter. */
export function scopeOf(blobs: Blobs): KeyScope | null {
  return (blobs as { [SCOPED]?: KeyScope })[SCOPED] ?? null;
}

/**
 * `blobs` restricted to `scope`: every method refuses a key (or prefix) outside it with an
 * invalid_input error before the adapter is called. Scoping a scoped view re-scopes the
 * underlying adapter (a view never widens).
 */
export function scopeBlobs(blobs: Blobs, scope: KeyScope): Blobs {
  const inner = (blobs as { [SCOPED_INNER]?: Blobs })[SCOPED_INNER] ?? blobs;
  const check = (key: string, what: string): void => assertKeyInScope(scope, key, what);
  const checkPrefix = (prefix: string, what: string): void => {
    // a prefix must itself lie inside the scope: projects/{id}/… or artists/{id}/…
    const probe = prefix.endsWith('/') ? `${prefix}x` : prefix;
    assertKeyInScope(scope, probe, what);
  };
  const view: Blobs & { [SCOPED]: KeyScope; [SCOPED_INNER]: Blobs } = {
    kind: inner.kind,
    bucket: inner.bucket,
    location: inner.location,
    [SCOPED]: scope,
    [SCOPED_INNER]: inner,
    // async, so a refusal is a rejected promise like any storage error (callers use .catch)
    put: async (key, data, options) => (check(key, 'a write'), inner.put(key, data, options)),
    putFile: async (key, localPath, options) => (check(key, 'a write'), inner.putFile(key, localPath, options)),
    get: async (key) => (check(key, 'a read'), inner.get(key)),
    getToFile: async (key, localPath) => (check(key, 'a read'), inner.getToFile(key, localPath)),
    stat: async (key) => (check(key, 'a read'), inner.stat(key)),
    exists: async (key) => (check(key, 'a read'), inner.exists(key)),
    list: async (prefix) => (checkPrefix(prefix, 'a listing'), inner.list(prefix)),
    remove: async (keys) => {
      for (const key of keys) check(key, 'a delete');
      return inner.remove(keys);
    },
    removePrefix: async (prefix) => (checkPrefix(prefix, 'a delete'), inner.removePrefix(prefix)),
    signedUrl: async (key, seconds) => (check(key, 'a signed URL'), inner.signedUrl(key, seconds)),
    localPath: (key) => (check(key, 'a read'), inner.localPath(key)),
    // not about any key: what the storage takes per object
    ...(inner.uploadLimit ? { uploadLimit: () => inner.uploadLimit!() } : {}),
  };
  return view;
}

