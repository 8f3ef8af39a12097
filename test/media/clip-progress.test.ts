// The offline clip maker reports how far its encode is, frame by frame, so the clips step's
// progress moves inside a clip instead of jumping when it ends.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Scene } from '../../src/core/model.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { createLocalClipGenerator } from '../../src/providers/local/local-clips.ts';
import { bins, ff, tempDir } from './helpers.ts';

test('a local clip reports its progress while it encodes', async (t) => {
  const dir = await tempDir(t);
  const still = join(dir, 'still.png');
  await ff('-f', 'lavfi', '-i', 'testsrc2=size=640x360', '-frames:v', '1', still);
  const seen: number[] = [];
  const generator = createLocalClipGenerator(createFfmpegMedia(bins));
  const scene = { id: 's', order_idx: 0, start_time_s: 0, end_time_s: 8 } as unknown as Scene;
  await generator.generate(
    { scene, imagePath: still, motionPrompt: 'slow zoom in', frameCount: 240, fps: 30, width: 640, height: 360, seed: 1, take: 1, outPath: join(dir, 'clip.mp4') },
    { progress: (f) => seen.push(f) },
  );
  const inside = seen.filter((f) => f > 0 && f < 1);
  assert.ok(inside.length >= 2, `progress inside the clip: ${JSON.stringify(seen)}`);
  for (let i = 1; i < seen.length; i += 1) assert.ok(seen[i]! >= seen[i - 1]!, `never backwards: ${JSON.stringify(seen)}`);
  assert.ok(seen.every((f) => f >= 0 && f <= 1));
});
