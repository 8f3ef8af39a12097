/**
 * The Blobs contract: the same tests for every Blobs adapter (local folder, Supabase Storage).
 * Each test gets a fresh fixture from `factory` and expects an EMPTY bucket.
 *
 * Prefixes name folders: `projects/p1` and `projects/p1/` list the same objects and never
 * `projects/p10/…` (removePrefix must not delete a neighbour's files).
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Blobs } from '../../src/blobs/port.ts';
import { isOmveeError, type ErrorCode } from '../../src/core/errors.ts';

export interface BlobsFixture {
  blobs: Blobs;
  cleanup(): Promise<void>;
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isOmveeError(error), `expected an OmveeError, got ${String(error)}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const allByteValues = (): Uint8Array => Uint8Array.from({ length: 512 }, (_, i) => i % 256);

export function runBlobsContract(label: string, factory: () => Promise<BlobsFixture>): void {
  describe(`Blobs contract: ${label}`, () => {
    let fixture: BlobsFixture;
    let blobs: Blobs;
    let scratch: string;
    beforeEach(async () => {
      fixture = await factory();
      blobs = fixture.blobs;
      scratch = await mkdtemp(join(tmpdir(), 'omvee-blobs-scratch-'));
    });
    afterEach(async () => {
      await fixture.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    it('put, get, stat and exists round-trip bytes and content type', async () => {
      const key = 'projects/p1/images/scene-0.png';
      const data = allByteValues();
      const info = await blobs.put(key, data, { contentType: 'image/png' });
      assert.equal(info.key, key);
      assert.equal(info.size, data.length);
      assert.deepEqual(new Uint8Array(await blobs.get(key)), data);
      const stat = await blobs.stat(key);
      assert.ok(stat);
      assert.equal(stat.key, key);
      assert.equal(stat.size, data.length);
      assert.equal(stat.contentType, 'image/png');
      assert.equal(await blobs.exists(key), true);
      assert.equal(await blobs.exists('projects/p1/images/missing.png'), false);
      assert.equal(await blobs.stat('projects/p1/images/missing.png'), null);

      // an explicit content type that the extension would not suggest is kept
      await blobs.put('projects/p1/final/render.bin', bytes('x'), { contentType: 'video/mp4' });
      assert.equal((await blobs.stat('projects/p1/final/render.bin'))?.contentType, 'video/mp4');
    });

    it('overwrites by default; upsert false refuses an existing key', async () => {
      const key = 'projects/p1/transcripts/lyrics.json';
      await blobs.put(key, bytes('{"v":1}'), { contentType: 'application/json' });
      await blobs.put(key, bytes('{"v":2}'), { contentType: 'application/json' });
      assert.equal((await blobs.get(key)).toString('utf8'), '{"v":2}');
      await rejectsWith(blobs.put(key, bytes('{"v":3}'), { contentType: 'application/json', upsert: false }), 'conflict');
      assert.equal((await blobs.get(key)).toString('utf8'), '{"v":2}');
      await blobs.put('projects/p1/transcripts/new.json', bytes('{}'), { upsert: false });
      assert.equal(await blobs.exists('projects/p1/transcripts/new.json'), true);
    });

    it('missing objects are not_found', async () => {
      await rejectsWith(blobs.get('projects/p1/audio/nothing.mp3'), 'not_found');
      await rejectsWith(blobs.getToFile('projects/p1/audio/nothing.mp3', join(scratch, 'out.mp3')), 'not_found');
    });

    it('rejects unsafe keys', async () => {
      for (const key of ['', '../escape.txt', 'projects/../../etc/passwd', '/abs/path.txt', 'a//b.txt', 'a/./b.txt', 'trailing/']) {
        await rejectsWith(blobs.put(key, bytes('x')), 'invalid_input');
        await rejectsWith(blobs.get(key), 'invalid_input');
      }
    });

    it('lists recursively under a folder prefix, sorted by key', async () => {
      const keys = [
        'projects/p1/images/b.png',
        'projects/p1/audio/song.mp3',
        'projects/p1/images/a.png',
        'projects/p1/images/deep/c.png',
        'projects/p10/audio/other.mp3',
        'projects/p2/audio/song.mp3',
      ];
      for (const key of keys) await blobs.put(key, bytes(key));
      const expected = [
        'projects/p1/audio/song.mp3',
        'projects/p1/images/a.png',
        'projects/p1/images/b.png',
        'projects/p1/images/deep/c.png',
      ];
      assert.deepEqual((await blobs.list('projects/p1/')).map((b) => b.key), expected);
      assert.deepEqual((await blobs.list('projects/p1')).map((b) => b.key), expected);
      assert.deepEqual((await blobs.list('projects/p1/images')).map((b) => b.key), expected.slice(1));
      const listed = await blobs.list('projects/p1/images/deep/');
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.size, bytes('projects/p1/images/deep/c.png').length);
      assert.deepEqual(await blobs.list('projects/none/'), []);
    });

    it('remove and removePrefix delete exactly what they name', async () => {
      for (const key of ['projects/p1/a.txt', 'projects/p1/sub/b.txt', 'projects/p1/sub/c.txt', 'projects/p10/d.txt', 'projects/p2/e.txt']) {
        await blobs.put(key, bytes(key));
      }
      await blobs.remove(['projects/p1/a.txt', 'projects/p1/never-existed.txt']);
      assert.equal(await blobs.exists('projects/p1/a.txt'), false);
      assert.equal(await blobs.exists('projects/p1/sub/b.txt'), true);
      await blobs.remove([]);

      assert.equal(await blobs.removePrefix('projects/p1'), 2);
      assert.deepEqual(await blobs.list('projects/p1/'), []);
      assert.equal(await blobs.exists('projects/p10/d.txt'), true, 'a neighbour folder with a longer name survives');
      assert.equal(await blobs.exists('projects/p2/e.txt'), true);
      assert.equal(await blobs.removePrefix('projects/p1/'), 0);
    });

    it('putFile and getToFile move files between disk and the bucket', async () => {
      const source = join(scratch, 'song.mp3');
      const data = allByteValues();
      await writeFile(source, data);
      const info = await blobs.putFile('projects/p1/audio/song.mp3', source, { contentType: 'audio/mpeg' });
      assert.equal(info.size, data.length);
      assert.equal((await blobs.stat('projects/p1/audio/song.mp3'))?.contentType, 'audio/mpeg');

      const target = join(scratch, 'nested', 'dir', 'copy.mp3');
      await blobs.getToFile('projects/p1/audio/song.mp3', target);
      assert.deepEqual(new Uint8Array(await readFile(target)), data);
      await writeFile(target, bytes('stale'));
      await blobs.getToFile('projects/p1/audio/song.mp3', target);
      assert.deepEqual(new Uint8Array(await readFile(target)), data, 'getToFile replaces an existing file');

      await rejectsWith(blobs.putFile('projects/p1/audio/x.mp3', join(scratch, 'missing.mp3')), 'not_found');
      assert.equal(await blobs.exists('projects/p1/audio/x.mp3'), false);
    });

    it('signedUrl gives a URL that reads the object back; a missing key is not_found', async () => {
      const data = bytes('video bytes \u0000\u00ff');
      await blobs.put('projects/p1/final/out.mp4', data, { contentType: 'video/mp4' });
      const url = await blobs.signedUrl('projects/p1/final/out.mp4', 60);
      assert.ok(URL.canParse(url), `parseable URL: ${url}`);
      const protocol = new URL(url).protocol;
      let read: Buffer;
      if (protocol === 'file:') read = await readFile(fileURLToPath(url));
      else {
        assert.ok(protocol === 'http:' || protocol === 'https:', `unexpected URL scheme ${protocol}`);
        const res = await fetch(url);
        assert.equal(res.status, 200, `GET ${url} answered ${res.status}`);
        read = Buffer.from(await res.arrayBuffer());
      }
      assert.deepEqual(new Uint8Array(read), new Uint8Array(data));
      await rejectsWith(blobs.signedUrl('projects/p1/final/missing.mp4', 60), 'not_found');
    });
  });
}
