import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import {
  frameBoundary,
  sceneFrameCounts,
  totalFrames,
  validateSceneBounds,
  validateScenes,
} from '../../src/core/timeline/index.ts';

describe('frame math', () => {
  it('rounds times to the nearest frame boundary', () => {
    assert.equal(frameBoundary(1, 30), 30);
    assert.equal(frameBoundary(1.01, 30), 30);
    assert.equal(frameBoundary(1.02, 30), 31);
    assert.equal(totalFrames(10.5, 24), 252);
  });

  it('counts scene frames as boundary differences, so they add up to the song', () => {
    const scenes = [
      { start_time_s: 0, end_time_s: 3.3333 },
      { start_time_s: 3.3333, end_time_s: 7.01 },
      { start_time_s: 7.01, end_time_s: 10.5 },
    ];
    const counts = sceneFrameCounts(scenes, 30);
    assert.deepEqual(counts, [100, 110, 105]);
    assert.equal(counts.reduce((a, b) => a + b), totalFrames(10.5, 30));
  });
});

describe('validateScenes', () => {
  const opts = { durationS: 20, sceneMinS: 5, sceneMaxS: 10 };
  const ok = [
    { start_time_s: 0, end_time_s: 10 },
    { start_time_s: 10, end_time_s: 20 },
  ];

  it('accepts a valid list (within 1e-6)', () => {
    assert.deepEqual(validateScenes(ok, opts), []);
    assert.deepEqual(validateScenes([{ start_time_s: 0, end_time_s: 10.0000001 }, { start_time_s: 10.0000001, end_time_s: 20 }], opts), []);
  });

  it('names each kind of problem', () => {
    const cases: [{ start_time_s: number; end_time_s: number }[], RegExp][] = [
      [[], /no scenes/],
      [[{ start_time_s: 1, end_time_s: 10 }, { start_time_s: 10, end_time_s: 20 }], /starts at 1s, not at 0s/],
      [[{ start_time_s: 0, end_time_s: 10 }, { start_time_s: 10, end_time_s: 19 }], /ends at 19s, not at the end/],
      [[{ start_time_s: 0, end_time_s: 9 }, { start_time_s: 10, end_time_s: 20 }], /gap of 1s between scene 1 and scene 2/],
      [[{ start_time_s: 0, end_time_s: 11 }, { start_time_s: 10, end_time_s: 20 }], /overlap by 1s/],
      [[{ start_time_s: 0, end_time_s: 16 }, { start_time_s: 16, end_time_s: 20 }], /longer than the maximum/],
      [[{ start_time_s: 0, end_time_s: 16 }, { start_time_s: 16, end_time_s: 20 }], /shorter than the minimum/],
      [[{ start_time_s: 0, end_time_s: 10 }, { start_time_s: 10, end_time_s: 25 }], /outside the song/],
      [[{ start_time_s: 0, end_time_s: Number.NaN }], /not a number/],
      [[{ start_time_s: 10, end_time_s: 20 }, { start_time_s: 0, end_time_s: 10 }], /not in time order/],
      [[{ start_time_s: 0, end_time_s: 10 }, { start_time_s: 10, end_time_s: 10 }, { start_time_s: 10, end_time_s: 20 }], /not after its start/],
    ];
    for (const [scenes, pattern] of cases) {
      const problems = validateScenes(scenes, opts);
      assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in ${JSON.stringify(problems)}`);
    }
  });

  it('accepts one scene for a song shorter than the minimum, and flags sub-frame scenes', () => {
    assert.deepEqual(validateScenes([{ start_time_s: 0, end_time_s: 3 }], { ...opts, durationS: 3 }), []);
    const tiny = validateScenes([{ start_time_s: 0, end_time_s: 0.01 }], { durationS: 0.01, sceneMinS: 0.001, sceneMaxS: 1, fps: 30 });
    assert.ok(tiny.some((p) => /one frame/.test(p)));
  });
});

describe('validateSceneBounds', () => {
  it('returns the defaults 5 and 10', () => {
    assert.deepEqual(validateSceneBounds(), { sceneMinS: 5, sceneMaxS: 10 });
    assert.deepEqual(validateSceneBounds(2, 4), { sceneMinS: 2, sceneMaxS: 4 });
  });

  it('rejects negative, zero, below 0.5 s, NaN, min > max, max > 60 as usage errors', () => {
    for (const [min, max, pattern] of [
      [-1, 10, /at least 0.5 s/],
      [0, 10, /at least 0.5 s/],
      [0.01, 0.02, /at least 0.5 s/],
      [Number.NaN, 10, /number/],
      [5, Number.NaN, /number/],
      [8, 6, /greater than the maximum/],
      [5, 61, /limit of 60/],
    ] as const) {
      assert.throws(
        () => validateSceneBounds(min, max),
        (e: unknown) => e instanceof OmveeError && e.code === 'usage' && exitCodeOf(e) === 2 && pattern.test(e.message) && !!e.hint,
      );
    }
  });
});
