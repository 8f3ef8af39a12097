// The finished video, as a person gets at it: `project show` says where it is, `render --out`
// copies a cut nothing has changed since instead of rendering again, `render` on a terminal asks
// about clips nobody reviewed, and `omvee open` / `render --open` hand it to the desktop's opener.
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSong } from '../e2e/helpers.ts';
import { runCli, tempHome } from '../support/run-cli.ts';

let env: Record<string, string>;
let home: string;
let cleanup: () => Promise<void>;
let projectId: string;
let firstFinal: string;

before(async () => {
  ({ env, home, cleanup } = await tempHome());
  env.NO_COLOR = '1';
  const song = await makeSong(join(home, 'song.wav'), 6);
  const ran = await runCli(['run', song, '--name', 'Short One', '--scene-min', '2', '--scene-max', '3', '--json'], { env, cwd: home });
  assert.equal(ran.code, 0, ran.stderr);
  ({ project_id: projectId, final_video_id: firstFinal } = JSON.parse(ran.stdout) as { project_id: string; final_video_id: string });
});
after(() => cleanup());

describe('the final video', () => {
  it('project show says where it is and that it is up to date', async () => {
    const shown = JSON.parse((await runCli(['project', 'show', projectId, '--json'], { env })).stdout) as { final_video: { id: string; path: string; up_to_date: boolean } };
    assert.equal(shown.final_video.id, firstFinal);
    assert.equal(shown.final_video.up_to_date, true);
    assert.ok((await stat(shown.final_video.path)).size > 1000);
    const table = await runCli(['project', 'show', projectId], { env, tty: true });
    assert.match(table.stdout, /final_video\s+\/.*\.mp4\n/);
  });

  it('render --out of an up-to-date cut copies it (no new render); --force renders anew', async () => {
    const out = join(home, 'copy.mp4');
    const copied = await runCli(['render', projectId, '--out', out, '--json'], { env, cwd: home });
    assert.equal(copied.code, 0, copied.stderr);
    const result = JSON.parse(copied.stdout) as { final_video_id: string; rendered: boolean; job_id: string | null };
    assert.deepEqual([result.final_video_id, result.rendered, result.job_id], [firstFinal, false, null]);
    assert.match(copied.stderr, /is up to date \(nothing changed since\): copied → .*copy\.mp4/);
    assert.ok((await stat(out)).size > 1000);
    const forced = JSON.parse((await runCli(['render', projectId, '--force', '--yes', '--json'], { env })).stdout) as { final_video_id: string; rendered: boolean };
    assert.equal(forced.rendered, true);
    assert.notEqual(forced.final_video_id, firstFinal);
  });

  it('on a terminal, clips nobody reviewed make render ask; "no" renders nothing', async () => {
    const declined = await runCli(['render', projectId, '--force'], { env, tty: true, answers: [false] });
    assert.equal(declined.asked.length, 1);
    assert.match(declined.asked[0]!.message, /Nobody reviewed the clips of scenes 1, 2.*Use the latest takes\?/);
    assert.equal(declined.code, 1);
    assert.match(declined.stderr, /^canceled: nothing rendered/m);
    const before = (JSON.parse((await runCli(['project', 'show', projectId, '--json'], { env })).stdout) as { final_video: { id: string } }).final_video.id;
    const accepted = await runCli(['render', projectId, '--force'], { env, tty: true, answers: [true] });
    assert.equal(accepted.code, 0, accepted.stderr);
    const now = (JSON.parse((await runCli(['project', 'show', projectId, '--json'], { env })).stdout) as { final_video: { id: string } }).final_video.id;
    assert.notEqual(now, before);
    // without a terminal it does not ask: it fails naming what to do, as before
    const piped = await runCli(['render', projectId, '--force'], { env, answers: [true] });
    assert.equal(piped.asked.length, 0);
    assert.equal(piped.code, 1);
    assert.match(piped.stderr, /not every scene has a clip to use/);
  });

  it('on a terminal, --export asks about unreviewed clips too; "no" writes nothing', async () => {
    const target = join(home, 'edit', 'cut.otio');
    const declined = await runCli(['render', projectId, '--export', 'otio', '--out', target], { env, cwd: home, tty: true, answers: [false] });
    assert.equal(declined.asked.length, 1);
    assert.match(declined.asked[0]!.message, /Use the latest takes\?/);
    assert.match(declined.stderr, /^canceled: nothing exported/m);
    await assert.rejects(stat(target), 'no timeline written');
    const accepted = await runCli(['render', projectId, '--export', 'otio', '--out', target, '--json'], { env, cwd: home, tty: true, answers: [true] });
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(JSON.parse(accepted.stdout).path, target);
    assert.equal(JSON.parse(await readFile(target, 'utf8')).OTIO_SCHEMA, 'Timeline.1');
  });

  it('omvee open hands the video to the desktop opener; without a desktop it says so with the path', async () => {
    const bin = join(home, 'bin');
    const seen = join(home, 'opened.txt');
    await import('node:fs/promises').then((fs) => fs.mkdir(bin, { recursive: true }));
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const desktop = { ...env, PATH: `${bin}:${env.PATH}`, DISPLAY: ':0' };
    const opened = await runCli(['open', projectId], { env: desktop });
    assert.equal(opened.code, 0, opened.stderr);
    for (let i = 0; i < 50 && !(await stat(seen).catch(() => null)); i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.match(await readFile(seen, 'utf8'), /\/final\/.*\.mp4$/);
    const headless = await runCli(['open', projectId], { env: { ...env, DISPLAY: '', WAYLAND_DISPLAY: '' } });
    assert.equal(headless.code, 1);
    assert.match(headless.stderr, /^error: no desktop to open the video on .*\.mp4\nhint: /);
  });
});
