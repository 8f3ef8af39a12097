/**
 * Artists: a performer with 3 to 5 reference images that scenes can feature (as the primary
 * subject or in the background). The image step hands the references to the image generator.
 *
 * The database only caps reference_images at 5; the minimum of 3, the image checks and the
 * "nothing half-written" rule live here.
 */
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Blobs } from '../blobs/port.ts';
import { artistKey } from '../blobs/keys.ts';
import { notFound, OmveeError } from './errors.ts';
import type { MediaTools } from '../media/port.ts';
import type { Store } from '../store/port.ts';
import { checkInputFile } from './files.ts';
import { sniffImageFormat, type ImageFormat } from './media-sniff.ts';
import { ARTIST_ROLES, type Artist, type Scene } from './model.ts';
import { resolveRef, validateName, validateText } from './refs.ts';

export const ARTIST_IMAGES_MIN = 3;
export const ARTIST_IMAGES_MAX = 5;
export const ARTIST_NAME_MAX = 255;
export const ARTIST_DESCRIPTION_MAX = 2000;
/** A reference image larger than this is almost certainly not a photo meant for a prompt. */
export const ARTIST_IMAGE_MAX_BYTES = 20 * 1024 * 1024;
/** Smallest and largest accepted side in pixels (providers reject thumbnails and huge scans). */
export const ARTIST_IMAGE_MIN_SIDE = 32;
export const ARTIST_IMAGE_MAX_SIDE = 8192;

export type ArtistRole = (typeof ARTIST_ROLES)[number];
export type { ImageFormat } from './media-sniff.ts';
export { sniffImageFormat } from './media-sniff.ts';

/** Trimmed, non-empty, at most 255 characters, no control characters. */
export function validateArtistName(raw: string): string {
  return validateName(raw, 'artist', ARTIST_NAME_MAX, 'Mara Vey');
}

/** undefined → leave as is (undefined); "" → null (clears); otherwise trimmed text. */
export function validateArtistDescription(raw: string | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  return validateText(raw, 'description', ARTIST_DESCRIPTION_MAX) || null;
}

export function parseArtistRole(raw: string | undefined, fallback: ArtistRole = 'primary'): ArtistRole {
  if (raw === undefined) return fallback;
  const role = raw.trim().toLowerCase();
  if ((ARTIST_ROLES as readonly string[]).includes(role)) return role as ArtistRole;
  throw new OmveeError('usage', `invalid artist role "${raw}"`, { hint: `use one of: ${ARTIST_ROLES.join(', ')}` });
}

// ---- reference images -----------------------------------------------------------------------

export interface ReferenceImage {
  path: string;
  format: ImageFormat;
  /** file extension used in the blob store, from the content (not the file name) */
  ext: 'png' | 'jpg' | 'webp';
  contentType: string;
  width: number;
  height: number;
  sizeBytes: number;
}

const FORMATS: Record<ImageFormat, { ext: ReferenceImage['ext']; contentType: string; codecs: readonly string[] }> = {
  png: { ext: 'png', contentType: 'image/png', codecs: ['png'] },
  jpeg: { ext: 'jpg', contentType: 'image/jpeg', codecs: ['mjpeg', 'jpeg', 'jpegls'] },
  webp: { ext: 'webp', contentType: 'image/webp', codecs: ['webp'] },
};

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * One reference image: exists, is a non-empty regular file, starts like a PNG, JPEG or WebP,
 * and ffprobe decodes it as a single still of a sane size.
 */
