import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Transcript } from '../../src/core/model.ts';
import {
  isPartitionFeasible,
  planScenes,
  sceneFrameCounts,
  totalFrames,
  validateScenes,
} from '../../src/core/timeline/index.ts';

const FPS = [24, 25, 30, 60];

/** A song 3 s – 15 min, bounds 0 < min ≤ max ≤ 60, and lyric lines (possibly messy) over it. */
const songArb = fc
  .record({
    durationMs: fc.integer({ min: 3000, max: 900_000 }),
    minDs: fc.integer({ min: 5, max: 200 }),
    spreadDs: fc.integer({ min: 0, max: 400 }),
    lines: fc.array(fc.record({ at: fc.double({ min: 0, max: 1.05, noNaN: true }), lenMs: fc.integer({ min: 100, max: 9000 }) }), {
      maxLength: 150,
    }),
    withTranscript: fc.boolean(),
  })
  .map(({ durationMs, minDs, spreadDs, lines, withTranscript }) => {
    const durationS = durationMs / 1000;
    const sceneMinS = minDs / 10;
    const sceneMaxS = Math.min(60, sceneMinS + spreadDs / 10);
    const segments = lines
      .map((l, i) => {
        const start = Math.round(l.at * durationMs) / 1000;
        return { start, end: start + l.lenMs / 1000, text: `line ${i}` };
      })
      .sort((a, b) => a.start - b.start);
    const transcript: Transcript | null = withTranscript ? { source: 'test', segments } : null;
    return { durationS, sceneMinS, sceneMaxS, transcript };
  });

describe('planScenes (properties)', () => {
  it('covers the song exactly, within bounds whenever feasible, frames add up', () => {
    fc.assert(
      fc.property(songArb, (input) => {
        const scenes = planScenes(input);
        const D = input.durationS;
        assert.ok(scenes.length >= 1);
        assert.equal(scenes[0]!.start_time_s, 0);
        assert.equal(scenes.at(-1)!.end_time_s, D); // exact, no float drift
        scenes.forEach((s, i) => {
          assert.ok(s.end_time_s > s.start_time_s, `scene ${i} has a length`);
          const next = scenes[i + 1];
          if (next) assert.equal(s.end_time_s, next.start_time_s, 'no gap, no overlap');
          for (const idx of s.segmentIdx) assert.ok(idx >= 0 && idx < (input.transcript?.segments.length ?? 0));
        });
        if (D < input.sceneMinS) assert.equal(scenes.length, 1);
        if (isPartitionFeasible(D, input.sceneMinS, input.sceneMaxS)) {
          assert.deepEqual(validateScenes(scenes, input), []);
        }
        for (const fps of FPS) {
          const counts = sceneFrameCounts(scenes, fps);
          assert.equal(
            counts.reduce((a, b) => a + b, 0),
            totalFrames(D, fps),
          );
          assert.ok(counts.every((c) => c >= 0));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(songArb, (input) => {
        assert.deepEqual(planScenes(input), planScenes(structuredClone(input)));
      }),
      { numRuns: 25 },
    );
  });
});

describe('planScenes (examples)', () => {
  const lines = [0.5, 6, 12.5, 19, 25].map((start, i, all) => ({ start, end: (all[i + 1] ?? 30) - 0.3, text: `line ${i + 1}` }));
  const transcript: Transcript = { source: 'lrc', segments: lines };

  it('cuts on lyric line starts when it can', () => {
    const scenes = planScenes({ durationS: 30, transcript, sceneMinS: 5, sceneMaxS: 10 });
    const starts = new Set(lines.map((l) => l.start));
    for (const s of scenes.slice(1)) assert.ok(starts.has(s.start_time_s), `${s.start_time_s} is a line start`);
    assert.equal(scenes[1]!.lyric_excerpt, 'line 2');
    assert.deepEqual(scenes[1]!.segmentIdx, [1]);
  });

  it('puts every line in some scene and never cuts a sung line when a pause is near', () => {
    const scenes = planScenes({ durationS: 30, transcript, sceneMinS: 5, sceneMaxS: 10 });
    const all = scenes.flatMap((s) => s.segmentIdx);
    for (let i = 0; i < lines.length; i++) assert.ok(all.includes(i));
  });

  it('splits an instrumental evenly', () => {
    const scenes = planScenes({ durationS: 60, transcript: null, sceneMinS: 5, sceneMaxS: 10 });
    assert.ok(scenes.every((s) => s.lyric_excerpt === '' && s.segmentIdx.length === 0));
    const lens = scenes.map((s) => s.end_time_s - s.start_time_s);
    assert.ok(Math.max(...lens) - Math.min(...lens) < 0.5);
    assert.deepEqual(validateScenes(scenes, { durationS: 60, sceneMinS: 5, sceneMaxS: 10 }), []);
  });

  it('makes one scene of a song shorter than the minimum', () => {
    assert.deepEqual(
      planScenes({ durationS: 3, transcript: null, sceneMinS: 5, sceneMaxS: 10 }).map((s) => [s.start_time_s, s.end_time_s]),
      [[0, 3]],
    );
  });

  it('minimises the violation when no partition exists (min 5, max 6, 13 s → 2 × 6.5 s)', () => {
    assert.equal(isPartitionFeasible(13, 5, 6), false);
    const scenes = planScenes({ durationS: 13, transcript: null, sceneMinS: 5, sceneMaxS: 6 });
    assert.deepEqual(
      scenes.map((s) => [s.start_time_s, s.end_time_s]),
      [
        [0, 6.5],
        [6.5, 13],
      ],
    );
  });

  it('handles a tight exact fit (min = max)', () => {
    const scenes = planScenes({ durationS: 21, transcript, sceneMinS: 7, sceneMaxS: 7 });
    assert.deepEqual(
      scenes.map((s) => s.end_time_s - s.start_time_s),
      [7, 7, 7],
    );
  });
});
