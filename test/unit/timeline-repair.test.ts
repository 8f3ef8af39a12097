import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SceneDraft } from '../../src/providers/ports.ts';
import { isPartitionFeasible, planScenes, repairScenes, validateScenes } from '../../src/core/timeline/index.ts';

const draft = (start: number, end: number, title: string, excerpt = ''): SceneDraft => ({
  start_time_s: start,
  end_time_s: end,
  title,
  theme: `theme ${title}`,
  lyric_excerpt: excerpt,
  energy: 0.5,
});

/** Broken LLM answers: random spans, some NaN, some outside the song, unsorted, overlapping. */
const brokenArb = fc
  .record({
    durationMs: fc.integer({ min: 3000, max: 600_000 }),
    minDs: fc.integer({ min: 5, max: 150 }),
    spreadDs: fc.integer({ min: 0, max: 300 }),
    spans: fc.array(
      fc.record({
        a: fc.double({ min: -0.1, max: 1.1, noNaN: true }),
        b: fc.double({ min: -0.1, max: 1.1, noNaN: true }),
        nan: fc.integer({ min: 0, max: 30 }),
      }),
      { maxLength: 60 },
    ),
  })
  .map(({ durationMs, minDs, spreadDs, spans }) => {
    const durationS = durationMs / 1000;
    const sceneMinS = minDs / 10;
    const sceneMaxS = Math.min(60, sceneMinS + spreadDs / 10);
    const drafts = spans.map((s, i) =>
      draft(s.nan === 0 ? Number.NaN : s.a * durationS, s.b * durationS, `S${i}`, `line ${i}a / line ${i}b`),
    );
    return { drafts, opts: { durationS, sceneMinS, sceneMaxS } };
  });

describe('repairScenes', () => {
  it('always returns a contiguous cover of the song; valid whenever a valid cut exists', () => {
    fc.assert(
      fc.property(brokenArb, ({ drafts, opts }) => {
        const { scenes } = repairScenes(drafts, opts);
        assert.ok(scenes.length >= 1);
        assert.equal(scenes[0]!.start_time_s, 0);
        assert.equal(scenes.at(-1)!.end_time_s, opts.durationS);
        scenes.forEach((s, i) => {
          assert.ok(s.end_time_s > s.start_time_s);
          if (scenes[i + 1]) assert.equal(s.end_time_s, scenes[i + 1]!.start_time_s);
          assert.equal(typeof s.title, 'string');
        });
        if (isPartitionFeasible(opts.durationS, opts.sceneMinS, opts.sceneMaxS)) {
          assert.deepEqual(validateScenes(scenes, opts), []);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('leaves a valid answer untouched', () => {
    const opts = { durationS: 95.5, sceneMinS: 5, sceneMaxS: 10 };
    const valid = planScenes({ ...opts, transcript: null }).map((p, i) => draft(p.start_time_s, p.end_time_s, `T${i}`));
    const { scenes, problems } = repairScenes(valid, opts);
    assert.deepEqual(problems, []);
    assert.deepEqual(scenes, valid);
  });

  it('sorts, moves gaps/overlaps to the midpoint, pins the ends, and reports what it did', () => {
    const opts = { durationS: 30, sceneMinS: 5, sceneMaxS: 12 };
    const { scenes, problems } = repairScenes(
      [draft(21, 30, 'C'), draft(0.4, 11, 'A'), draft(9, 20, 'B')],
      opts,
    );
    assert.deepEqual(
      scenes.map((s) => [s.title, s.start_time_s, s.end_time_s]),
      [
        ['A', 0, 10],
        ['B', 10, 20.5],
        ['C', 20.5, 30],
      ],
    );
    assert.ok(problems.some((p) => /overlap/.test(p)));
    assert.ok(problems.some((p) => /gap/.test(p)));
    assert.ok(problems.some((p) => /not in time order/.test(p)));
  });

  it('merges a too-short scene into its shorter neighbour, keeping its lyrics', () => {
    const opts = { durationS: 20, sceneMinS: 5, sceneMaxS: 12 };
    const { scenes } = repairScenes([draft(0, 6, 'A', 'a'), draft(6, 8, 'B', 'b'), draft(8, 20, 'C', 'c')], opts);
    assert.deepEqual(validateScenes(scenes, opts), []);
    assert.equal(scenes.length, 2);
    assert.equal(scenes[0]!.title, 'A');
    assert.equal(scenes[0]!.lyric_excerpt, 'a / b');
  });

  it('splits a too-long scene, sharing out its excerpt lines', () => {
    const opts = { durationS: 30, sceneMinS: 5, sceneMaxS: 10 };
    const { scenes } = repairScenes([draft(0, 30, 'Long', 'one / two / three')], opts);
    assert.deepEqual(validateScenes(scenes, opts), []);
    assert.deepEqual(scenes.map((s) => s.title), ['Long (1/3)', 'Long (2/3)', 'Long (3/3)']);
    assert.deepEqual(scenes.map((s) => s.lyric_excerpt), ['one', 'two', 'three']);
  });

  it('survives an answer with no usable scene', () => {
    const opts = { durationS: 12, sceneMinS: 5, sceneMaxS: 10 };
    const { scenes, problems } = repairScenes([draft(Number.NaN, 3, 'X'), draft(50, 60, 'Y')], opts);
    assert.deepEqual(validateScenes(scenes, opts), []);
    assert.ok(problems.length > 0);
  });
});