export async function checkReferenceImage(media: Pick<MediaTools, 'probeVideo'>, path: string): Promise<ReferenceImage> {
  const file = await checkInputFile(path, 'reference image');
  const name = basename(path);
  const hint = 'pass a PNG, JPEG or WebP photo of the artist';
  if (file.size > ARTIST_IMAGE_MAX_BYTES) {
    throw new OmveeError('invalid_input', `reference image ${name} is too large (${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${ARTIST_IMAGE_MAX_BYTES / 1024 / 1024} MB)`, {
      hint: 'downscale it, e.g. `ffmpeg -i in.png -vf scale=1024:-1 out.png`',
    });
  }
  const format = sniffImageFormat(await readHead(path, 16));
  if (!format) throw new OmveeError('invalid_input', `reference image ${name} is not a PNG, JPEG or WebP image`, { hint });
  let probe;
  try {
    probe = await media.probeVideo(path);
  } catch (error) {
    if (error instanceof OmveeError && (error.code === 'invalid_input' || error.code === 'media')) {
      throw new OmveeError('invalid_input', `reference image ${name} looks like a ${format.toUpperCase()} but cannot be decoded (corrupt or truncated)`, { hint, cause: error });
    }
    throw error;
  }
  const video = probe.video;
  if (!video || !FORMATS[format].codecs.includes(video.codec)) {
    throw new OmveeError('invalid_input', `reference image ${name} is not a still ${format.toUpperCase()} image${video ? ` (decoded as ${video.codec})` : ''}`, { hint });
  }
  if (video.frameCount > 1) throw new OmveeError('invalid_input', `reference image ${name} is animated (${video.frameCount} frames)`, { hint: 'pass a still image' });
  const { width, height } = video;
  if (width === 0 || height === 0) {
    throw new OmveeError('invalid_input', `reference image ${name} looks like a ${format.toUpperCase()} but cannot be decoded (no picture size: corrupt or truncated)`, { hint });
  }
  if (width < ARTIST_IMAGE_MIN_SIDE || height < ARTIST_IMAGE_MIN_SIDE || width > ARTIST_IMAGE_MAX_SIDE || height > ARTIST_IMAGE_MAX_SIDE) {
    throw new OmveeError('invalid_input', `reference image ${name} is ${width}×${height} pixels; each side must be between ${ARTIST_IMAGE_MIN_SIDE} and ${ARTIST_IMAGE_MAX_SIDE}`, { hint });
  }
  const { ext, contentType } = FORMATS[format];
  return { path, format, ext, contentType, width, height, sizeBytes: file.size };
}

/** 3 to 5 distinct images, each checked; the first problem found is reported. */
export async function checkReferenceImages(media: Pick<MediaTools, 'probeVideo'>, paths: readonly string[]): Promise<ReferenceImage[]> {
  if (paths.length < ARTIST_IMAGES_MIN || paths.length > ARTIST_IMAGES_MAX) {
    throw new OmveeError('usage', `an artist needs ${ARTIST_IMAGES_MIN} to ${ARTIST_IMAGES_MAX} reference images (got ${paths.length})`, {
      hint: `pass --image FILE ${ARTIST_IMAGES_MIN} to ${ARTIST_IMAGES_MAX} times, e.g. --image front.png --image side.png --image stage.jpg`,
    });
  }
  const seen = new Map<string, string>();
  for (const p of paths) {
    const real = resolve(p);
    if (seen.has(real)) throw new OmveeError('usage', `the same reference image is given twice: ${p}`, { hint: 'pass different photos of the artist' });
    seen.set(real, p);
  }
  const checked: ReferenceImage[] = [];
  for (const p of paths) checked.push(await checkReferenceImage(media, p));
  return checked;
}

// ---- finding artists --------------------------------------------------------------------------

export async function listArtists(store: Store): Promise<Artist[]> {
  return store.list('artists', { order: [{ column: 'name' }, { column: 'created_at' }, { column: 'id' }] });
}

/** Find an artist by full id, unique exact name, or unique id prefix (4+ hex characters). */
const ARTIST_HINT = 'list artists with `omvee artists list`, add one with `omvee artists add`';

export function resolveArtist(store: Store, ref: string): Promise<Artist> {
  return resolveRef(store, 'artists', ref, { noun: 'artist', hint: ARTIST_HINT });
}

async function assertNameFree(store: Store, name: string, exceptId?: string): Promise<void> {
  const same = (await store.list('artists', { where: { name }, limit: 2 })).filter((a) => a.id !== exceptId);
  if (same.length) {
    throw new OmveeError('conflict', `an artist named "${name}" already exists (${same[0]!.id})`, {
      hint: 'names identify artists in commands: pick another name, or remove the existing artist first',
    });
  }
}

/** An artist can be featured only with 3 to 5 reference images (rows made elsewhere may not). */
export function assertUsableArtist(artist: Artist): void {
  const n = artist.reference_images.length;
  if (n < ARTIST_IMAGES_MIN || n > ARTIST_IMAGES_MAX) {
    throw new OmveeError('invalid_input', `artist ${artist.name} has ${n} reference images; ${ARTIST_IMAGES_MIN} to ${ARTIST_IMAGES_MAX} are needed to feature it`, {
      hint: `remove it (omvee artists remove ${artist.id}) and add it again with ${ARTIST_IMAGES_MIN}–${ARTIST_IMAGES_MAX} --image files`,
    });
  }
}

// ---- changing artists -------------------------------------------------------------------------

export interface ArtistDeps {
  store: Store;
  blobs: Blobs;
  media: Pick<MediaTools, 'probeVideo'>;
}

