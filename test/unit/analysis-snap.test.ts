import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isPartitionFeasible, sceneFrameCounts, totalFrames, validateScenes } from '../../src/core/timeline/index.ts';
import { snapCuts } from '../../src/core/timeline/snap.ts';
import type { SnapCutsInput } from '../../src/core/timeline/snap.ts';

const FPS = [24, 25, 30, 60];

/** Beats from a tempo (possibly with a change), downbeats every 4th, sections every 8 bars. */
function music(durationS: number, bpm: number, changeAt: number, bpm2: number, offset: number): SnapCutsInput['music'] {
  const beats: number[] = [];
  for (let t = offset; t < durationS; t += 60 / (t < changeAt ? bpm : bpm2)) beats.push(Math.round(t * 1000) / 1000);
  const downbeats = beats.filter((_, i) => i % 4 === 0);
  const starts = downbeats.filter((_, i) => i % 8 === 0);
  const sections = [0, ...starts.slice(1)].map((s, i, all) => ({ start_s: s, end_s: all[i + 1] ?? durationS }));
  return { beats, downbeats, sections };
}

const inputArb = fc
  .record({
    durationMs: fc.integer({ min: 3000, max: 400_000 }),
    minDs: fc.integer({ min: 5, max: 120 }),
    spreadDs: fc.integer({ min: 0, max: 300 }),
    fps: fc.constantFrom(...FPS),
    bpm: fc.integer({ min: 60, max: 200 }),
    bpm2: fc.integer({ min: 60, max: 200 }),
    change: fc.double({ min: 0, max: 1, noNaN: true }),
    offset: fc.double({ min: 0, max: 2, noNaN: true }),
    withMusic: fc.boolean(),
    proposed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }),
    lines: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.double({ min: 0.3, max: 8, noNaN: true }) }), { maxLength: 60 }),
  })
  .map((r): SnapCutsInput => {
    const durationS = r.durationMs / 1000;
    const sceneMinS = r.minDs / 10;
    const sceneMaxS = Math.min(60, sceneMinS + r.spreadDs / 10);
    return {
      durationS,
      fps: r.fps,
      sceneMinS,
      sceneMaxS,
      proposed: r.proposed.map((p) => p * durationS),
      music: r.withMusic ? music(durationS, r.bpm, r.change * durationS, r.bpm2, r.offset) : null,
      lines: r.lines.map((l) => ({ start: l.at * durationS, end: l.at * durationS + l.len })),
      // an energy curve on half the inputs (loud parts cut tighter): every promise still holds
      ...(r.offset > 1 ? { energy: { hop_s: 0.5, values: Array.from({ length: Math.ceil(durationS / 0.5) }, (_, i) => Math.round(((Math.sin(i * r.bpm * 0.01) + 1) / 2) * 1000) / 1000) } } : {}),
    };
  });

