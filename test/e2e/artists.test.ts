/**
 * `omvee artists …` and `omvee scenes feature` through the built binary (run `npm run build`
 * first; `npm test` does), with CI=true and a fresh home: exit codes, stdout/stderr, and the
 * files in the local blob folder.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BIN = fileURLToPath(new URL('../../bin/omvee', import.meta.url));
const run = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;
let files: string;

function omvee(...args: string[]): Promise<Ran> {
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), OMVEE_HOME: join(home, 'omvee'), OMVEE_BACKEND: 'local', CI: 'true', NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd: home, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function json<T>(ran: Ran): T {
  assert.equal(ran.code, 0, `exit ${ran.code}: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as T;
}

const f = (name: string): string => join(files, name);
const blobDir = (): string => join(home, 'omvee', 'project-files', 'artists');

interface ArtistRow {
  id: string;
  name: string;
  description: string | null;
  reference_images: string[];
}
interface SceneRow {
  id: string;
  order_idx: number;
  artist_id: string | null;
  artist_role: string;
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-e2e-artists-'));
  files = join(home, 'in');
  await run('mkdir', ['-p', files]);
  const colours = ['red', 'green', 'blue', 'yellow', 'white', 'black'];
  await Promise.all([
    ...colours.map((c) => run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=${c}:s=64x64`, '-frames:v', '1', f(`${c}.png`)])),
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=12', '-ac', '2', f('song.mp3')]),
  ]);
  await writeFile(f('notes.txt'), 'not a picture at all\n');
  await writeFile(f('song.lrc'), '[00:00.50]first line here\n[00:04.00]second line now\n[00:08.00]third line at last\n');
});

after(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('omvee artists (built binary)', () => {
  let artist: ArtistRow;
  let projectId: string;

  it('refuses 2 images, 6 images and a text file, storing nothing', async () => {
    const two = await omvee('artists', 'add', 'Mara Vey', '--image', f('red.png'), '--image', f('green.png'));
    assert.equal(two.code, 2);
    assert.match(two.stderr, /error: an artist needs 3 to 5 reference images \(got 2\)/);
    assert.match(two.stderr, /hint: /);

    const six = await omvee('artists', 'add', 'Mara Vey', ...['red', 'green', 'blue', 'yellow', 'white', 'black'].flatMap((c) => ['--image', f(`${c}.png`)]));
    assert.equal(six.code, 2);
    assert.match(six.stderr, /got 6/);

    const text = await omvee('artists', 'add', 'Mara Vey', '--image', f('red.png'), '--image', f('green.png'), '--image', f('notes.txt'));
    assert.equal(text.code, 1);
    assert.match(text.stderr, /notes\.txt is not a PNG, JPEG or WebP image/);
    assert.doesNotMatch(text.stderr, /\n\s+at /, 'no stack trace');

    assert.deepEqual(json<unknown[]>(await omvee('artists', 'list', '--json')), []);
    assert.equal(existsSync(blobDir()) ? (await readdir(blobDir())).length : 0, 0);
  });

  it('adds an artist with 3 PNGs and copies them into the blob folder', async () => {
    const added = await omvee('artists', 'add', 'Mara Vey', '--image', f('red.png'), '--image', f('green.png'), '--image', f('blue.png'), '--description', 'red hair', '--json');
    artist = json<ArtistRow>(added);
    assert.match(added.stderr, /added artist Mara Vey/);
    assert.equal(artist.name, 'Mara Vey');
    assert.equal(artist.description, 'red hair');
    assert.deepEqual(artist.reference_images, [1, 2, 3].map((n) => `artists/${artist.id}/ref-${n}.png`));
    for (const [i, colour] of ['red', 'green', 'blue'].entries()) {
      const stored = join(home, 'omvee', 'project-files', artist.reference_images[i]!);
      assert.deepEqual(await readFile(stored), await readFile(f(`${colour}.png`)));
    }
    const again = await omvee('artists', 'add', 'Mara Vey', '--image', f('red.png'), '--image', f('green.png'), '--image', f('blue.png'));
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it('lists (TSV and JSON) and shows by name, id prefix and id', async () => {
    const tsv = await omvee('artists', 'list');
    assert.equal(tsv.code, 0);
    assert.deepEqual(tsv.stdout.trimEnd().split('\n').map((l) => l.split('\t').slice(0, 4)), [[artist.id, 'Mara Vey', '3', 'red hair']]);
    const listed = json<ArtistRow[]>(await omvee('artists', 'list', '--json'));
    assert.deepEqual(listed.map((a) => a.id), [artist.id]);

    for (const ref of ['Mara Vey', artist.id.slice(0, 6), artist.id]) {
      assert.deepEqual(json<ArtistRow>(await omvee('artists', 'show', ref, '--json')), listed[0]);
    }
    const shown = await omvee('artists', 'show', 'Mara Vey');
    assert.match(shown.stdout, /^images\t3$/m);
    assert.match(shown.stdout, new RegExp(`^image 3\\tartists/${artist.id}/ref-3\\.png$`, 'm'));

    const missing = await omvee('artists', 'show', 'Nobody');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /artist not found: Nobody/);
    assert.match(missing.stderr, /hint: .*omvee artists list/);
  });

  it('updates the description', async () => {
    const updated = json<ArtistRow>(await omvee('artists', 'update', 'Mara Vey', '--description', 'silver jacket', '--json'));
    assert.equal(updated.description, 'silver jacket');
    assert.deepEqual(updated.reference_images, artist.reference_images);
  });

  it('features the artist in a scene; images generate still works', async () => {
    projectId = json<{ id: string }>(await omvee('project', 'create', 'Song', '--audio', f('song.mp3'), '--json')).id;
    assert.equal((await omvee('transcript', 'import', projectId, f('song.lrc'))).code, 0);
    const scenes = json<SceneRow[]>(await omvee('scenes', 'select', projectId, '--json'));
    assert.ok(scenes.length >= 2, `expected at least 2 scenes, got ${scenes.length}`);

    const noArtist = await omvee('scenes', 'feature', projectId, '1');
    assert.equal(noArtist.code, 2);
    assert.match(noArtist.stderr, /--artist is required/);
    const badRole = await omvee('scenes', 'feature', projectId, '1', '--artist', 'Mara Vey', '--role', 'lead');
    assert.equal(badRole.code, 2);
    const badScene = await omvee('scenes', 'feature', projectId, '99', '--artist', 'Mara Vey');
    assert.equal(badScene.code, 2);
    assert.match(badScene.stderr, /no scene 99/);

    const featured = json<SceneRow[]>(await omvee('scenes', 'feature', projectId, '1', '2', '--artist', 'Mara Vey', '--json'));
    assert.deepEqual(featured.map((s) => [s.order_idx, s.artist_id, s.artist_role]), [[0, artist.id, 'primary'], [1, artist.id, 'primary']]);
    const background = json<SceneRow[]>(await omvee('scenes', 'feature', projectId, '2', '--artist', artist.id.slice(0, 8), '--role', 'background', '--json'));
    assert.equal(background[0]!.artist_role, 'background');
    const table = await omvee('scenes', 'feature', projectId, '1', '--artist', 'Mara Vey');
    assert.match(table.stdout, /^1\t[^\n]*\tMara Vey\tprimary\t/m);

    const stored = json<SceneRow[]>(await omvee('scenes', 'list', projectId, '--json'));
    assert.deepEqual(stored.slice(0, 2).map((s) => [s.artist_id, s.artist_role]), [[artist.id, 'primary'], [artist.id, 'background']]);

    assert.equal((await omvee('prompts', 'generate', projectId)).code, 0);
    const images = await omvee('images', 'generate', projectId);
    assert.equal(images.code, 0, images.stderr);
    const takes = json<{ scene_id: string; status: string }[]>(await omvee('images', 'list', projectId, '--json'));
    assert.equal(takes.filter((t) => t.status === 'completed').length, stored.length);
  });

  it('remove asks for --yes without a TTY, then clears the scenes and deletes the files', async () => {
    const refused = await omvee('artists', 'remove', 'Mara Vey');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes required/);
    assert.equal(json<ArtistRow[]>(await omvee('artists', 'list', '--json')).length, 1);

    const removed = json<{ id: string; removed: boolean; files_removed: number; scenes_cleared: number }>(await omvee('artists', 'remove', 'Mara Vey', '--yes', '--json'));
    assert.deepEqual(removed, { id: artist.id, name: 'Mara Vey', removed: true, files_removed: 3, scenes_cleared: 2 });
    assert.deepEqual(json<unknown[]>(await omvee('artists', 'list', '--json')), []);
    assert.equal(existsSync(join(blobDir(), artist.id)), false);
    const scenes = json<SceneRow[]>(await omvee('scenes', 'list', projectId, '--json'));
    assert.ok(scenes.every((s) => s.artist_id === null && s.artist_role === 'none'));
    // the images made while the artist was featured are kept
    assert.equal(json<unknown[]>(await omvee('images', 'list', projectId, '--json')).length, scenes.length);
  });
});