export interface NewArtist {
  name: string;
  description?: string | undefined;
  images: readonly string[];
}

export function artistPrefix(artistId: string): string {
  return `artists/${artistId}/`;
}

/**
 * Add an artist: every input is checked before anything is written; the images are copied
 * to `artists/{id}/ref-N.ext`; on any failure what was written is removed again.
 *
 * Order of writes: on the local store the files go first and the row last, so a row always
 * has its files. Supabase's storage policies only let a signed-in user write under an artist
 * they own, so there the row comes first (with no images), then the files, then the keys;
 * a row whose files did not all arrive is deleted. An artist with fewer than 3 images can
 * never be featured (assertUsableArtist), so a process killed mid-way leaves nothing usable
 * half-made, and `omvee artists remove` clears it.
 */
export async function createArtist(deps: ArtistDeps, input: NewArtist): Promise<Artist> {
  const name = validateArtistName(input.name);
  const description = validateArtistDescription(input.description) ?? null;
  const images = await checkReferenceImages(deps.media, input.images);
  await assertNameFree(deps.store, name);

  const id = randomUUID();
  const rowFirst = deps.store.kind === 'supabase';
  let inserted: Artist | null = null;
  const written: string[] = [];
  try {
    if (rowFirst) inserted = await deps.store.insert('artists', { id, name, description, reference_images: [] });
    for (const [i, image] of images.entries()) {
      const key = artistKey(id, `ref-${i + 1}.${image.ext}`);
      await deps.blobs.putFile(key, image.path, { contentType: image.contentType, upsert: false });
      written.push(key);
    }
    if (rowFirst) return await deps.store.update('artists', id, { reference_images: written });
    return await deps.store.insert('artists', { id, name, description, reference_images: written });
  } catch (error) {
    if (written.length) await deps.blobs.remove(written).catch(() => undefined);
    if (inserted || !rowFirst) await deps.store.delete('artists', id).catch(() => false);
    throw error;
  }
}

export interface ArtistPatch {
  name?: string | undefined;
  description?: string | undefined;
}

export async function updateArtist(store: Store, artist: Artist, patch: ArtistPatch): Promise<Artist> {
  const changes: { name?: string; description?: string | null } = {};
  if (patch.name !== undefined) {
    const name = validateArtistName(patch.name);
    if (name !== artist.name) {
      await assertNameFree(store, name, artist.id);
      changes.name = name;
    }
  }
  const description = validateArtistDescription(patch.description);
  if (description !== undefined) changes.description = description;
  if (Object.keys(changes).length === 0) return artist;
  return store.update('artists', artist.id, changes);
}

/** The scenes (of any project) that feature an artist. */
export async function scenesFeaturing(store: Store, artistId: string): Promise<Scene[]> {
  return store.list('selected_scenes', { where: { artist_id: artistId }, order: [{ column: 'project_id' }, { column: 'order_idx' }] });
}

export interface RemovedArtist {
  scenesCleared: number;
  filesRemoved: number;
  /** set when the row is gone but some files could not be removed */
  fileError: string | null;
}

/**
 * Remove an artist: scenes featuring it go back to no artist (role none), then the row, then
 * its files. Leftover files after the row is gone are reported, not an error.
 */
export async function removeArtist(deps: Pick<ArtistDeps, 'store' | 'blobs'>, artist: Artist): Promise<RemovedArtist> {
  const featuring = await scenesFeaturing(deps.store, artist.id);
  for (const scene of featuring) await deps.store.update('selected_scenes', scene.id, { artist_id: null, artist_role: 'none' });
  const deleted = await deps.store.delete('artists', artist.id);
  if (!deleted) throw notFound('artist', artist.id, ARTIST_HINT);
  try {
    const filesRemoved = await deps.blobs.removePrefix(artistPrefix(artist.id));
    return { scenesCleared: featuring.length, filesRemoved, fileError: null };
  } catch (error) {
    return { scenesCleared: featuring.length, filesRemoved: 0, fileError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Feature an artist in scenes with a role, or clear it (artist null or role 'none' → no
 * artist). Returns the updated scenes in the order given.
 */
export async function featureArtist(store: Store, scenes: readonly Scene[], artist: Artist | null, role: ArtistRole): Promise<Scene[]> {
  const clear = artist === null || role === 'none';
  if (!clear) assertUsableArtist(artist);
  const patch = clear ? { artist_id: null, artist_role: 'none' as const } : { artist_id: artist.id, artist_role: role };
  const updated: Scene[] = [];
  for (const scene of scenes) updated.push(await store.update('selected_scenes', scene.id, patch));
  return updated;
}
