// `project import` reads a folder someone else may have written: symlinks inside it are refused
// (lstat, every path component), key columns must stay inside the imported project, text fields
// and the manifest are bounded — each refused before anything is written.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import type { Blobs } from '../../src/blobs/port.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { exportProject } from '../../src/core/transfer/export.ts';
import { importProject } from '../../src/core/transfer/import.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
let blobs: Blobs;
let victim: { id: string; song: string };
before(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'omvee-transfer-sec-'));
  store = await openLocalStore({ home });
  blobs = openLocalBlobs({ root: path.join(home, 'project-files') });
  const v = await store.insert('projects', { name: 'victim' });
  victim = { id: v.id, song: `projects/${v.id}/audio/song-victim.wav` };
  await blobs.put(victim.song, Buffer.from('RIFF the victim song'));
  await store.update('projects', v.id, { audio_path: victim.song, audio_duration_s: 3 });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

let n = 0;
/** a fresh export of a small project with one song file */
async function anExport(): Promise<{ dir: string; manifest: any; save: () => Promise<void> }> {
  n += 1;
  const p = await store.insert('projects', { name: `source ${n}` });
  const song = `projects/${p.id}/audio/song.wav`;
  await blobs.put(song, Buffer.from('RIFF source song'));
  await store.update('projects', p.id, { audio_path: song, audio_duration_s: 3, status: 'uploaded' });
  const dir = path.join(home, `export-${n}`);
  await exportProject({ store, blobs, project: (await store.get('projects', p.id))!, outDir: dir, omveeVersion: 'test' });
  const file = path.join(dir, 'project.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  return { dir, manifest, save: () => writeFile(file, JSON.stringify(manifest)) };
}

async function nothingImported(before: number): Promise<void> {
  assert.equal(await store.count('projects'), before, 'no project was created');
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof OmveeError && e.code === 'invalid_input' && pattern.test(e.message);

test('a symlinked file inside the export is refused, not followed', async () => {
  const { dir, manifest, save } = await anExport();
  const secret = path.join(home, 'secret.txt');
  await writeFile(secret, 'RIFF source song'); // same bytes, so size and sha256 in the manifest match
  const inExport = path.join(dir, 'files', 'audio', 'song.wav');
  await unlink(inExport);
  await symlink(secret, inExport);
  await save();
  const count = await store.count('projects');
  await assert.rejects(importProject({ store, blobs, dir }), refused(/symbolic link/));
  await nothingImported(count);
  void manifest;
});

test('a symlinked folder inside the export is refused too', async () => {
  const { dir } = await anExport();
  const elsewhere = path.join(home, `elsewhere-${n}`);
  await mkdir(elsewhere);
  await writeFile(path.join(elsewhere, 'song.wav'), 'RIFF source song');
  await rm(path.join(dir, 'files', 'audio'), { recursive: true });
  await symlink(elsewhere, path.join(dir, 'files', 'audio'));
  const count = await store.count('projects');
  await assert.rejects(importProject({ store, blobs, dir }), refused(/symbolic link/));
  await nothingImported(count);
});

test("key columns pointing at another project's files are refused, so a song replacement cannot delete them", async () => {
  for (const [table, column] of [['projects', 'audio_path'], ['projects', 'transcript_path']] as const) {
    const { dir, manifest, save } = await anExport();
    manifest.tables[table][0][column] = victim.song;
    await save();
    const count = await store.count('projects');
    await assert.rejects(importProject({ store, blobs, dir }), refused(new RegExp(`${table}\\.${column}`)));
    await nothingImported(count);
  }
  assert.equal((await blobs.get(victim.song)).toString(), 'RIFF the victim song');
});

test('image, clip and final video keys must stay inside the project too', async () => {
  const { dir, manifest, save } = await anExport();
  const now = new Date().toISOString();
  const pid = manifest.project_id;
  manifest.tables.final_videos = [{ id: crypto.randomUUID(), project_id: pid, status: 'completed', video_path: victim.song, duration_s: 3, frame_count: 90, fps: 30, width: 1280, height: 720, size_bytes: 10, lyrics_overlay: false, error: null, created_at: now, updated_at: now }];
  await save();
  await assert.rejects(importProject({ store, blobs, dir }), refused(/final_videos\.video_path/));
});

test('text fields are bounded: a long description, a huge manifest', async () => {
  const { dir, manifest, save } = await anExport();
  manifest.tables.projects[0].description = 'd'.repeat(5000);
  await save();
  const count = await store.count('projects');
  await assert.rejects(importProject({ store, blobs, dir }), refused(/projects\.description is too long/));
  manifest.tables.projects[0].description = 'x'.repeat(100 * 1024 * 1024);
  await save();
  const rss = process.memoryUsage().rss;
  await assert.rejects(importProject({ store, blobs, dir }), refused(/project\.json is too large/));
  assert.ok(process.memoryUsage().rss - rss < 150 * 1024 * 1024, 'the manifest was not read');
  await nothingImported(count);
});

test('a transcript over the lyrics limits is refused', async () => {
  const { dir, manifest, save } = await anExport();
  manifest.tables.projects[0].transcript = { source: 'lrc', language: null, segments: [{ start: 0, end: 1, text: 'z'.repeat(6000) }] };
  await save();
  await assert.rejects(importProject({ store, blobs, dir }), refused(/transcript/));
});
