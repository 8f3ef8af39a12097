import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { adjustScene, validateScenes } from '../../src/core/timeline/index.ts';

const scenes = [
  { id: 'a', start_time_s: 0, end_time_s: 8 },
  { id: 'b', start_time_s: 8, end_time_s: 15 },
  { id: 'c', start_time_s: 15, end_time_s: 24 },
];
const opts = { durationS: 24 };
const times = (list: typeof scenes): number[][] => list.map((s) => [s.start_time_s, s.end_time_s]);

function usageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof OmveeError && e.code === 'usage' && pattern.test(e.message));
}

describe('adjustScene', () => {
  it('moves the start with the previous scene', () => {
    const out = adjustScene(scenes, 1, { start_time_s: 6.5 }, opts);
    assert.deepEqual(times(out), [[0, 6.5], [6.5, 15], [15, 24]]);
    assert.equal(out[1]!.id, 'b');
    assert.deepEqual(times(scenes), [[0, 8], [8, 15], [15, 24]], 'input untouched');
    assert.deepEqual(validateScenes(out, { durationS: 24, sceneMinS: 0.5, sceneMaxS: 60 }), []);
  });

  it('moves the end with the next scene, and both at once', () => {
    assert.deepEqual(times(adjustScene(scenes, 1, { end_time_s: 18 }, opts)), [[0, 8], [8, 18], [18, 24]]);
    assert.deepEqual(times(adjustScene(scenes, 1, { start_time_s: 7, end_time_s: 16 }, opts)), [[0, 7], [7, 16], [16, 24]]);
  });

  it('refuses to squeeze a neighbour below the minimum', () => {
    usageError(() => adjustScene(scenes, 1, { start_time_s: 0.2 }, opts), /scene 1 shorter than 0.5s/);
    usageError(() => adjustScene(scenes, 1, { end_time_s: 23.8 }, opts), /scene 3 shorter/);
    usageError(() => adjustScene(scenes, 1, { start_time_s: 14.9 }, opts), /scene 2 shorter/);
    usageError(() => adjustScene(scenes, 1, { start_time_s: 5 }, { durationS: 24, minSceneS: 6 }), /shorter than 6s/);
  });

  it('refuses changes past the song or of its fixed ends', () => {
    usageError(() => adjustScene(scenes, 2, { end_time_s: 30 }, opts), /outside the song/);
    usageError(() => adjustScene(scenes, 0, { start_time_s: 1 }, opts), /must start at 0s/);
    usageError(() => adjustScene(scenes, 2, { end_time_s: 20 }, opts), /must end at the end of the song/);
    usageError(() => adjustScene(scenes, 1, { start_time_s: Number.NaN }, opts), /number/);
    usageError(() => adjustScene(scenes, 5, { start_time_s: 1 }, opts), /no scene 6/);
  });
});
