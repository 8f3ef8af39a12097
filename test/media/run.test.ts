import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { resolveBinaries } from '../../src/media/binaries.ts';
import { progressParser, runFfmpeg, stderrSummary } from '../../src/media/run.ts';
import { bins, tempDir } from './helpers.ts';

test('resolveBinaries: explicit paths, PATH lookup, and a clear error when missing', async (t) => {
  const dir = await tempDir(t);
  const fake = path.join(dir, 'ffmpeg');
  await writeFile(fake, '#!/bin/sh\n');
  await chmod(fake, 0o755);
  const probe = path.join(dir, 'ffprobe');
  await writeFile(probe, '#!/bin/sh\n');
  await chmod(probe, 0o755);
  assert.deepEqual(await resolveBinaries({ PATH: dir }), { ffmpeg: fake, ffprobe: probe });
  assert.deepEqual(await resolveBinaries({ PATH: '', FFMPEG_PATH: bins.ffmpeg, FFPROBE_PATH: bins.ffprobe }), bins);
  await assert.rejects(resolveBinaries({ PATH: path.join(dir, 'nowhere') }), (e: unknown) => {
    assert.ok(e instanceof OmveeError);
    assert.equal(e.code, 'ffmpeg_missing');
    assert.match(e.hint ?? '', /apt-get install -y ffmpeg/);
    assert.match(e.hint ?? '', /FFMPEG_PATH/);
    return true;
  });
  await assert.rejects(resolveBinaries({ PATH: dir, FFMPEG_PATH: path.join(dir, 'nope') }), /FFMPEG_PATH points to/);
});

test('progressParser reports frames, then time, then end', () => {
  const seen: number[] = [];
  const feed = progressParser({ totalFrames: 100, onProgress: (f) => seen.push(f) });
  feed('frame=25\nfps=0\nout_time_us=1000\nprogress=continue\nfra');
  feed('me=50\nprogress=end\n');
  assert.deepEqual(seen, [0.25, 0.5, 1]);
  const byTime: number[] = [];
  const feed2 = progressParser({ durationS: 10, onProgress: (f) => byTime.push(f) });
  feed2('out_time_us=2500000\nout_time_us=N/A\nout_time_us=20000000\n');
  assert.deepEqual(byTime, [0.25, 1]);
});

test('runFfmpeg maps a failure to a media error with the stderr tail', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(runFfmpeg(bins.ffmpeg, ['-i', path.join(dir, 'missing.wav'), '-f', 'null', '-']), (e: unknown) => {
    assert.ok(e instanceof OmveeError);
    assert.equal(e.code, 'media');
    assert.match(e.message, /missing\.wav: No such file or directory/);
    return true;
  });
  assert.equal(stderrSummary('frame=1\na\n\nb\n', 1), 'b');
});

test('runFfmpeg kills the child when aborted', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const p = runFfmpeg(bins.ffmpeg, ['-re', '-f', 'lavfi', '-i', 'sine=d=30', '-f', 'null', '-'], { signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(p, (e: unknown) => e instanceof OmveeError && e.code === 'aborted');
  assert.ok(Date.now() - started < 5000);
});