/** Frames a cut between prev and next may sit on, both scenes staying within the bounds. */
function allowedFrames(prev: number, next: number, isLast: boolean, inp: SnapCutsInput): [number, number] {
  const { fps, sceneMinS: min, sceneMaxS: max, durationS: D } = inp;
  const eps = 1e-6;
  let lo = Infinity;
  let hi = -Infinity;
  for (let f = Math.floor((prev + min) * fps) - 1; f <= Math.ceil((prev + max) * fps) + 1; f++) {
    const t = f / fps;
    const a = t - prev;
    const b = (isLast ? D : next) - t;
    if (a >= min - eps && a <= max + eps && b >= min - eps && b <= max + eps && f > 0 && t < D) {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
  }
  return [lo, hi];
}

/**
 * True when some cut on the frame grid meets the bounds: k − 1 scenes of whole frames in
 * [ceil(min·fps), floor(max·fps)] and a last scene (ending at D, off the grid) in [min, max],
 * with a micro-second margin so float ties do not count.
 */
function frameFeasible(inp: SnapCutsInput): boolean {
  const { durationS: D, fps, sceneMinS: min, sceneMaxS: max } = inp;
  if (!isPartitionFeasible(D, min, max)) return false;
  const fmin = Math.ceil(min * fps - 1e-6) / fps;
  const fmax = Math.floor(max * fps + 1e-6) / fps;
  if (fmin > fmax) return false;
  for (let k = 1; k <= Math.floor(D / min) + 1; k++) {
    if ((k - 1) * fmin + min <= D - 1e-5 && D + 1e-5 <= (k - 1) * fmax + max) return true;
  }
  return false;
}

describe('snapCuts', () => {
  it('covers the song exactly, on the frame grid, within bounds, on beats whenever a beat is reachable', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const { boundaries } = snapCuts(inp);
        const D = inp.durationS;
        assert.equal(boundaries[0], 0);
        assert.equal(boundaries[boundaries.length - 1], D);
        for (let i = 1; i < boundaries.length; i++) assert.ok(boundaries[i]! > boundaries[i - 1]!, 'strictly increasing');
        // internal cuts on the frame grid: every scene but the last is a whole number of frames
        for (const b of boundaries.slice(1, -1)) assert.ok(Math.abs(b * inp.fps - Math.round(b * inp.fps)) < 1e-6, `cut ${b} is on the frame grid`);
        const scenes = boundaries.slice(1).map((end, k) => ({ start_time_s: boundaries[k]!, end_time_s: end }));
        const counts = sceneFrameCounts(scenes, inp.fps);
        assert.equal(counts.reduce((s, c) => s + c, 0), totalFrames(D, inp.fps));
        if (D >= inp.sceneMinS) for (const c of counts) assert.ok(c >= 1, 'every scene has a frame');
        // bounds: whenever a cut on the frame grid can meet them, every scene is within them
        if (frameFeasible(inp)) {
          assert.deepEqual(validateScenes(scenes, inp), []);
          // beat proximity
          const beats = inp.music?.beats ?? [];
          for (let k = 1; k + 1 < boundaries.length; k++) {
            const [lo, hi] = allowedFrames(boundaries[k - 1]!, boundaries[k + 1]!, k + 1 === boundaries.length - 1, inp);
            const reachable = beats.some((b) => b * inp.fps >= lo - 1e-9 && b * inp.fps <= hi + 1e-9);
            if (!reachable) continue;
            const cut = boundaries[k]!;
            const d = Math.min(...beats.map((b) => Math.abs(b - cut)));
            assert.ok(d <= 1 / inp.fps + 1e-9, `cut ${cut} is ${d.toFixed(4)} s from the nearest beat though a beat lies in its window`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  const steady = music(120, 120, 999, 120, 0.25)!; // beats every 0.5 s from 0.25, bars every 2 s

  it('prefers downbeats and always cuts at section starts', () => {
    const { boundaries } = snapCuts({ durationS: 120, fps: 30, sceneMinS: 3, sceneMaxS: 9, proposed: [], music: steady });
    const cuts = boundaries.slice(1, -1);
    const onDownbeat = cuts.filter((c) => steady.downbeats.some((d) => Math.abs(d - c) <= 1 / 30));
    assert.ok(onDownbeat.length === cuts.length, `all ${cuts.length} cuts on downbeats (got ${onDownbeat.length})`);
    for (const s of steady.sections.slice(1)) {
      assert.ok(cuts.some((c) => Math.abs(c - s.start_s) <= 1 / 30), `section start ${s.start_s} is a cut`);
    }
  });

  it('moves each proposed cut to a beat near it', () => {
    const proposed = [7.3, 15.9, 31.1, 52.4, 60.2, 75.8, 90.05];
    const { boundaries } = snapCuts({ durationS: 120, fps: 25, sceneMinS: 4, sceneMaxS: 20, proposed, music: steady });
    const cuts = boundaries.slice(1, -1);
    for (const p of proposed) assert.ok(cuts.some((c) => Math.abs(c - p) <= 2.01), `a cut within a bar of ${p}: ${cuts.join(', ')}`);
    for (const c of cuts) assert.ok(steady.beats.some((b) => Math.abs(b - c) <= 1 / 25), `${c} is on a beat`);
  });

  it('does not cut inside a sung line when a beat outside it is near', () => {
    // lines cover most of each bar; the beats before each line start are free
    const lines: { start: number; end: number }[] = [];
    for (let t = 0.3; t < 118; t += 4) lines.push({ start: t, end: t + 3.6 });
    const { boundaries } = snapCuts({ durationS: 120, fps: 30, sceneMinS: 3, sceneMaxS: 10, proposed: [], music: steady, lines });
    for (const c of boundaries.slice(1, -1)) {
      const inside = lines.find((l) => c > l.start + 0.05 && c < l.end - 0.05);
      assert.equal(inside, undefined, `cut ${c} falls inside the line ${JSON.stringify(inside)}`);
    }
  });

  it('without music keeps the proposals (on the frame grid) and says so', () => {
    const res = snapCuts({ durationS: 40, fps: 24, sceneMinS: 5, sceneMaxS: 15, proposed: [10.01, 20.02, 30.03], music: { beats: [], downbeats: [], sections: [] } });
    assert.deepEqual(res.boundaries, [0, 240 / 24, 480 / 24, 721 / 24, 40]);
    assert.match(res.notes.join(' '), /no beats/);
  });

  it('a song shorter than one scene is one scene; bounds no frame grid can meet are cut evenly', () => {
    assert.deepEqual(snapCuts({ durationS: 2, fps: 30, sceneMinS: 5, sceneMaxS: 10, proposed: [1], music: steady }).boundaries, [0, 2]);
    const tight = snapCuts({ durationS: 10.2, fps: 24, sceneMinS: 5.1, sceneMaxS: 5.1, proposed: [], music: null });
    assert.equal(tight.boundaries.length, 3);
    assert.match(tight.notes.join(' '), /cut evenly/);
  });
});
