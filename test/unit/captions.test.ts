import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assDocument, assTime, balancedBreaks, captionTrack, escapeAssText, fitCaption, rectInside, resolveCaptionStyle, titleSafeArea } from '../../src/core/captions/index.ts';
import type { FontMetrics } from '../../src/core/captions/index.ts';
import type { TranscriptSegment } from '../../src/core/model.ts';
import { captionFont } from '../../src/media/fonts.ts';

const { metrics, family } = await captionFont();

/** A fake font where every character is 0.6 em wide (1 em = the size): easy arithmetic. */
const mono: FontMetrics = { unitsPerEm: 1000, ascent: 0.8, descent: 0.2, hasGlyph: () => true, measure: (t, size) => [...t].length * 0.6 * size };

test('balancedBreaks: the widest line as short as it can be, not greedy', () => {
  // greedy at width 10 would give "aaaa bb" / "c": balanced gives "aaaa" / "bb c"
  const lines = balancedBreaks([4, 2, 1], 1, 2, 10);
  assert.deepEqual(lines, [[0], [1, 2]]);
  assert.equal(balancedBreaks([4, 9], 1, 1, 10), null, 'two words cannot share a 10-wide line');
});

test('fitCaption always fits the area: long lines wrap, too-long words shrink the font', () => {
  const area = { left: 0, top: 0, right: 300, bottom: 200 };
  const wrapped = fitCaption('the quick brown fox jumps over the lazy dog'.split(' '), mono, { area, fontSize: 30, minFontSize: 20, maxLines: 2, borderFraction: 0.1 });
  assert.ok(wrapped.lines.length <= 2);
  assert.ok(wrapped.width <= 300, `width ${wrapped.width}`);
  assert.ok(wrapped.height <= 200);
  const huge = fitCaption(['supercalifragilisticexpialidocious'], mono, { area, fontSize: 60, minFontSize: 30, maxLines: 2, borderFraction: 0.1 });
  assert.ok(huge.width <= 300 && huge.fontSize < 30, `a single long word shrinks below the minimum to fit (size ${huge.fontSize}, width ${huge.width})`);
  // lines are balanced: no line more than twice as wide as another
  const widths = wrapped.lines.map((l) => l.length);
  assert.ok(Math.max(...widths) - Math.min(...widths) <= 2, `balanced: ${JSON.stringify(wrapped.lines)}`);
});

const segs: TranscriptSegment[] = [
  { start: 1, end: 3.5, text: 'Hold the line', words: [{ start: 1, end: 1.4, text: 'Hold' }, { start: 1.5, end: 1.8, text: 'the' }, { start: 2, end: 3.2, text: 'line' }] },
  { start: 3, end: 6, text: 'an easy {kill}\\N tonight' },
  { start: 8, end: 9, text: '   ' },
  { start: 10, end: 12, text: 'looping', suspect: 'repeated' },
];

test('captionTrack: a line is on screen from its start until the next starts or its end passes', () => {
  const cues = captionTrack(segs, { size: { width: 1280, height: 720 }, style: 'karaoke', metrics });
  assert.equal(cues.length, 2, 'blank and suspect lines are not shown');
  assert.deepEqual([cues[0]!.start, cues[0]!.end], [1, 3], 'ends when the next line starts');
  assert.deepEqual([cues[1]!.start, cues[1]!.end], [3, 6]);
  assert.equal(cues[0]!.timedWords, true);
  assert.equal(cues[1]!.timedWords, false);
  const safe = titleSafeArea({ width: 1280, height: 720 });
  for (const c of cues) assert.ok(rectInside(c.box, safe), `cue box ${JSON.stringify(c.box)} inside ${JSON.stringify(safe)}`);
  assert.equal(captionTrack(segs, { size: { width: 1280, height: 720 }, style: 'none', metrics }).length, 0);
});

test('karaoke tags: a wait, then one sweep per word, adding up to the word times', () => {
  const cues = captionTrack(segs.slice(0, 1), { size: { width: 1280, height: 720 }, style: 'karaoke', metrics });
  const ass = assDocument(cues, [], { size: { width: 1280, height: 720 }, fontFamily: family, style: 'karaoke' });
  const line = ass.split('\n').find((l) => l.startsWith('Dialogue: 1'))!;
  assert.match(line, /^Dialogue: 1,0:00:01\.00,0:00:03\.50,Caption,/);
  const ks = [...line.matchAll(/\\kf?(\d+)/g)].map((m) => Number(m[1]));
  // Hold 1.0→1.5, the 1.5→2.0, line 2.0→3.2 (its end): in centiseconds
  assert.deepEqual(ks, [50, 50, 120]);
  assert.match(line, /\{\\kf50\}Hold \{\\kf50\}the \{\\kf120\}line/);
  assert.match(ass, /WrapStyle: 2/);
  assert.match(ass, new RegExp(`Style: Caption,${family},`));
});

test('ASS text cannot carry override tags from lyrics; windows keep only overlapping events', () => {
  assert.equal(escapeAssText('a {\\b1} b\nc'), 'a (/b1) b c');
  const cues = captionTrack(segs, { size: { width: 720, height: 1280 }, style: 'line', metrics });
  const doc = assDocument(cues, [{ at: 4, strength: 1 }], { size: { width: 720, height: 1280 }, fontFamily: family, style: 'line' }, { from: 3.2, to: 5 });
  const events = doc.split('\n').filter((l) => l.startsWith('Dialogue:'));
  assert.equal(events.length, 2, 'the second line and the flash; the first line ended at 3.0');
  const text = events.find((e) => e.includes('easy'))!;
  assert.ok(text.includes('(kill)') && text.includes('/N') && !text.includes('{kill}') && !text.includes('\\\\N tonight'), text);
  assert.equal(assTime(3725.5), '1:02:05.50');
});

test('caption style: request, then project setting, then the provider default; lyrics_overlay asks for captions', () => {
  assert.equal(resolveCaptionStyle({ offline: true }), 'karaoke');
  assert.equal(resolveCaptionStyle({ offline: false }), 'none');
  assert.equal(resolveCaptionStyle({ offline: false, lyricsOverlay: true }), 'line');
  assert.equal(resolveCaptionStyle({ offline: true, project: 'minimal', lyricsOverlay: true }), 'minimal');
  assert.equal(resolveCaptionStyle({ offline: true, project: 'none', lyricsOverlay: false }), 'none');
  assert.equal(resolveCaptionStyle({ offline: false, project: 'none', requested: 'karaoke' }), 'karaoke');
});

test('the font metrics are the real font: "Hold the line" at size 72 measures what libass draws (~314 px)', () => {
  const w = metrics.measure('Hold the line', 72);
  assert.ok(w > 290 && w < 340, `width ${w}`);
  assert.ok(metrics.hasGlyph('é'.codePointAt(0)!));
});
