// The local store is private to its user on a shared machine, whatever the umask: the home
// folder and project-files 0700, omvee.db and its -wal/-shm 0600 (files and folders made by older
// versions with looser modes are tightened on open). Run with umask 000, the worst case.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';

const run = promisify(execFile);
let dir: string;
let previousUmask: number;
before(async () => {
  previousUmask = process.umask(0o000);
  dir = await mkdtemp(path.join(tmpdir(), 'omvee-perm-'));
});
after(async () => {
  process.umask(previousUmask);
  await rm(dir, { recursive: true, force: true });
});

const mode = async (p: string): Promise<string> => ((await stat(p)).mode & 0o777).toString(8).padStart(3, '0');

/** every folder and file below root with a mode that lets group or others in */
async function loose(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const p = path.join(entry.parentPath, entry.name);
    if (((await stat(p)).mode & 0o077) !== 0) out.push(`${path.relative(root, p)} ${await mode(p)}`);
  }
  return out;
}

test('a new home: folder 0700, omvee.db, -wal and -shm 0600, blob folders 0700 and files 0600', async () => {
  const home = path.join(dir, 'new-home');
  const store = await openLocalStore({ home });
  const blobs = openLocalBlobs({ root: path.join(home, 'project-files') });
  const p = await store.insert('projects', { name: 'private' });
  await blobs.put(`projects/${p.id}/audio/song.wav`, Buffer.from('RIFF'));
  const source = path.join(dir, 'world-readable.png');
  await writeFile(source, 'png', { mode: 0o666 });
  await blobs.putFile(`projects/${p.id}/images/a.png`, source, { contentType: 'image/x-test' });
  await blobs.put(`projects/${p.id}/images/b.png`, Buffer.from('png'), { upsert: false });
  assert.equal(await mode(home), '700');
  for (const f of ['omvee.db', 'omvee.db-wal', 'omvee.db-shm']) assert.equal(await mode(path.join(home, f)), '600', f);
  assert.equal(await mode(path.join(home, 'project-files')), '700');
  assert.deepEqual(await loose(home), [], 'nothing below the home is open to group or others');
  await store.close();
});

test('an existing home with loose modes is tightened on open', async () => {
  const home = path.join(dir, 'old-home');
  await mkdir(home, { mode: 0o755 });
  await chmod(home, 0o755);
  const first = await openLocalStore({ home });
  await first.insert('projects', { name: 'made by an older omvee' });
  await first.close();
  for (const f of ['omvee.db', 'omvee.db-wal', 'omvee.db-shm']) await chmod(path.join(home, f), 0o644).catch(() => undefined);
  await chmod(home, 0o755);
  await mkdir(path.join(home, 'project-files'), { mode: 0o755 });
  await chmod(path.join(home, 'project-files'), 0o755);
  const again = await openLocalStore({ home });
  const blobs = openLocalBlobs({ root: path.join(home, 'project-files') });
  await blobs.put('projects/x/audio/a.wav', Buffer.from('x'));
  assert.equal(await mode(home), '700');
  assert.equal(await mode(path.join(home, 'omvee.db')), '600');
  assert.equal(await mode(path.join(home, 'project-files')), '700');
  assert.deepEqual(await loose(home), []);
  await again.close();
});

test('the binary under umask 000 leaves nothing open to others (store, files, work folder)', async () => {
  const bin = fileURLToPath(new URL('../../bin/omvee', import.meta.url));
  const home = path.join(dir, 'cli-home');
  const song = path.join(dir, 'song.wav');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', song]);
  const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg'), OMVEE_HOME: home, CI: 'true' };
  await run('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, bin, 'project', 'create', 'Shared Machine', '--audio', song, '--json'], { env });
  assert.equal(await mode(home), '700');
  assert.deepEqual(await loose(home), []);
});
