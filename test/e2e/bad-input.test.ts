/**
 * Every bad input of issue 2 §8 and issue 3 "Bad input", through the built binary: each gets a
 * clear message on stderr (no stack trace), a non-zero exit, nothing on stdout, and nothing
 * stored changes — no new project, the existing project's row, transcript, scenes and files
 * exactly as before.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileHashes, hasStackTrace, storeRows, makeNoise, makePicture, makeSilentVideo, makeSong, sandbox, type Sandbox } from './helpers.ts';

let sb: Sandbox & { cleanup: () => Promise<void> };
let keep: any;
const f: Record<string, string> = {};

/**
 * Everything a bad command must leave alone: every stored row (a failed command may add a
 * failed `jobs` row, but no other row, and no existing row may change) and every file.
 */
async function snapshot() {
  const [rows, files] = await Promise.all([storeRows(sb.home), fileHashes(path.join(sb.home, 'project-files'))]);
  return { rows, files };
}

function assertUnchanged(before: Awaited<ReturnType<typeof snapshot>>, now: Awaited<ReturnType<typeof snapshot>>): void {
  assert.deepEqual(now.files, before.files, 'files under project-files changed');
  for (const [table, rows] of Object.entries(before.rows)) {
    const nowRows = now.rows[table] ?? {};
    for (const [id, row] of Object.entries(rows)) assert.deepEqual(nowRows[id], row, `${table} row ${id} changed or vanished`);
    if (table === 'jobs') continue;
    const added = Object.keys(nowRows).filter((id) => !(id in rows));
    assert.deepEqual(added, [], `new ${table} rows`);
  }
}

let baseline: Awaited<ReturnType<typeof snapshot>>;

before(async () => {
  sb = await sandbox();
  f.song = await makeSong(sb.file('song.wav'), 8);
  f.noiseMp3 = await makeNoise(sb.file('noise.mp3'));
  f.pictureWav = await makePicture(sb.file('picture.wav'));
  f.silentVideo = await makeSilentVideo(sb.file('silent.mp4'));
  f.empty = sb.file('empty.wav');
  await writeFile(f.empty, '');
  f.emptyLrc = sb.file('empty.lrc');
  await writeFile(f.emptyLrc, '');
  f.dir = sb.file('a-folder.wav');
  await mkdir(f.dir);
  f.missing = sb.file('does-not-exist.wav');
  f.binaryLrc = await makeNoise(sb.file('binary.lrc'), 4096);
  f.pictureLrc = await makePicture(sb.file('picture.lrc'));
  f.lrc = sb.file('ok.lrc');
  await writeFile(f.lrc, '[00:00.50]first line\n[00:03.00]second line\n[00:05.50]third line\n');

  keep = await sb.json(['project', 'create', 'Keep', '--audio', f.song, '--style', 'ink']);
  for (const args of [
    ['transcript', 'import', keep.id, f.lrc],
    ['scenes', 'select', keep.id, '--scene-min', '2', '--scene-max', '4'],
  ]) {
    const r = await sb.run(args);
    assert.equal(r.code, 0, r.stderr);
  }
  baseline = await snapshot();
  assert.equal(Object.keys(baseline.rows.projects ?? {}).length, 1);
  assert.ok(Object.keys(baseline.rows.selected_scenes ?? {}).length >= 2);
});
after(() => sb.cleanup());

interface Case {
  name: string;
  args: () => string[];
  /** Expected exit code (default: any non-zero). */
  code?: number;
  stderr: RegExp;
}

