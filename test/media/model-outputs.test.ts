/**
 * Model outputs come in their own sizes and lengths (issue 11): seedance 720p is 1248×704 (16:9)
 * or 704×1248 (9:16) at 24 fps with one frame more than asked (24·d+1), kling 1080p runs one
 * frame (~42 ms) long. Normalising crops/scales them to the project's frame and trims them to
 * the scene's exact frame count; at the model's own 24 fps (the house rate of a seedance
 * project) no frame is repeated, where 30 fps would repeat every fourth one (judder). The cut of
 * such clips is the song to the frame. Real ffmpeg, generated clips whose every frame differs.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { houseFpsForClipRate } from '../../src/app/clip-defaults.ts';
import { fixtureContract } from '../../src/providers/replicate/contract/fixtures.ts';
import { sceneFrameCounts } from '../../src/core/timeline/frames.ts';
import { bins, ff, run, tempDir } from './helpers.ts';

const media = createFfmpegMedia(bins);

/** A clip like a model's: testsrc2 (every frame different) at its size, rate and frame count. */
async function modelOutput(dir: string, name: string, width: number, height: number, frames: number): Promise<string> {
  const out = path.join(dir, name);
  await ff('-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=24`, '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out);
  return out;
}

/** How many frames of a video repeat the one before (ffmpeg's mpdecimate finds near-identical pictures; the encoder never makes them bit-identical). */
async function repeatedFrames(file: string): Promise<number> {
  const total = (await media.probeVideo(file)).video!.frameCount;
  const { stderr } = await run(bins.ffmpeg, ['-hide_banner', '-i', file, '-vf', 'mpdecimate', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const kept = Number([...stderr.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1] ?? Number.NaN);
  assert.ok(Number.isFinite(kept), 'mpdecimate reported its frames');
  return total - kept;
}

test('the house frame rate follows the clip model: seedance → 24 fps; unknown → 30', () => {
  assert.deepEqual(fixtureContract('bytedance/seedance-1-lite')!.fps, [24]);
  assert.equal(houseFpsForClipRate(fixtureContract('bytedance/seedance-1-lite')!.fps[0]), 24);
  assert.equal(houseFpsForClipRate(fixtureContract('kwaivgi/kling-v2.1-master')!.fps[0]), 24, 'kling: no fps input, 24 fps from its maker');
  assert.equal(houseFpsForClipRate(null), 30);
  assert.equal(houseFpsForClipRate(16), 30, 'a rate omvee does not render at keeps the default');
});

test('odd-size model outputs are cropped/scaled and trimmed to the exact frames, with no repeated frame at 24 fps; the cut is the song to the frame', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  // a 9 s song at 24 fps cut into three scenes at times that are not whole frames
  const fps = 24;
  const scenes = [
    { start_time_s: 0, end_time_s: 2.93 },
    { start_time_s: 2.93, end_time_s: 5.51 },
    { start_time_s: 5.51, end_time_s: 9 },
  ];
  const frames = sceneFrameCounts(scenes, fps);
  assert.equal(frames.reduce((a, b) => a + b, 0), 9 * fps);
  for (const shape of [{ name: '16:9', width: 1280, height: 720, seedance: [1248, 704] }, { name: '9:16', width: 720, height: 1280, seedance: [704, 1248] }] as const) {
    const format = { width: shape.width, height: shape.height, fps };
    const raws = [
      // seedance asked for 3 s: 24·3+1 frames at 1248×704 (or 704×1248)
      await modelOutput(dir, `s1-${shape.width}.mp4`, shape.seedance[0], shape.seedance[1], 24 * 3 + 1),
      await modelOutput(dir, `s2-${shape.width}.mp4`, shape.seedance[0], shape.seedance[1], 24 * 3 + 1),
      // kling asked for 5 s: 1080p, one frame (42 ms) long
      await modelOutput(dir, `k3-${shape.width}.mp4`, shape.width > shape.height ? 1920 : 1080, shape.width > shape.height ? 1080 : 1920, 24 * 5 + 1),
    ];
    const clips: string[] = [];
    for (const [i, raw] of raws.entries()) {
      const out = path.join(dir, `n${i}-${shape.width}.mp4`);
      await media.normalizeClip(raw, format, frames[i]!, out);
      const p = await media.probeVideo(out);
      assert.equal(p.video?.frameCount, frames[i], `${shape.name} clip ${i + 1}: exact frames`);
      assert.equal(p.video?.width, shape.width);
      assert.equal(p.video?.height, shape.height);
      assert.equal(p.video?.fps, fps);
      assert.equal(await repeatedFrames(out), 0, `${shape.name} clip ${i + 1}: no frame repeated at the model's own rate`);
      clips.push(out);
    }
    // the control: the same 24 fps output made into a 30 fps clip repeats frames (the judder omvee avoids)
    const at30 = path.join(dir, `judder-${shape.width}.mp4`);
    await media.normalizeClip(raws[0]!, { ...format, fps: 30 }, 80, at30);
    assert.ok((await repeatedFrames(at30)) >= 15, 'at 30 fps every fifth frame is a repeat');
    const song = path.join(dir, 'song.wav');
    await ff('-f', 'lavfi', '-i', 'sine=d=9', song);
    const cut = path.join(dir, `cut-${shape.width}.mp4`);
    await media.render({ clipPaths: clips, audioPath: song, totalFrames: 9 * fps, fps, outPath: cut });
    const probe = await media.probeVideo(cut);
    assert.equal(probe.video?.frameCount, 9 * fps, `${shape.name}: the cut is the song to the frame`);
    assert.ok(Math.abs((probe.video?.durationS ?? 0) - 9) < 1e-3);
  }
});
