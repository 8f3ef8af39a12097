// Paths are data, never patterns: a folder named like an image-sequence pattern (%d) works.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { bins, tempDir } from './helpers.ts';

const media = createFfmpegMedia(bins);

test('stills, motion clips and contact sheets work in a folder whose name contains %d', async (t) => {
  const dir = join(await tempDir(t), 'take %d 100% [x]');
  await mkdir(dir);
  const still = join(dir, 'still %03d.png');
  await media.renderStill({ width: 320, height: 180, seed: 1, palette: ['#112233', '#445566', '#aabbcc'], composition: 'circles' }, still);
  const clip = join(dir, 'clip %d.mp4');
  await media.motionClip(still, { width: 320, height: 180, fps: 30 }, 17, { kind: 'zoom_in', strength: 0.5 }, clip);
  const probe = await media.probeVideo(clip);
  assert.equal(probe.video?.frameCount, 17);
  const sheet = join(dir, 'sheet %d.png');
  await media.contactSheet([{ imagePath: still, caption: 'one' }], sheet, 2);
  assert.ok((await media.probeVideo(sheet)).video);
});
