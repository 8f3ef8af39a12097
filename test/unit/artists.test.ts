/**
 * src/core/artists.ts against the real local store, a real blob folder and real ffprobe:
 * name rules, image checks, nothing half-written on failure, lookup, featuring and removal.
 */
import { after, before, beforeEach, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { resolveBinaries } from '../../src/media/binaries.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import type { MediaTools } from '../../src/media/port.ts';
import type { Store } from '../../src/store/port.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import { OmveeError } from '../../src/core/errors.ts';
import {
  artistPrefix,
  checkReferenceImages,
  createArtist,
  featureArtist,
  parseArtistRole,
  removeArtist,
  resolveArtist,
  sniffImageFormat,
  updateArtist,
  validateArtistDescription,
  validateArtistName,
} from '../../src/core/artists.ts';

const run = promisify(execFile);

/** The adapter with some members replaced (a Proxy, since adapters keep private fields). */
function override<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return (overrides as Record<PropertyKey, unknown>)[prop];
      const value = Reflect.get(t, prop, t) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

function rejectsWith(code: string, pattern?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof OmveeError, `expected an OmveeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

let dir: string;
let media: MediaTools;
const img: Record<string, string> = {};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omvee-artists-unit-'));
  media = createFfmpegMedia(await resolveBinaries(process.env));
  const make = async (name: string, color: string, size = '64x64'): Promise<void> => {
    img[name] = join(dir, name);
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=${color}:s=${size}`, '-frames:v', '1', img[name]]);
  };
  await Promise.all([make('a.png', 'red'), make('b.png', 'green'), make('c.png', 'blue'), make('d.jpg', 'yellow'), make('e.webp', 'white'), make('f.png', 'gray'), make('tiny.png', 'red', '16x16')]);
  img['text.png'] = join(dir, 'text.png');
  await writeFile(img['text.png'], 'hello, I am not a picture\n');
  img['truncated.png'] = join(dir, 'truncated.png');
  await writeFile(img['truncated.png'], (await readFile(img['a.png']!)).subarray(0, 40));
  img['empty.png'] = join(dir, 'empty.png');
  await writeFile(img['empty.png'], '');
  img['folder'] = join(dir, 'folder');
  await mkdir(img['folder']);
  // a PNG under a JPEG name: the stored extension follows the content
  img['png-named.jpg'] = join(dir, 'png-named.jpg');
  await writeFile(img['png-named.jpg'], await readFile(img['b.png']!));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('artist names, descriptions, roles', () => {
  it('trims names and refuses empty, overlong and control-character names', () => {
    assert.equal(validateArtistName('  Mara Vey  '), 'Mara Vey');
    assert.throws(() => validateArtistName('   '), rejectsWith('invalid_input', /empty/));
    assert.throws(() => validateArtistName('x'.repeat(256)), rejectsWith('invalid_input', /too long/));
    assert.equal(validateArtistName('é'.repeat(255)).length, 255);
    assert.throws(() => validateArtistName('a\nb'), rejectsWith('invalid_input', /control/));
  });

  it('descriptions: undefined keeps, empty clears, control characters refused', () => {
    assert.equal(validateArtistDescription(undefined), undefined);
    assert.equal(validateArtistDescription('  '), null);
    assert.equal(validateArtistDescription(' red hair '), 'red hair');
    assert.throws(() => validateArtistDescription('a\u0007'), rejectsWith('invalid_input'));
    assert.throws(() => validateArtistDescription('x'.repeat(2001)), rejectsWith('invalid_input', /too long/));
  });

  it('roles', () => {
    assert.equal(parseArtistRole(undefined), 'primary');
    assert.equal(parseArtistRole('Background'), 'background');
    assert.equal(parseArtistRole('none'), 'none');
    assert.throws(() => parseArtistRole('lead'), rejectsWith('usage', /lead/));
  });

  it('sniffs PNG, JPEG and WebP signatures only', () => {
    assert.equal(sniffImageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'png');
    assert.equal(sniffImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffImageFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffImageFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt ')), null);
    assert.equal(sniffImageFormat(Buffer.from('GIF89a')), null);
    assert.equal(sniffImageFormat(Buffer.alloc(0)), null);
  });
});

describe('reference image checks', () => {
  it('needs 3 to 5 images', async () => {
    await assert.rejects(checkReferenceImages(media, [img['a.png']!, img['b.png']!]), rejectsWith('usage', /3 to 5 .*got 2/));
    const six = ['a.png', 'b.png', 'c.png', 'd.jpg', 'e.webp', 'f.png'].map((n) => img[n]!);
    await assert.rejects(checkReferenceImages(media, six), rejectsWith('usage', /got 6/));
    await assert.rejects(checkReferenceImages(media, []), rejectsWith('usage', /got 0/));
  });

  it('accepts PNG, JPEG and WebP with their real format and size', async () => {
    const checked = await checkReferenceImages(media, [img['a.png']!, img['d.jpg']!, img['e.webp']!, img['png-named.jpg']!]);
    assert.deepEqual(checked.map((c) => [c.format, c.ext, c.contentType, c.width, c.height]), [
      ['png', 'png', 'image/png', 64, 64],
      ['jpeg', 'jpg', 'image/jpeg', 64, 64],
      ['webp', 'webp', 'image/webp', 64, 64],
      ['png', 'png', 'image/png', 64, 64],
    ]);
  });

  for (const [name, code, pattern] of [
    ['text.png', 'invalid_input', /not a PNG, JPEG or WebP/],
    ['truncated.png', 'invalid_input', /cannot be decoded|not a still/],
    ['empty.png', 'invalid_input', /empty/],
    ['folder', 'invalid_input', /directory/],
    ['tiny.png', 'invalid_input', /16×16/],
  ] as const) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(checkReferenceImages(media, [img['a.png']!, img['b.png']!, img[name]!]), rejectsWith(code, pattern));
    });
  }

  it('refuses a missing file and the same file twice', async () => {
    await assert.rejects(checkReferenceImages(media, [img['a.png']!, img['b.png']!, join(dir, 'nope.png')]), rejectsWith('invalid_input', /not found/));
    await assert.rejects(checkReferenceImages(media, [img['a.png']!, img['b.png']!, img['a.png']!]), rejectsWith('usage', /twice/));
  });
});

