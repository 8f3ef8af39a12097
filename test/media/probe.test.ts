import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { bins, ff, tempDir } from './helpers.ts';

const media = createFfmpegMedia(bins);

async function rejectsInvalid(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof OmveeError, `expected OmveeError, got ${String(err)}`);
    assert.equal(err.code, 'invalid_input');
    assert.match(err.message, pattern);
    return true;
  });
}

test('probeAudio reads a WAV and an MP3', async (t) => {
  const dir = await tempDir(t);
  const wav = path.join(dir, 'tone.wav');
  const mp3 = path.join(dir, 'tone.mp3');
  await ff('-f', 'lavfi', '-i', 'sine=f=440:d=2.5:sample_rate=22050', '-ac', '2', wav);
  await ff('-f', 'lavfi', '-i', 'sine=f=440:d=3:sample_rate=44100', '-c:a', 'libmp3lame', '-b:a', '64k', mp3);
  const a = await media.probeAudio(wav);
  assert.ok(Math.abs(a.durationS - 2.5) < 0.01, `wav duration ${a.durationS}`);
  assert.equal(a.formatName, 'wav');
  assert.equal(a.codec, 'pcm_s16le');
  assert.equal(a.sampleRate, 22050);
  assert.equal(a.channels, 2);
  assert.ok(a.sizeBytes > 200_000);
  const b = await media.probeAudio(mp3);
  assert.equal(b.codec, 'mp3');
  assert.equal(b.formatName, 'mp3');
  assert.ok(Math.abs(b.durationS - 3) < 0.1);
  assert.ok(b.bitRate !== null && b.bitRate > 50_000 && b.bitRate < 80_000, `bitrate ${b.bitRate}`);
});

test('probeAudio rejects bad inputs with clear messages', async (t) => {
  const dir = await tempDir(t);
  const picture = path.join(dir, 'picture.wav');
  await ff('-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', picture);
  await rejectsInvalid(media.probeAudio(picture), /picture\.wav has no audio stream/);

  const random = path.join(dir, 'random.mp3');
  const bytes = Buffer.alloc(20_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + ((i * i) >>> 3)) & 0xff;
  await writeFile(random, bytes);
  await rejectsInvalid(media.probeAudio(random), /random\.mp3 is not a media file ffprobe can read/);

  const silentVideo = path.join(dir, 'silent.mp4');
  await ff('-f', 'lavfi', '-i', 'testsrc2=s=64x64:r=10:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', silentVideo);
  await rejectsInvalid(media.probeAudio(silentVideo), /silent\.mp4 has no audio stream \(found: video\)/);

  const empty = path.join(dir, 'empty.wav');
  await writeFile(empty, '');
  await rejectsInvalid(media.probeAudio(empty), /empty\.wav is empty/);

  const tiny = path.join(dir, 'tiny.wav');
  await ff('-f', 'lavfi', '-i', 'sine=d=0.2', tiny);
  await rejectsInvalid(media.probeAudio(tiny), /tiny\.wav lasts 0\.20 s; songs must last between 0\.5 s and 2 h/);
});

test('probeVideo counts frames exactly and reports both streams', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'av.mp4');
  await ff('-f', 'lavfi', '-i', 'testsrc2=s=96x64:r=24:d=2', '-f', 'lavfi', '-i', 'sine=d=2', '-frames:v', '37', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file);
  const p = await media.probeVideo(file);
  assert.ok(p.video);
  assert.equal(p.video.frameCount, 37);
  assert.equal(p.video.width, 96);
  assert.equal(p.video.height, 64);
  assert.equal(p.video.fps, 24);
  assert.equal(p.video.codec, 'h264');
  assert.ok(p.audio);
  assert.equal(p.audio.codec, 'aac');
});
