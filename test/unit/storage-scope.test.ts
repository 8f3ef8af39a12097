// The project-scoped Blobs view (src/blobs/scoped.ts) and the places that delete a key read from
// a row: a key outside the project is refused before the adapter is called.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { assertArtistKey, keyInScope, scopeBlobs } from '../../src/blobs/scoped.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import { attachAudio } from '../../src/core/audio.ts';
import { OmveeError } from '../../src/core/errors.ts';
import type { AudioProbe, MediaTools } from '../../src/media/port.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let blobs: Blobs;
let store: Store;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-scope-'));
  blobs = openLocalBlobs({ root: join(home, 'project-files') });
  store = await openLocalStore({ home });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

const P = randomUUID();
const ART = randomUUID();
const scope = { projectId: P, artistIds: new Set([ART]) };

test('keys inside the project or a featured artist pass; everything else is refused', () => {
  assert.ok(keyInScope(scope, `projects/${P}/audio/song.wav`));
  assert.ok(keyInScope(scope, `artists/${ART}/ref-1.png`));
  for (const key of [
    `projects/${randomUUID()}/audio/song.wav`,
    `projects/${P}-evil/audio/song.wav`,
    `projects/${P}/../${randomUUID()}/audio/song.wav`,
    `projects/${P}`,
    `projects/${P}/`,
    `artists/${randomUUID()}/ref-1.png`,
    `/projects/${P}/a`,
    `projects/${P}//a`,
    `other/${P}/a`,
    '',
    42,
    null,
  ]) {
    assert.equal(keyInScope(scope, key), false, `${String(key)} must be outside`);
  }
  assert.throws(() => assertArtistKey(ART, `artists/${randomUUID()}/ref.png`, 'artists.reference_images'), /outside artist/);
  assert.throws(() => assertArtistKey(ART, `projects/${P}/images/x.png`, 'artists.reference_images'), /artists\.reference_images/);
  assertArtistKey(ART, `artists/${ART}/ref-2.jpg`, 'artists.reference_images');
});

test('the scoped view refuses reads, writes, listings and deletes outside, and leaves the file alone', async () => {
  const other = `projects/${randomUUID()}/audio/song.wav`;
  await blobs.put(other, Buffer.from('someone else'));
  await blobs.put(`projects/${P}/audio/mine.wav`, Buffer.from('mine'));
  const view = scopeBlobs(blobs, scope);
  const outside = (e: unknown) => e instanceof OmveeError && e.code === 'invalid_input' && /outside project/.test(e.message);
  await assert.rejects(view.get(other), outside);
  await assert.rejects(view.getToFile(other, join(home, 'x')), outside);
  await assert.rejects(view.stat(other), outside);
  await assert.rejects(view.exists(other), outside);
  await assert.rejects(view.put(other, Buffer.from('overwrite')), outside);
  await assert.rejects(view.remove([`projects/${P}/audio/mine.wav`, other]), outside);
  await assert.rejects(view.removePrefix(other.slice(0, other.lastIndexOf('/') + 1)), outside);
  await assert.rejects(view.removePrefix('projects/'), outside);
  await assert.rejects(view.list(''), outside);
  await assert.rejects(view.signedUrl(other, 60), outside);
  assert.throws(() => view.localPath(other), outside);
  assert.equal((await blobs.get(other)).toString(), 'someone else', 'the other file is untouched');
  assert.equal((await blobs.get(`projects/${P}/audio/mine.wav`)).toString(), 'mine', 'a refused batch deletes nothing');
  // inside: works as the adapter does
  assert.equal((await view.get(`projects/${P}/audio/mine.wav`)).toString(), 'mine');
  assert.deepEqual((await view.list(`projects/${P}/`)).map((b) => b.key), [`projects/${P}/audio/mine.wav`]);
  // a view of a view never widens
  const narrower = scopeBlobs(view, { projectId: randomUUID(), artistIds: new Set() });
  await assert.rejects(narrower.get(`projects/${P}/audio/mine.wav`), outside);
});

test("replacing a song never deletes a file outside the project, whatever audio_path said", async () => {
  const victim = await store.insert('projects', { name: 'victim' });
  const victimSong = `projects/${victim.id}/audio/song-victim.wav`;
  await blobs.put(victimSong, Buffer.from('victim song'));
  await store.update('projects', victim.id, { audio_path: victimSong, audio_duration_s: 3 });
  // a project whose row names the victim's song (e.g. imported or edited by hand)
  const project = await store.insert('projects', { name: 'pointing elsewhere', audio_path: victimSong, audio_duration_s: 3 });
  const song = join(home, 'new.wav');
  await writeFile(song, 'RIFF new song bytes');
  const probe: AudioProbe = { durationS: 3, formatName: 'wav', codec: 'pcm_s16le', sampleRate: 44100, channels: 2, sizeBytes: 19, bitRate: null };
  const updated = await attachAudio({ store, blobs, media: {} as MediaTools }, project, song, probe);
  assert.match(updated.audio_path!, new RegExp(`^projects/${project.id}/audio/`));
  assert.equal((await blobs.get(victimSong)).toString(), 'victim song', "the other project's song is still there");
});

test('the scoped view keeps what the storage takes per object (checked before a render is encoded)', async () => {
  const limited: Blobs = { ...blobs, uploadLimit: async () => ({ bytes: 1234, source: 'bucket' }) } as Blobs;
  const view = scopeBlobs(limited, { projectId: randomUUID(), artistIds: new Set() });
  assert.deepEqual(await view.uploadLimit?.(), { bytes: 1234, source: 'bucket' });
  assert.equal(scopeBlobs(blobs, { projectId: randomUUID(), artistIds: new Set() }).uploadLimit, undefined);
});
