import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Transcript } from '../../src/core/model.ts';
import { formatLrc, formatSrt, formatVtt, parseLyrics } from '../../src/core/lyrics/index.ts';

/** Random valid transcripts: sorted, non-overlapping, times on the centisecond grid. */
const transcriptArb = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
      len: fc.integer({ min: 1, max: 1200 }),
      text: fc
        .array(fc.constantFrom(...'abcdefghij KLMNOP,!?&<>éü'.split('')), { minLength: 1, maxLength: 30 })
        .map((cs) => cs.join('').replace(/\s+/g, ' ').trim())
        .filter((t) => t.length > 0),
    }),
    { maxLength: 25 },
  )
  .map((items): Transcript => {
    let cursor = 0;
    const segments = items.map((it) => {
      const start = (cursor + it.gap) / 100;
      cursor += it.gap + it.len;
      return { start, end: cursor / 100, text: it.text };
    });
    return { source: 'test', segments };
  });

function assertClose(actual: Transcript, expected: Transcript, tol: number): void {
  assert.equal(actual.segments.length, expected.segments.length);
  actual.segments.forEach((s, i) => {
    const e = expected.segments[i]!;
    assert.equal(s.text, e.text);
    assert.ok(Math.abs(s.start - e.start) <= tol, `start ${s.start} vs ${e.start}`);
    assert.ok(Math.abs(s.end - e.end) <= tol, `end ${s.end} vs ${e.end}`);
  });
}

describe('lyrics formatters round-trip', () => {
  it('LRC: parse(formatLrc(t)) ≈ t', () => {
    fc.assert(
      fc.property(transcriptArb, (t) => {
        const back = parseLyrics(formatLrc(t), { durationS: null, format: 'lrc' }).transcript;
        assertClose(back, t, 0.005 + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('SRT: parse(formatSrt(t)) ≈ t', () => {
    fc.assert(
      // SRT has no escaping: a literal "<i>" in a lyric is markup there, so no "<" in this test.
      fc.property(transcriptArb.map((t) => ({ ...t, segments: t.segments.map((s) => ({ ...s, text: s.text.replace(/</g, '(') })) })), (t) => {
        const back = parseLyrics(formatSrt(t), { durationS: null, format: 'srt' }).transcript;
        assertClose(back, t, 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('VTT: parse(formatVtt(t)) ≈ t, markup characters escaped', () => {
    fc.assert(
      fc.property(transcriptArb, (t) => {
        const text = formatVtt(t);
        assert.ok(text.startsWith('WEBVTT'));
        const back = parseLyrics(text, { durationS: null, format: 'vtt' }).transcript;
        assertClose(back, t, 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('writes the expected shapes', () => {
    const t: Transcript = {
      source: 'x',
      segments: [
        { start: 61.5, end: 63, text: 'one' },
        { start: 65, end: 3725.25, text: 'two' },
      ],
    };
    assert.equal(formatLrc(t), '[01:01.50]one\n[01:03.00]\n[01:05.00]two\n[62:05.25]\n');
    assert.match(formatSrt(t), /^1\n00:01:01,500 --> 00:01:03,000\none\n\n2\n00:01:05,000 --> 01:02:05,250\ntwo\n$/);
    assert.match(formatVtt(t), /^WEBVTT\n\n00:01:01\.500 --> 00:01:03\.000\none\n/);
  });

  it('writes enhanced LRC word times that parse back', () => {
    const t: Transcript = {
      source: 'x',
      segments: [{ start: 1, end: 3, text: 'hi there', words: [{ start: 1, end: 1.5, text: 'hi' }, { start: 1.5, end: 2.5, text: 'there' }] }],
    };
    const back = parseLyrics(formatLrc(t, { enhanced: true }), { durationS: null, format: 'lrc' }).transcript;
    assert.equal(back.segments[0]!.text, 'hi there');
    assert.deepEqual(back.segments[0]!.words, t.segments[0]!.words);
  });
});
