/**
 * Uploads of any size and lists of any length against the double:
 * - a file over 50 MB goes through the resumable (tus) endpoint when the bucket allows it, with
 *   progress, and arrives byte for byte;
 * - a connection dropped in the middle resumes from the server's offset (no new upload, no
 *   bytes sent twice from the start); so does an upload stopped in one process and started
 *   again in another (the state file of tus-js-client's FileUrlStorage);
 * - the bucket's file_size_limit is read (GET /storage/v1/bucket/{id}) and a file over it is
 *   refused before a byte is sent; OMVEE_MAX_UPLOAD_BYTES caps it further;
 * - lists page until an empty page, so a project whose "Max rows" is below 1000 (PostgREST) or a
 *   short Storage page loses nothing.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { isOmveeError } from '../../src/core/errors.ts';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';

const MB = 1024 * 1024;

describe('uploads of any size, lists of any length', () => {
  let d: PostgrestDouble;
  let ann: DoubleUser;
  let dir: string;
  let prefix: string;
  before(async () => {
    d = await startPostgrestDouble();
    ann = await d.createUser('ann@example.test', 'pw');
    dir = await mkdtemp(path.join(tmpdir(), 'omvee-uploads-'));
  });
  after(async () => {
    await d?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetDouble(d);
    d.storage.fileSizeLimit = 500 * MB; // a paid plan's global limit
    d.storage.listCap = null;
    d.rest.maxRows = 1000;
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = 100 * 1024 * 1024 where id = 'project-files'"));
    const store = await openSupabaseStore({ url: d.url, key: d.anonKey, accessToken: ann.accessToken, retry: false });
    prefix = `projects/${(await store.insert('projects', { name: 'Big' })).id}`;
  });

  const blobsFor = (extra: Record<string, unknown> = {}) =>
    openSupabaseBlobs({ url: d.url, key: d.anonKey, accessToken: ann.accessToken, retry: false, resumableRetryDelays: [0, 50, 100], ...extra });

  async function bigFile(name: string, bytes: number): Promise<{ file: string; sha: string }> {
    const file = path.join(dir, name);
    const data = randomBytes(bytes);
    await writeFile(file, data);
    return { file, sha: createHash('sha256').update(data).digest('hex') };
  }

  it('a 60 MB file goes through the resumable endpoint with progress and arrives intact', async () => {
    const { file, sha } = await bigFile('final.mp4', 60 * MB);
    const blobs = blobsFor();
    assert.deepEqual(await blobs.uploadLimit(), { bytes: 100 * MB, source: 'bucket' });
    const progress: number[] = [];
    const createdBefore = d.tus.created;
    const info = await blobs.putFile(`${prefix}/final/final.mp4`, file, { contentType: 'video/mp4', onProgress: (sent) => progress.push(sent) });
    assert.equal(info.size, 60 * MB);
    assert.equal(d.tus.created - createdBefore, 1, 'one resumable upload');
    assert.ok(progress.length >= 5 && progress.at(-1) === 60 * MB, `progress reported (${progress.length} times)`);
    const back = await blobs.get(`${prefix}/final/final.mp4`);
    assert.equal(createHash('sha256').update(back).digest('hex'), sha);
    assert.equal((await blobs.stat(`${prefix}/final/final.mp4`))?.contentType, 'video/mp4');
  });

  it('a dropped connection resumes from the offset the server has', async () => {
    const { file, sha } = await bigFile('resume.mp4', 20 * MB);
    const blobs = blobsFor();
    const patchesBefore = d.tus.patchOffsets.length;
    const createdBefore = d.tus.created;
    // the first PATCH (the 2nd chunk) is cut off: the client asks HEAD for the offset and goes on
    d.injectFaults(1, { kind: 'drop', match: /^\/storage\/v1\/upload\/resumable\/.+/ });
    await blobs.putFile(`${prefix}/final/resume.mp4`, file);
    assert.equal(d.tus.created - createdBefore, 1, 'the same upload went on (no second POST)');
    const offsets = d.tus.patchOffsets.slice(patchesBefore);
    assert.ok(offsets.length >= 2 && offsets.every((o) => o > 0), `PATCHes went on from a non-zero offset: ${offsets.join(',')}`);
    assert.equal(createHash('sha256').update(await blobs.get(`${prefix}/final/resume.mp4`)).digest('hex'), sha);
  });

  it('an upload interrupted in one process goes on in the next (the state file remembers it)', async () => {
    const { file, sha } = await bigFile('interrupted.mp4', 30 * MB);
    const stateFile = path.join(dir, 'uploads-state.json');
    const key = `${prefix}/final/interrupted.mp4`;
    const stop = new AbortController();
    const first = blobsFor({ resumeStateFile: stateFile });
    await assert.rejects(
      first.putFile(key, file, { signal: stop.signal, onProgress: (sent) => sent >= 12 * MB && stop.abort(new Error('Ctrl-C')) }),
      /Ctrl-C/,
    );
    const created = d.tus.created;
    const patches = d.tus.patchOffsets.length;
    // a new process (a new adapter) with the same state file, e.g. omvee render --upload-only
    const second = blobsFor({ resumeStateFile: stateFile });
    await second.putFile(key, file);
    assert.equal(d.tus.created, created, 'no new upload was created: the old one went on');
    assert.ok(d.tus.patchOffsets[patches]! >= 12 * MB, `went on from ${d.tus.patchOffsets[patches]}`);
    assert.equal(createHash('sha256').update(await second.get(key)).digest('hex'), sha);
  });

  it("a file over the bucket's limit is refused before it is sent, saying the limit", async () => {
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = 8 * 1024 * 1024 where id = 'project-files'"));
    const { file } = await bigFile('toolarge.mp4', 9 * MB);
    const before = d.requestCount;
    const blobs = blobsFor();
    await assert.rejects(blobs.putFile(`${prefix}/final/x.mp4`, file), (e: unknown) => isOmveeError(e) && e.code === 'invalid_input' && /8\.0 MB/.test(e.message) && /9\.0 MB/.test(e.message));
    assert.equal(d.requestCount - before, 1, 'only the bucket was read');
    // the setting (the project's global limit) caps a larger bucket limit
    const capped = blobsFor({ maxUploadBytes: 4 * MB });
    assert.deepEqual(await capped.uploadLimit(), { bytes: 4 * MB, source: 'setting' });
  });

  it('when the server still answers 413 (a lower global limit), the error says so and keeps the limit omvee knew', async () => {
    d.storage.fileSizeLimit = 10 * MB; // the plan's global limit, which no API reveals
    const { file } = await bigFile('global.mp4', 12 * MB);
    await assert.rejects(blobsFor().putFile(`${prefix}/final/g.mp4`, file), (e: unknown) => isOmveeError(e) && e.code === 'invalid_input' && /larger than Supabase Storage accepts/.test(e.message) && /OMVEE_MAX_UPLOAD_BYTES/.test(e.hint ?? ''));
  });

  it('store lists page past a "Max rows" below the page size; blob lists past short pages', async () => {
    const store = await openSupabaseStore({ url: d.url, key: d.anonKey, accessToken: ann.accessToken, retry: false });
    const projectId = prefix.split('/')[1]!;
    await store.insertMany('selected_scenes', Array.from({ length: 23 }, (_, i) => ({ project_id: projectId, order_idx: i, start_time_s: i, end_time_s: i + 1 })));
    d.rest.maxRows = 7;
    assert.equal((await store.list('selected_scenes', { where: { project_id: projectId } })).length, 23);
    assert.equal((await store.list('selected_scenes', { where: { project_id: projectId }, limit: 10 })).length, 10);

    const blobs = blobsFor();
    for (let i = 0; i < 12; i++) await blobs.put(`${prefix}/images/${String(i).padStart(2, '0')}.png`, Buffer.from([i]));
    d.storage.listCap = 5;
    assert.equal((await blobs.list(`${prefix}/images`)).length, 12);
  });
});
