import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import type { Transcript } from '../../src/core/model.ts';
import { TranscriptSchema } from '../../src/core/model.ts';
import { detectFormat, parseLyrics } from '../../src/core/lyrics/index.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'lyrics');
const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));

/** Every transcript parseLyrics returns must be valid: sorted, start < end, no overlaps. */
function assertValid(t: Transcript, durationS: number | null): void {
  TranscriptSchema.parse(t);
  t.segments.forEach((s, i) => {
    assert.ok(s.start < s.end, `segment ${i} start < end`);
    if (durationS !== null) assert.ok(s.end <= durationS + 1e-9, `segment ${i} inside the song`);
    const next = t.segments[i + 1];
    if (next) assert.ok(s.end <= next.start + 1e-9, `segment ${i} does not overlap the next`);
    for (const w of s.words ?? []) assert.ok(w.start >= s.start && w.end <= s.end && w.start < w.end);
  });
}

function expectError(fn: () => unknown, code: string, pattern: RegExp): OmveeError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof OmveeError, `expected an OmveeError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.match(caught.message, pattern);
  return caught;
}

describe('LRC', () => {
  const { transcript, warnings } = parseLyrics(fixture('enhanced.lrc'), { durationS: 60, fileName: 'enhanced.lrc' });
  const texts = transcript.segments.map((s) => s.text);

  it('reads BOM + CRLF files, applies a positive offset as "earlier"', () => {
    assertValid(transcript, 60);
    assert.equal(transcript.source, 'lrc');
    // [00:05.00] with [offset:+500] → 4.5 s
    assert.equal(transcript.segments[0]!.start, 4.5);
    assert.equal(transcript.segments[0]!.text, 'Under the neon night');
    assert.ok(!texts.some((t) => t.includes('\r') || t.includes('\uFEFF')));
  });

  it('turns several timestamps on one line into several segments', () => {
    const hits = transcript.segments.filter((s) => s.text === 'Under the neon night').map((s) => s.start);
    assert.deepEqual(hits, [4.5, 39.5]);
  });

  it('reads [mm:ss], [mm:ss.x], [mm:ss:xx] and [mm:ss.xxx] stamps', () => {
    const at = (text: string): number | undefined => transcript.segments.find((s) => s.text === text)?.start;
    assert.equal(at('Colon separated hundredths'), 14.7); // [00:15:20] − 0.5
    assert.equal(at('No fraction at all'), 19.5); // [00:20] − 0.5
    assert.equal(at('Three-digit millis, fire!'), 29.625); // [00:30.125] − 0.5
  });

  it('parses enhanced word times and strips them from the text', () => {
    const seg = transcript.segments.find((s) => s.text === 'Burning through the city');
    assert.ok(seg?.words);
    assert.deepEqual(
      seg.words.map((w) => [w.text, w.start, w.end]),
      [
        ['Burning', 10, 10.5],
        ['through', 10.5, 11.1],
        ['the', 11.1, 11.5],
        ['city', 11.5, 12.3],
      ],
    );
  });

  it('ends a line at the next line, or at an empty (instrumental) timestamp', () => {
    const noFraction = transcript.segments.find((s) => s.text === 'No fraction at all')!;
    assert.equal(noFraction.end, 25); // [00:25.5] − 0.5 ends it, not the next line at 29.625
    const first = transcript.segments[0]!;
    assert.equal(first.end, transcript.segments[1]!.start);
  });

  it('gives the last line a bounded length and never runs past the song', () => {
    const last = transcript.segments.at(-1)!;
    assert.ok(last.end - last.start <= 8 + 1e-9);
    const short = parseLyrics('[00:01.00]a\n[00:09.00]last', { durationS: 10 });
    assert.equal(short.transcript.segments.at(-1)!.end, 10);
  });

  it('ignores lines without a timestamp, with a warning naming the line', () => {
    assert.ok(!texts.includes('[Chorus]'));
    assert.ok(warnings.some((w) => /without a timestamp/.test(w) && /line 13/.test(w)));
  });

  it('negative offsets make lyrics later', () => {
    const r = parseLyrics('[offset:-1000]\n[00:02.00]late', { durationS: 20, format: 'lrc' });
    assert.equal(r.transcript.segments[0]!.start, 3);
  });

  it('uses [length:] when no duration is known', () => {
    const r = parseLyrics('[length:00:12.00]\n[00:10.00]near the end', { durationS: null, format: 'lrc' });
    assert.equal(r.transcript.segments[0]!.end, 12);
  });

  it('rejects malformed timestamps with the line number', () => {
    expectError(() => parseLyrics(fixture('bad-timestamp.lrc'), { durationS: 30, fileName: 'bad.lrc' }), 'invalid_input', /line 3/);
    expectError(() => parseLyrics('[00:75.00]seconds too big', { durationS: 30, format: 'lrc' }), 'invalid_input', /line 1/);
    expectError(() => parseLyrics('[00:01.00]<00:0x.00>word', { durationS: 30, format: 'lrc' }), 'invalid_input', /line 1/);
  });

  it('rejects an .lrc with lyrics but no timestamps, pointing to --format text', () => {
    const e = expectError(() => parseLyrics('just words\nno times', { durationS: 30, fileName: 'x.lrc' }), 'invalid_input', /timestamps/);
    assert.match(e.hint ?? '', /--format text/);
  });

  it('treats an empty or metadata-only file as an instrumental, with a warning', () => {
    for (const input of [fixture('metadata-only.lrc'), '']) {
      const r = parseLyrics(input, { durationS: 30, format: 'lrc' });
      assert.equal(r.transcript.segments.length, 0);
      assert.ok(r.warnings.some((w) => /instrumental/.test(w)));
    }
  });
});

describe('SRT', () => {
  const { transcript, warnings } = parseLyrics(fixture('basic.srt'), { durationS: 14, fileName: 'basic.srt' });

  it('reads cues, strips markup, joins multi-line cues, decodes entities', () => {
    assertValid(transcript, 14);
    assert.deepEqual(
      transcript.segments.map((s) => s.text),
      ['First line', 'Second line & more', 'Third line on two rows', 'Overlapping line'],
    );
    assert.equal(transcript.segments[0]!.start, 1);
    assert.equal(transcript.segments[0]!.end, 4);
  });

  it('sorts unsorted cues, trims overlaps and clips at the song end, with warnings', () => {
    assert.equal(transcript.segments[2]!.end, 12); // 12.5 trimmed to the next start
    assert.equal(transcript.segments[3]!.end, 14); // 15 clipped to the duration
    assert.ok(warnings.some((w) => /sorted/.test(w)));
    assert.ok(warnings.some((w) => /overlapping/.test(w)));
    assert.ok(warnings.some((w) => /past the end/.test(w)));
  });

  it('rejects a malformed timing line with its line number', () => {
    expectError(() => parseLyrics(fixture('bad-timestamp.srt'), { durationS: 30, fileName: 'bad.srt' }), 'invalid_input', /SRT line 6/);
  });

  it('repairs a cue that ends before it starts', () => {
    const r = parseLyrics('1\n00:00:05,000 --> 00:00:02,000\nbackwards\n', { durationS: 30, format: 'srt' });
    assertValid(r.transcript, 30);
    assert.equal(r.transcript.segments.length, 1);
    assert.ok(r.warnings.some((w) => /ended before/.test(w)));
  });
});

describe('WebVTT', () => {
  const { transcript, warnings } = parseLyrics(fixture('basic.vtt'), { durationS: 30, fileName: 'basic.vtt' });

  it('skips header, NOTE and STYLE blocks; reads cue ids, settings, optional hours', () => {
    assertValid(transcript, 30);
    assert.deepEqual(
      transcript.segments.map((s) => [s.start, s.end, s.text]),
      [
        [1, 4, 'Hello <world>'],
        [5, 8.5, 'Second cue'],
      ],
    );
  });

  it('drops cues that start after the end of the song, with a warning', () => {
    assert.ok(warnings.some((w) => /dropped 1 line/.test(w)));
  });

  it('reads inline timestamps as word times', () => {
    const r = parseLyrics('WEBVTT\n\n00:01.000 --> 00:03.000\n<00:01.000>one <00:01.500>two <00:02.000>three\n', {
      durationS: 10,
    });
    assert.equal(r.transcript.segments[0]!.text, 'one two three');
    assert.deepEqual(r.transcript.segments[0]!.words?.map((w) => w.start), [1, 1.5, 2]);
  });
});

describe('Whisper JSON', () => {
  it('reads verbose_json segments, words and language', () => {
    const { transcript } = parseLyrics(fixture('verbose.json'), { durationS: 30, fileName: 'verbose.json' });
    assertValid(transcript, 30);
    assert.equal(transcript.source, 'whisper_json');
    assert.equal(transcript.language, 'english');
    assert.deepEqual(transcript.segments.map((s) => s.text), ['Hello world.', 'Again.']);
    assert.equal(transcript.segments[0]!.words?.length, 2);
  });

  it('gives top-level words to their segments', () => {
    const json = JSON.stringify({
      segments: [
        { start: 0, end: 2, text: 'a b' },
        { start: 2, end: 4, text: 'c' },
      ],
      words: [
        { word: 'a', start: 0, end: 1 },
        { word: 'b', start: 1, end: 2 },
        { word: 'c', start: 2.5, end: 3 },
      ],
    });
    const { transcript } = parseLyrics(json, { durationS: 10, format: 'whisper_json' });
    assert.deepEqual(transcript.segments.map((s) => s.words?.length), [2, 1]);
  });

  it('treats {text} without segments as plain text', () => {
    const { transcript, warnings } = parseLyrics(fixture('text-only.json'), { durationS: 20, fileName: 'text-only.json' });
    assert.equal(transcript.source, 'text');
    assert.deepEqual(transcript.segments.map((s) => s.text), ['first line', 'second line']);
    assert.ok(warnings.some((w) => /no segments/.test(w)));
  });

  it('rejects broken JSON and bad segment fields clearly', () => {
    expectError(() => parseLyrics('{"segments": [', { durationS: 10, format: 'whisper_json' }), 'invalid_input', /not valid JSON/);
    expectError(
      () => parseLyrics('{"segments": [{"start": "x", "end": 1, "text": "a"}]}', { durationS: 10, format: 'whisper_json' }),
      'invalid_input',
      /segment 1/,
    );
  });
});

describe('plain text', () => {
  it('spreads non-empty lines evenly with small gaps, skipping section markers', () => {
    const { transcript } = parseLyrics(fixture('plain.txt'), { durationS: 30, fileName: 'plain.txt' });
    assertValid(transcript, 30);
    assert.equal(transcript.segments.length, 3);
    assert.equal(transcript.segments[0]!.start, 0);
    assert.equal(transcript.segments.at(-1)!.end, 30);
    const lengths = transcript.segments.map((s) => s.end - s.start);
    assert.ok(Math.max(...lengths) - Math.min(...lengths) < 0.2);
    assert.ok(transcript.segments[1]!.start > transcript.segments[0]!.end, 'a gap between lines');
  });

  it('needs a duration', () => {
    expectError(() => parseLyrics('a line', { durationS: null, format: 'text' }), 'invalid_input', /duration/);
  });
});

describe('input checks and format detection', () => {
  it('rejects binary input, invalid UTF-8 and control-character soup', () => {
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21]);
    const e = expectError(() => parseLyrics(mp3, { durationS: 30, fileName: 'song.mp3' }), 'invalid_input', /"song\.mp3" is not a text lyrics file/);
    assert.match(e.hint ?? '', /LRC.*SRT|SubRip/);
    expectError(() => parseLyrics(new Uint8Array([0x61, 0xff, 0x62]), { durationS: 30 }), 'invalid_input', /not a text lyrics file/);
    expectError(() => parseLyrics('\u0001\u0002\u0003\u0004abc', { durationS: 30 }), 'invalid_input', /not a text lyrics file/);
  });

  it('reads UTF-16 files with a BOM', () => {
    const text = '[00:01.00]hé';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    assert.equal(parseLyrics(bytes, { durationS: 10 }).transcript.segments[0]!.text, 'hé');
  });

  it('detects by explicit format, then extension, then content', () => {
    assert.equal(detectFormat('[00:01.00]x', 'a.txt'), 'lrc');
    assert.equal(detectFormat('WEBVTT\n', undefined), 'vtt');
    assert.equal(detectFormat('1\n00:00:01,000 --> 00:00:02,000\nx', 'a.txt'), 'srt');
    assert.equal(detectFormat('{"segments": []}', undefined), 'whisper_json');
    assert.equal(detectFormat('just words', 'a.txt'), 'text');
    assert.equal(detectFormat('just words', 'a.srt'), 'srt');
    assert.equal(detectFormat('[00:01.00]x', 'a.lrc', 'text'), 'text');
    assert.equal(parseLyrics(fixture('lrc-as.txt'), { durationS: 20, fileName: 'lrc-as.txt' }).transcript.source, 'lrc');
  });

  it('refuses an unknown explicit format', () => {
    expectError(() => parseLyrics('x', { durationS: 10, format: 'docx' as never }), 'usage', /unknown lyrics format/);
  });
});