describe('artists in a store', () => {
  let home: string;
  let store: Store;
  let blobs: Blobs;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'omvee-artists-store-'));
    store = await openLocalStore({ home });
    blobs = openLocalBlobs({ root: join(home, 'project-files') });
  });
  afterEach(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });

  const three = (): string[] => [img['a.png']!, img['png-named.jpg']!, img['d.jpg']!];

  async function projectWithScenes(n: number): Promise<{ projectId: string; sceneIds: string[] }> {
    const project = await store.insert('projects', { name: 'Song' });
    const scenes = await store.insertMany('selected_scenes', Array.from({ length: n }, (_, i) => ({ project_id: project.id, order_idx: i, start_time_s: i * 5, end_time_s: (i + 1) * 5 })));
    return { projectId: project.id, sceneIds: scenes.map((s) => s.id) };
  }

  it('creates an artist: files copied to artists/{id}/ref-N.ext, then the row', async () => {
    const artist = await createArtist({ store, blobs, media }, { name: ' Mara Vey ', description: 'red hair', images: three() });
    assert.equal(artist.name, 'Mara Vey');
    assert.equal(artist.description, 'red hair');
    assert.equal(artist.user_id, null);
    assert.deepEqual(artist.reference_images, [`artists/${artist.id}/ref-1.png`, `artists/${artist.id}/ref-2.png`, `artists/${artist.id}/ref-3.jpg`]);
    for (const [i, key] of artist.reference_images.entries()) {
      assert.deepEqual(await blobs.get(key), await readFile(three()[i]!));
    }
    assert.equal((await blobs.stat(artist.reference_images[2]!))?.size, (await readFile(img['d.jpg']!)).length);
    assert.deepEqual(await store.get('artists', artist.id), artist);
  });

  it('writes nothing when an image is bad or the name is taken', async () => {
    await assert.rejects(createArtist({ store, blobs, media }, { name: 'X', images: [img['a.png']!, img['b.png']!, img['text.png']!] }), rejectsWith('invalid_input'));
    assert.equal(await store.count('artists'), 0);
    assert.deepEqual(await blobs.list('artists/'), []);
    await createArtist({ store, blobs, media }, { name: 'X', images: three() });
    await assert.rejects(createArtist({ store, blobs, media }, { name: 'X', images: three() }), rejectsWith('conflict', /already exists/));
    assert.equal(await store.count('artists'), 1);
    assert.equal((await blobs.list('artists/')).length, 3);
  });

  it('removes copied files when storing the third image fails (local order: files, then row)', async () => {
    let puts = 0;
    const failing: Blobs = override(blobs, {
      putFile: async (key: string, path: string, options?: Parameters<Blobs['putFile']>[2]) => {
        puts += 1;
        if (puts === 3) throw new OmveeError('store', 'disk full');
        return blobs.putFile(key, path, options);
      },
    });
    await assert.rejects(createArtist({ store, blobs: failing, media }, { name: 'X', images: three() }), rejectsWith('store', /disk full/));
    assert.equal(puts, 3);
    assert.equal(await store.count('artists'), 0);
    assert.deepEqual(await blobs.list('artists/'), []);
  });

  it('removes copied files when the row cannot be inserted', async () => {
    const failing: Store = override(store, {
      insert: async () => {
        throw new OmveeError('store', 'database is locked');
      },
    });
    await assert.rejects(createArtist({ store: failing, blobs, media }, { name: 'X', images: three() }), rejectsWith('store', /locked/));
    assert.deepEqual(await blobs.list('artists/'), []);
  });

  it('supabase order (row, files, keys) also leaves nothing behind on failure', async () => {
    const remote: Store = override(store, { kind: 'supabase' });
    let rowDuringUpload = false;
    const failing: Blobs = override(blobs, {
      putFile: async (key: string) => {
        rowDuringUpload = (await store.count('artists')) === 1;
        throw new OmveeError('store', `upload refused: ${key}`);
      },
    });
    await assert.rejects(createArtist({ store: remote, blobs: failing, media }, { name: 'X', images: three() }), rejectsWith('store', /refused/));
    assert.equal(rowDuringUpload, true, 'the row exists while files upload (storage policies need it)');
    assert.equal(await store.count('artists'), 0);
    const ok = await createArtist({ store: remote, blobs, media }, { name: 'X', images: three() });
    assert.equal((await store.get('artists', ok.id))?.reference_images.length, 3);
  });

  it('finds artists by id, name and id prefix; reports unknown and ambiguous references', async () => {
    const a = await store.insert('artists', { id: 'abcd1111-0000-4000-8000-000000000001', name: 'Ann', reference_images: [] });
    const b = await store.insert('artists', { id: 'abcd2222-0000-4000-8000-000000000002', name: 'Bob', reference_images: [] });
    assert.equal((await resolveArtist(store, a.id.toUpperCase())).id, a.id);
    assert.equal((await resolveArtist(store, ' Bob ')).id, b.id);
    assert.equal((await resolveArtist(store, 'abcd2')).id, b.id);
    await assert.rejects(resolveArtist(store, 'abcd'), rejectsWith('ambiguous', /Ann.*Bob|Bob.*Ann/));
    await assert.rejects(resolveArtist(store, 'Carl'), rejectsWith('not_found', /Carl/));
    await assert.rejects(resolveArtist(store, 'abcd3333-0000-4000-8000-000000000003'), rejectsWith('not_found'));
    await assert.rejects(resolveArtist(store, ''), rejectsWith('usage'));
  });

  it('renames (refusing a taken name) and clears descriptions', async () => {
    const a = await createArtist({ store, blobs, media }, { name: 'Ann', description: 'tall', images: three() });
    await store.insert('artists', { name: 'Bob', reference_images: [] });
    await assert.rejects(updateArtist(store, a, { name: 'Bob' }), rejectsWith('conflict'));
    const renamed = await updateArtist(store, a, { name: 'Anna', description: '' });
    assert.equal(renamed.name, 'Anna');
    assert.equal(renamed.description, null);
    assert.deepEqual(renamed.reference_images, a.reference_images);
  });

  it('features an artist in scenes, clears it, and refuses an artist without 3 images', async () => {
    const { sceneIds } = await projectWithScenes(3);
    const artist = await createArtist({ store, blobs, media }, { name: 'Ann', images: three() });
    const scenes = (await store.list('selected_scenes', { order: { column: 'order_idx' } }));
    const featured = await featureArtist(store, [scenes[0]!, scenes[2]!], artist, 'background');
    assert.deepEqual(featured.map((s) => [s.id, s.artist_id, s.artist_role]), [[sceneIds[0], artist.id, 'background'], [sceneIds[2], artist.id, 'background']]);
    assert.equal((await store.get('selected_scenes', sceneIds[1]!))?.artist_id, null);

    const cleared = await featureArtist(store, [featured[0]!], artist, 'none');
    assert.deepEqual([cleared[0]!.artist_id, cleared[0]!.artist_role], [null, 'none']);

    const thin = await store.insert('artists', { name: 'Thin', reference_images: ['artists/x/ref-1.png'] });
    await assert.rejects(featureArtist(store, [scenes[1]!], thin, 'primary'), rejectsWith('invalid_input', /1 reference images/));
    assert.equal((await store.get('selected_scenes', sceneIds[1]!))?.artist_id, null);
  });

  it('removing an artist clears its scenes, deletes its files and its row only', async () => {
    const { sceneIds } = await projectWithScenes(2);
    const artist = await createArtist({ store, blobs, media }, { name: 'Ann', images: three() });
    const other = await createArtist({ store, blobs, media }, { name: 'Bob', images: three() });
    const scenes = await store.list('selected_scenes', { order: { column: 'order_idx' } });
    await featureArtist(store, [scenes[0]!], artist, 'primary');
    await featureArtist(store, [scenes[1]!], other, 'primary');

    const removed = await removeArtist({ store, blobs }, artist);
    assert.deepEqual(removed, { scenesCleared: 1, filesRemoved: 3, fileError: null });
    assert.equal(await store.get('artists', artist.id), null);
    assert.deepEqual(await blobs.list(artistPrefix(artist.id)), []);
    const [s0, s1] = await Promise.all(sceneIds.map((id) => store.get('selected_scenes', id)));
    assert.deepEqual([s0?.artist_id, s0?.artist_role], [null, 'none']);
    assert.deepEqual([s1?.artist_id, s1?.artist_role], [other.id, 'primary']);
    assert.equal((await blobs.list(artistPrefix(other.id))).length, 3);
    await assert.rejects(removeArtist({ store, blobs }, artist), rejectsWith('not_found'));
  });
});
