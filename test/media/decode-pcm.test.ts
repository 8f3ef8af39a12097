import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { decodePcm } from '../../src/media/decode-pcm.ts';
import { bins, ff, tempDir } from './helpers.ts';

/** ffmpeg processes whose command line names this file (to prove none is left running). */
function ffmpegsFor(file: string): number {
  try {
    return execFileSync('pgrep', ['-f', file], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

test('decodes a stereo MP3 to mono float PCM at 22050 Hz, in chunks, with the right pitch', async (t) => {
  const dir = await tempDir(t);
  const song = path.join(dir, 'tone.mp3');
  // 440 Hz left, 440 Hz right (in phase), 3 s at 44.1 kHz
  await ff('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', song);
  let samples = 0;
  let chunks = 0;
  let crossings = 0;
  let prev = 0;
  let peak = 0;
  for await (const chunk of decodePcm(bins.ffmpeg, song)) {
    assert.ok(chunk instanceof Float32Array);
    chunks += 1;
    for (const v of chunk) {
      if (prev < 0 && v >= 0) crossings += 1;
      prev = v;
      peak = Math.max(peak, Math.abs(v));
    }
    samples += chunk.length;
  }
  // the MP3 encoder pads a little; the length is 3 s ± 60 ms
  assert.ok(Math.abs(samples / 22050 - 3) < 0.06, `${samples} samples`);
  assert.ok(chunks > 1, 'streamed in several chunks');
  assert.ok(Math.abs(crossings / 3 - 440) < 5, `${crossings / 3} Hz`);
  assert.ok(peak > 0.05 && peak <= 1.01, `peak ${peak}`);
});

test('another rate on request; a file without audio or not media at all fails with ffmpeg’s reason', async (t) => {
  const dir = await tempDir(t);
  const song = path.join(dir, 'a.wav');
  await ff('-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=1', song);
  let n = 0;
  for await (const c of decodePcm(bins.ffmpeg, song, { sampleRate: 8000 })) n += c.length;
  assert.equal(n, 8000);

  const video = path.join(dir, 'silent.mp4');
  await ff('-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', video);
  const text = path.join(dir, 'notes.txt');
  await writeFile(text, 'not a song\n');
  for (const bad of [video, text, path.join(dir, 'missing.mp3')]) {
    await assert.rejects(
      (async () => {
        for await (const _ of decodePcm(bins.ffmpeg, bad)) void _;
      })(),
      (e: unknown) => e instanceof OmveeError && e.code === 'media' && /could not be decoded/.test(e.message) && /ffprobe/.test(e.hint ?? ''),
    );
  }
  await assert.rejects(
    (async () => {
      for await (const _ of decodePcm(path.join(dir, 'no-ffmpeg'), song)) void _;
    })(),
    (e: unknown) => e instanceof OmveeError && e.code === 'ffmpeg_missing',
  );
  await assert.rejects(
    (async () => {
      for await (const _ of decodePcm(bins.ffmpeg, song, { sampleRate: 3 })) void _;
    })(),
    /sample rate/,
  );
});

test('aborting stops ffmpeg at once; leaving the loop early kills it too', async (t) => {
  const dir = await tempDir(t);
  const song = path.join(dir, 'long.flac');
  await ff('-f', 'lavfi', '-i', 'anoisesrc=d=120:a=0.3:r=44100', '-c:a', 'flac', song);
  const ac = new AbortController();
  let got = 0;
  const started = Date.now();
  await assert.rejects(
    (async () => {
      for await (const c of decodePcm(bins.ffmpeg, song, { signal: ac.signal })) {
        got += c.length;
        if (got > 22050) ac.abort();
      }
    })(),
    (e: unknown) => e instanceof OmveeError && e.code === 'aborted',
  );
  assert.ok(got < 22050 * 30, 'stopped long before the end');
  assert.ok(Date.now() - started < 10_000);
  assert.equal(ffmpegsFor(song), 0, 'no ffmpeg left after abort');

  let seen = 0;
  for await (const c of decodePcm(bins.ffmpeg, song)) {
    seen += c.length;
    if (seen > 22050) break;
  }
  assert.equal(ffmpegsFor(song), 0, 'no ffmpeg left after break');
  await assert.rejects(
    (async () => {
      for await (const _ of decodePcm(bins.ffmpeg, song, { signal: AbortSignal.abort() })) void _;
    })(),
    (e: unknown) => e instanceof OmveeError && e.code === 'aborted',
  );
});
