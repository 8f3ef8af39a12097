import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { ASPECTS, RESOLUTIONS, frameSize, nearestAspect, parseAspect, parseFrameRate, parseResolution, scaledFrame } from '../../src/core/video/frame-format.ts';

test('aspect × resolution (short side) → even width × height', () => {
  const table: Record<string, [number, number]> = {
    '16:9 480p': [854, 480], '16:9 720p': [1280, 720], '16:9 1080p': [1920, 1080],
    '9:16 480p': [480, 854], '9:16 720p': [720, 1280], '9:16 1080p': [1080, 1920],
    '1:1 480p': [480, 480], '1:1 720p': [720, 720], '1:1 1080p': [1080, 1080],
    '4:5 480p': [480, 600], '4:5 720p': [720, 900], '4:5 1080p': [1080, 1350],
  };
  for (const a of ASPECTS) {
    for (const r of RESOLUTIONS) {
      const s = frameSize(a, r);
      assert.deepEqual([s.width, s.height], table[`${a} ${r}`], `${a} ${r}`);
      assert.equal(s.width % 2 + (s.height % 2), 0);
      assert.equal(nearestAspect(s), a);
    }
  }
});

test('parsers accept spellings people type and refuse the rest with a usage error', () => {
  assert.equal(parseAspect('9x16'), '9:16');
  assert.equal(parseAspect(' vertical '), '9:16');
  assert.equal(parseAspect('1/1'), '1:1');
  assert.equal(parseResolution('1080'), '1080p');
  assert.equal(parseResolution('720P'), '720p');
  assert.equal(parseFrameRate('25'), 25);
  for (const bad of [() => parseAspect('21:9'), () => parseResolution('4k'), () => parseFrameRate('29.97')]) {
    assert.throws(bad, (e: unknown) => e instanceof OmveeError && e.code === 'usage' && typeof e.hint === 'string');
  }
});

test('scaledFrame keeps the shape at a smaller short side, never upscales', () => {
  assert.deepEqual(scaledFrame({ width: 1280, height: 720 }, 360), { width: 640, height: 360 });
  assert.deepEqual(scaledFrame({ width: 720, height: 1280 }, 360), { width: 360, height: 640 });
  assert.deepEqual(scaledFrame({ width: 1080, height: 1350 }, 360), { width: 360, height: 450 });
  assert.deepEqual(scaledFrame({ width: 320, height: 180 }, 360), { width: 320, height: 180 });
});