const long = 'n'.repeat(256);
const cases: Case[] = [
  // files given as the song
  { name: 'create: random bytes named .mp3', args: () => ['project', 'create', 'X', '--audio', f.noiseMp3!], stderr: /noise\.mp3.*not a media file/ },
  { name: 'create: empty file', args: () => ['project', 'create', 'X', '--audio', f.empty!], stderr: /empty/ },
  { name: 'create: picture named .wav', args: () => ['project', 'create', 'X', '--audio', f.pictureWav!], stderr: /no audio stream/ },
  { name: 'create: video without audio', args: () => ['project', 'create', 'X', '--audio', f.silentVideo!], stderr: /no audio stream/ },
  { name: 'create: directory as the song', args: () => ['project', 'create', 'X', '--audio', f.dir!], stderr: /directory/ },
  { name: 'create: missing path', args: () => ['project', 'create', 'X', '--audio', f.missing!], stderr: /not found|no such/i },
  // names
  { name: 'create: empty name', args: () => ['project', 'create', ''], stderr: /name is empty/ },
  { name: 'create: blank name', args: () => ['project', 'create', '   '], stderr: /name is empty/ },
  { name: 'create: 256-character name', args: () => ['project', 'create', long], stderr: /too long/ },
  { name: 'create: control character in name', args: () => ['project', 'create', 'bad\u0001name'], stderr: /control characters/ },
  { name: 'create: newline in name', args: () => ['project', 'create', 'two\nlines'], stderr: /control characters/ },
  { name: 'create: escape in name', args: () => ['project', 'create', 'esc\u001b[31mred'], stderr: /control characters/ },
  { name: 'update: empty name', args: () => ['project', 'update', keep.id, '--name', ''], stderr: /name is empty/ },
  { name: 'update: 256-character name', args: () => ['project', 'update', keep.id, '--name', long], stderr: /too long/ },
  { name: 'update: control character in name', args: () => ['project', 'update', keep.id, '--name', 'a\tb'], stderr: /control characters/ },
  // ids
  { name: 'show: unknown id', args: () => ['project', 'show', '00000000-0000-4000-8000-000000000000'], stderr: /not found/ },
  { name: 'show: malformed id', args: () => ['project', 'show', 'not-a-uuid!!'], stderr: /not found|invalid|malformed/ },
  { name: 'show: path-like id', args: () => ['project', 'show', '../../etc'], stderr: /not found|invalid/ },
  { name: 'update: unknown id', args: () => ['project', 'update', '00000000-0000-4000-8000-000000000000', '--name', 'Z'], stderr: /not found/ },
  { name: 'delete: unknown id', args: () => ['project', 'delete', '00000000-0000-4000-8000-000000000000', '--yes'], stderr: /not found/ },
  { name: 'upload: unknown project', args: () => ['upload', 'audio', 'no-such-project', f.song!], stderr: /not found/ },
  { name: 'jobs show: malformed id', args: () => ['jobs', 'show', 'nope'], stderr: /job id/ },
  { name: 'jobs show: unknown id', args: () => ['jobs', 'show', '00000000-0000-4000-8000-000000000000'], stderr: /not found/ },
  { name: 'scenes list: unknown project', args: () => ['scenes', 'list', 'ffffffff'], stderr: /not found/ },
  { name: 'render: unknown project', args: () => ['render', 'ffffffff', '--yes'], stderr: /not found/ },
  { name: 'run --project: unknown project', args: () => ['run', '--project', 'ffffffff'], stderr: /not found/ },
  // a bad song for an existing project must not replace the good one
  { name: 'upload: random bytes over a good song', args: () => ['upload', 'audio', keep.id, f.noiseMp3!], stderr: /not a media file/ },
  { name: 'upload: picture over a good song', args: () => ['upload', 'audio', keep.id, f.pictureWav!], stderr: /no audio stream/ },
  { name: 'upload: video without audio over a good song', args: () => ['upload', 'audio', keep.id, f.silentVideo!], stderr: /no audio stream/ },
  { name: 'upload: empty file over a good song', args: () => ['upload', 'audio', keep.id, f.empty!], stderr: /empty/ },
  { name: 'upload: directory', args: () => ['upload', 'audio', keep.id, f.dir!], stderr: /directory/ },
  { name: 'upload: missing path', args: () => ['upload', 'audio', keep.id, f.missing!], stderr: /not found|no such/i },
  // lyrics
  { name: 'transcript import: binary file', args: () => ['transcript', 'import', keep.id, f.binaryLrc!], stderr: /not a text lyrics file/ },
  { name: 'transcript import: picture named .lrc', args: () => ['transcript', 'import', keep.id, f.pictureLrc!], stderr: /not a text lyrics file/ },
  { name: 'transcript import: empty file', args: () => ['transcript', 'import', keep.id, f.emptyLrc!], stderr: /empty/ },
  { name: 'transcript import: directory', args: () => ['transcript', 'import', keep.id, f.dir!], stderr: /directory/ },
  { name: 'transcript import: missing path', args: () => ['transcript', 'import', keep.id, f.missing!], stderr: /not found|no such/i },
  // scene bounds
  { name: 'scenes select: negative min', args: () => ['scenes', 'select', keep.id, '--scene-min', '-1'], code: 2, stderr: /scene minimum|invalid value/ },
  { name: 'scenes select: zero min', args: () => ['scenes', 'select', keep.id, '--scene-min', '0'], code: 2, stderr: /at least 0.5 s/ },
  { name: 'scenes select: min > max', args: () => ['scenes', 'select', keep.id, '--scene-min', '9', '--scene-max', '3'], code: 2, stderr: /greater than the maximum/ },
  { name: 'scenes select: not a number', args: () => ['scenes', 'select', keep.id, '--scene-max', 'ten'], code: 2, stderr: /number/ },
  { name: 'scenes edit: negative start', args: () => ['scenes', 'edit', keep.id, '2', '--start', '-3'], code: 2, stderr: /--start/ },
  { name: 'scenes edit: end past the song', args: () => ['scenes', 'edit', keep.id, '2', '--end', '999'], stderr: /end|song|duration/i },
  { name: 'scenes edit: unknown scene', args: () => ['scenes', 'edit', keep.id, '99', '--theme', 'x'], stderr: /scene/ },
  { name: 'transcript show: unknown format', args: () => ['transcript', 'show', keep.id, '--format', 'xyz'], code: 2, stderr: /format/ },
  // omvee run: nothing is created when the input is bad
  { name: 'run: random bytes named .mp3', args: () => ['run', f.noiseMp3!], stderr: /not a media file/ },
  { name: 'run: picture named .wav', args: () => ['run', f.pictureWav!], stderr: /no audio stream/ },
  { name: 'run: video without audio', args: () => ['run', f.silentVideo!], stderr: /no audio stream/ },
  { name: 'run: empty file', args: () => ['run', f.empty!], stderr: /empty/ },
  { name: 'run: directory', args: () => ['run', f.dir!], stderr: /directory/ },
  { name: 'run: missing path', args: () => ['run', f.missing!], stderr: /not found|no such/i },
  { name: 'run: binary lyrics', args: () => ['run', f.song!, '--lyrics', f.binaryLrc!], stderr: /not a text lyrics file/ },
  { name: 'run: missing lyrics', args: () => ['run', f.song!, '--lyrics', f.missing!], stderr: /not found|no such/i },
  { name: 'run: negative scene min', args: () => ['run', f.song!, '--scene-min', '-1'], code: 2, stderr: /scene minimum|invalid value/ },
  { name: 'run: scene min > max', args: () => ['run', f.song!, '--scene-min', '8', '--scene-max', '4'], code: 2, stderr: /greater than the maximum/ },
  { name: 'run: absurd scene max', args: () => ['run', f.song!, '--scene-max', '100000'], code: 2, stderr: /scene|maximum/ },
  { name: 'run: nothing to run', args: () => ['run'], code: 2, stderr: /nothing to run/ },
];

