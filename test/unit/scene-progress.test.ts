// A batch's progress moves inside each scene (frames encoded, a prediction's percentage), not in
// one jump per finished scene; it never goes backwards and ends at 100 %.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachScene } from '../../src/core/pipeline/batch.ts';
import type { Scene } from '../../src/core/model.ts';
import { trackSceneProgress } from '../../src/core/pipeline/scene-progress.ts';

const scene = (i: number): Scene => ({ id: `s${i}`, order_idx: i, start_time_s: i, end_time_s: i + 1 }) as unknown as Scene;

describe('scene progress', () => {
  it('is the mean of the scenes in flight and the settled ones', () => {
    const seen: [number, number][] = [];
    const p = trackSceneProgress(4, (whole, finished) => seen.push([whole, finished]));
    p.update('a', 0.5);
    p.update('b', 0.25);
    p.settle('a');
    p.update('a', 0.1); // a settled scene no longer moves the bar
    p.update('b', 0.2); // nor does a scene going backwards
    assert.deepEqual(seen, [
      [0.125, 0],
      [0.1875, 0],
      [0.3125, 1],
    ]);
  });

  it('skips changes below a tenth of a percent but always reports the end', () => {
    const seen: number[] = [];
    const p = trackSceneProgress(1, (whole) => seen.push(whole));
    for (let i = 1; i <= 10_000; i += 1) p.update('a', i / 10_000);
    p.settle('a');
    assert.ok(seen.length <= 1001, `${seen.length} reports`);
    assert.equal(seen.at(-1), 1);
    for (let i = 1; i < seen.length; i += 1) assert.ok(seen[i]! >= seen[i - 1]!);
  });

  it('ignores non-finite fractions', () => {
    const seen: number[] = [];
    const p = trackSceneProgress(2, (whole) => seen.push(whole));
    p.update('a', Number.NaN);
    p.update('a', 2);
    assert.deepEqual(seen, [0.5]);
  });

  it('forEachScene passes each scene a progress callback and reports inside scenes', async () => {
    const seen: [number, number][] = [];
    const result = await forEachScene(
      [scene(0), scene(1)],
      1,
      new AbortController().signal,
      async (s, progress) => {
        for (const f of [0.25, 0.5, 0.75]) progress(f);
        if (s.order_idx === 1) throw new Error('boom');
        return s.id;
      },
      (whole, finished) => seen.push([whole, finished]),
    );
    assert.deepEqual(result.done.map((d) => d.value), ['s0']);
    assert.equal(result.failed.length, 1);
    assert.deepEqual(seen, [
      [0.125, 0],
      [0.25, 0],
      [0.375, 0],
      [0.5, 1],
      [0.625, 1],
      [0.75, 1],
      [0.875, 1],
      [1, 2],
    ]);
  });
});
