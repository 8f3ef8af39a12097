import assert from 'node:assert/strict';
import { readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import type { Composition, MotionKind } from '../../src/media/port.ts';
import { synthesizeSong } from '../../src/media/synth.ts';
import { bins, ff, run, tempDir } from './helpers.ts';

const media = createFfmpegMedia(bins);
const format = { width: 320, height: 180, fps: 30 };

async function still(dir: string, name: string, composition: Composition, seed: number): Promise<string> {
  const out = path.join(dir, name);
  await media.renderStill({ width: 320, height: 180, seed, palette: ['#112233', '#335577', '#ee8844', '#ffd166', '#ef476f'], composition }, out);
  return out;
}

test('renderStill draws a PNG of the requested size, the same for the same seed', async (t) => {
  const dir = await tempDir(t);
  const a = await still(dir, 'a.png', 'circles', 42);
  const b = await still(dir, 'b.png', 'circles', 42);
  const c = await still(dir, 'c.png', 'circles', 43);
  const [pa, pb, pc] = await Promise.all([readFile(a), readFile(b), readFile(c)]);
  assert.equal(pa.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(pa.readUInt32BE(16), 320);
  assert.equal(pa.readUInt32BE(20), 180);
  assert.ok(pa.equals(pb), 'same seed, same picture');
  assert.ok(!pa.equals(pc), 'other seed, other picture');
});

test('motionClip makes exactly frameCount frames in the house format for every motion', async (t) => {
  const dir = await tempDir(t);
  const img = await still(dir, 's.png', 'waves', 1);
  const cases: [MotionKind, number][] = [['zoom_in', 1], ['zoom_out', 17], ['pan_left', 31], ['pan_right', 45], ['pan_up', 13], ['pan_down', 7]];
  for (const [kind, frames] of cases) {
    const out = path.join(dir, `${kind}.mp4`);
    const seen: number[] = [];
    await media.motionClip(img, format, frames, { kind, strength: 0.8 }, out, (f) => seen.push(f));
    const p = await media.probeVideo(out);
    assert.ok(p.video, kind);
    assert.equal(p.video.frameCount, frames, `${kind} frames`);
    assert.deepEqual([p.video.width, p.video.height, p.video.fps, p.video.pixFmt, p.video.codec, p.video.timeBase], [320, 180, 30, 'yuv420p', 'h264', '1/15360'], kind);
    assert.equal(p.audio, null);
    assert.equal(seen.at(-1), 1, `${kind} progress reaches 1`);
  }
});

test('motionClip rejects a bad frame count and odd sizes', async (t) => {
  const dir = await tempDir(t);
  const img = await still(dir, 's.png', 'grid', 2);
  await assert.rejects(media.motionClip(img, format, 0, { kind: 'zoom_in', strength: 1 }, path.join(dir, 'x.mp4')), (e: unknown) => e instanceof OmveeError && e.code === 'invalid_input');
  await assert.rejects(media.motionClip(img, { width: 321, height: 180, fps: 30 }, 5, { kind: 'zoom_in', strength: 1 }, path.join(dir, 'x.mp4')), /even numbers/);
});

test('motionClip + normalizeClip outputs join with -c copy to exactly the sum; render muxes audio to the frame', async (t) => {
  const dir = await tempDir(t);
  const img = await still(dir, 's.png', 'horizon', 3);
  const foreign = path.join(dir, 'foreign.mp4');
  // a "model output": other size, other aspect, other frame rate, B-frames, with audio
  await ff('-f', 'lavfi', '-i', 'testsrc2=s=400x300:r=24:d=1.5', '-f', 'lavfi', '-i', 'sine=d=1.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '2', '-shortest', foreign);
  const clips = [path.join(dir, 'c1.mp4'), path.join(dir, 'c2.mp4'), path.join(dir, 'c3.mp4'), path.join(dir, 'c4.mp4')];
  await media.motionClip(img, format, 23, { kind: 'zoom_in', strength: 0.5 }, clips[0]!);
  await media.normalizeClip(foreign, format, 61, clips[1]!); // longer than the source: holds the last frame
  await media.normalizeClip(foreign, format, 19, clips[2]!); // shorter: trimmed
  await media.motionClip(img, format, 29, { kind: 'pan_right', strength: 0.5 }, clips[3]!);
  const counts = await Promise.all(clips.map(async (c) => (await media.probeVideo(c)).video?.frameCount));
  assert.deepEqual(counts, [23, 61, 19, 29]);
  const total = 23 + 61 + 19 + 29;

  // the plain concat demuxer with stream copy must accept them as they are
  const list = path.join(dir, 'list.txt');
  await writeFile(list, clips.map((c) => `file '${c}'`).join('\n'));
  const joined = path.join(dir, 'joined.mp4');
  await run(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]);
  const j = await media.probeVideo(joined);
  assert.equal(j.video?.frameCount, total);
  assert.ok(Math.abs((j.video?.durationS ?? 0) - total / 30) < 1e-3, `joined duration ${j.video?.durationS}`);
  // constant frame spacing across the joins: every packet lasts exactly 512 ticks
  const { stdout } = await run(bins.ffprobe, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts', '-of', 'csv=p=0', joined]);
  const pts = stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
  assert.deepEqual(pts, pts.map((_, i) => i * 512));

  const song = path.join(dir, 'song.mp3');
  await synthesizeSong(bins.ffmpeg, song, 6, { sampleRate: 22050 }); // longer than the video: cut
  const short = path.join(dir, 'short.wav');
  await ff('-f', 'lavfi', '-i', 'sine=d=2', short); // shorter than the video: padded
  for (const audio of [song, short]) {
    const out = path.join(dir, `final-${path.basename(audio)}.mp4`);
    const progress: number[] = [];
    await media.render({ clipPaths: clips, audioPath: audio, totalFrames: total, fps: 30, outPath: out }, (f) => progress.push(f));
    const p = await media.probeVideo(out);
    assert.ok(p.video && p.audio, 'both streams');
    assert.equal(p.video.frameCount, total);
    assert.equal(p.audio.codec, 'aac');
    assert.ok(Math.abs(p.audio.durationS - p.video.durationS) <= 1 / 30, `audio ${p.audio.durationS} vs video ${p.video.durationS}`);
    assert.ok(Math.abs(p.video.durationS - total / 30) < 1e-3);
    assert.equal(progress.at(-1), 1);
  }

  // the cut never re-encodes: its video packets are the clips' packets, byte for byte
  const packets = async (file: string): Promise<string> => (await run(bins.ffprobe, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=size,flags', '-of', 'csv=p=0', file])).stdout;
  assert.equal(await packets(path.join(dir, 'final-song.mp3.mp4')), await packets(joined));
});

test('render is aborted by the signal and leaves no output', async (t) => {
  const dir = await tempDir(t);
  const img = await still(dir, 's.png', 'stripes', 4);
  const clip = path.join(dir, 'c.mp4');
  await media.motionClip(img, format, 30, { kind: 'zoom_out', strength: 0.5 }, clip);
  const controller = new AbortController();
  controller.abort();
  const out = path.join(dir, 'final.mp4');
  await assert.rejects(
    media.render({ clipPaths: Array(40).fill(clip), audioPath: path.join(dir, 'missing.wav'), totalFrames: 1200, fps: 30, outPath: out }, undefined, controller.signal),
    (e: unknown) => e instanceof OmveeError && e.code === 'aborted',
  );
  await assert.rejects(stat(out));
});

test('contactSheet lays out thumbnails with captions in columns', async (t) => {
  const dir = await tempDir(t);
  const imgs = await Promise.all((['horizon', 'grid', 'waves'] as const).map((c, i) => still(dir, `${c}.png`, c, i)));
  const out = path.join(dir, 'sheet.png');
  await media.contactSheet(imgs.map((imagePath, i) => ({ imagePath, caption: `0:0${i * 5}–0:0${i * 5 + 5} line ${i}` })), out, 2);
  const png = await readFile(out);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const w = png.readUInt32BE(16);
  const h = png.readUInt32BE(20);
  assert.ok(w > 2 * 320 && w < 3 * 320, `width ${w}`);
  assert.ok(h > 2 * 180 && h < 2 * 320, `height ${h}`);
});