describe('bad input: clear error, non-zero exit, nothing stored changes', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const r = await sb.run(c.args());
      if (c.code !== undefined) assert.equal(r.code, c.code, `exit code; stderr: ${r.stderr}`);
      else assert.ok(r.code !== 0 && r.code !== null, `expected a failure, got ${r.code}; stderr: ${r.stderr}`);
      assert.match(r.stderr, /error: /);
      assert.match(r.stderr, c.stderr);
      assert.ok(!hasStackTrace(r.stderr), `stack trace printed:\n${r.stderr}`);
      assert.equal(r.stdout, '', 'no data on stdout');
      const now = await snapshot();
      try {
        assertUnchanged(baseline, now);
      } finally {
        baseline = now; // one failure should not fail every later case
      }
    });
  }
});

describe('bad input that deserves a warning and a correct result', () => {
  test('lyrics past the end of the song are dropped with a warning', async (t) => {
    const own = await sandbox(t);
    const song = await makeSong(own.file('s.wav'), 6);
    const p = await own.json(['project', 'create', 'Past', '--audio', song]);
    const lrc = own.file('past.lrc');
    await writeFile(lrc, '[00:01.00]inside one\n[00:04.00]inside two\n[00:05.90]straddles the end\n[00:09.00]after the end\n[01:30.00]far after\n');
    const r = await own.run(['transcript', 'import', p.id, lrc]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*after the end of the song/);
    assert.equal(r.stderr.match(/after the end of the song/g)?.length, 1, `the warning is printed once:\n${r.stderr}`);
    const check = (tr: any) => {
      assert.deepEqual(tr.segments.map((s: any) => s.text), ['inside one', 'inside two', 'straddles the end']);
      for (const s of tr.segments) assert.ok(s.start >= 0 && s.end <= 6 + 1e-9 && s.start < s.end, JSON.stringify(s));
    };
    check(await own.json(['transcript', 'show', p.id]));

    // the same lyrics through `omvee run`: a warning (once) and a finished video
    const whole = await own.run(['run', song, '--lyrics', lrc, '--json']);
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal(whole.stderr.match(/after the end of the song/g)?.length, 1, `the warning is printed once:\n${whole.stderr}`);
    const summary = JSON.parse(whole.stdout);
    assert.equal(summary.frame_count, 180);
    check(await own.json(['transcript', 'show', summary.project_id]));
  });

  test('a 255-character name is accepted (the limit is inclusive)', async (t) => {
    const own = await sandbox(t);
    const row = await own.json(['project', 'create', 'm'.repeat(255)]);
    assert.equal(row.name.length, 255);
  });
});
