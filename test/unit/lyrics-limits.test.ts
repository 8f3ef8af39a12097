// Lyrics input is bounded: a file over LYRICS_MAX_BYTES, an absurd line or an absurd number of
// lines is refused with a clear error before it is parsed or stored (a 60 MB one-line file once
// took 3.85 GB of memory and was stored whole in the project row).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LYRICS_MAX_BYTES, LYRICS_MAX_LINE_CHARS, LYRICS_MAX_LINES, parseLyrics } from '../../src/core/lyrics/index.ts';
import { storeLyricsSource } from '../../src/core/pipeline/transcript-step.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { OmveeError } from '../../src/core/errors.ts';

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-lyrics-limits-'));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

const invalid = (pattern: RegExp) => (e: unknown) => e instanceof OmveeError && e.code === 'invalid_input' && pattern.test(e.message) && typeof e.hint === 'string';

test('limits are a few MB and far above real lyrics', () => {
  assert.ok(LYRICS_MAX_BYTES >= 1024 * 1024 && LYRICS_MAX_BYTES <= 8 * 1024 * 1024);
  assert.ok(LYRICS_MAX_LINE_CHARS >= 1000);
  assert.ok(LYRICS_MAX_LINES >= 2000);
});

test('a file over the size limit is refused by its size, in every format', () => {
  const big = Buffer.alloc(LYRICS_MAX_BYTES + 1, 'a');
  for (const fileName of ['song.lrc', 'song.txt', 'song.json', 'song.srt']) {
    assert.throws(() => parseLyrics(big, { durationS: 60, fileName }), invalid(/too large/), fileName);
  }
  const started = Date.now();
  const huge = Buffer.alloc(60 * 1024 * 1024, 'x');
  assert.throws(() => parseLyrics(huge, { durationS: 60, fileName: 'one-line.lrc' }), invalid(/too large \(60\.0 MB/));
  assert.ok(Date.now() - started < 2000, 'refused without parsing');
});

test('an absurd line is refused with its line number', () => {
  const text = `[00:01.00]first line\n[00:02.00]${'la '.repeat(LYRICS_MAX_LINE_CHARS)}\n[00:03.00]third\n`;
  assert.throws(() => parseLyrics(Buffer.from(text), { durationS: 60, fileName: 'x.lrc' }), invalid(/line 2 is too long/));
  assert.throws(() => parseLyrics(Buffer.from(`short\n${'x'.repeat(LYRICS_MAX_LINE_CHARS + 1)}\n`), { durationS: 60, fileName: 'x.txt' }), invalid(/line 2 is too long/));
});

test('an absurd number of lines is refused', () => {
  const lines = Array.from({ length: LYRICS_MAX_LINES + 1 }, (_, i) => `[${String(Math.floor(i / 6000)).padStart(2, '0')}:${String(Math.floor(i / 100) % 60).padStart(2, '0')}.${String(i % 100).padStart(2, '0')}]l`).join('\n');
  assert.throws(() => parseLyrics(Buffer.from(lines), { durationS: 600_000, fileName: 'x.lrc' }), invalid(/lyric lines/));
});

test('Whisper JSON on one long line is fine; a segment whose text is absurd is not', () => {
  const segments = Array.from({ length: 200 }, (_, i) => ({ id: i, start: i, end: i + 0.9, text: ` line number ${i} of the song` }));
  const json = JSON.stringify({ task: 'transcribe', language: 'english', duration: 210, text: 'x', segments });
  assert.ok(json.length > LYRICS_MAX_LINE_CHARS, 'the fixture is one line longer than the line limit');
  assert.equal(parseLyrics(Buffer.from(json), { durationS: 210, fileName: 'w.json' }).transcript.segments.length, 200);
  const bad = JSON.stringify({ segments: [{ start: 0, end: 1, text: 'y'.repeat(LYRICS_MAX_LINE_CHARS + 1) }] });
  assert.throws(() => parseLyrics(Buffer.from(bad), { durationS: 10, fileName: 'w.json' }), invalid(/too long/));
});

test('storing a too-large lyrics source is refused before anything is written', async () => {
  const blobs = openLocalBlobs({ root: join(home, 'files') });
  const projectId = crypto.randomUUID();
  await assert.rejects(storeLyricsSource(blobs, projectId, 'big.lrc', Buffer.alloc(LYRICS_MAX_BYTES + 1, 'a')), invalid(/too large/));
  assert.deepEqual(await blobs.list(`projects/${projectId}/`), []);
});
