import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { makeToneWav } from '../support/fake-replicate/media.ts';
import { createWhisperTranscriber } from '../../src/providers/openai/whisper-transcriber.ts';
import { flagSuspectSegments, isRepeatedPhrase } from '../../src/providers/openai/suspect.ts';
import { OmveeError } from '../../src/core/errors.ts';

const run = promisify(execFile);

describe('Whisper transcriber against the fake OpenAI', () => {
  let fake: FakeOpenAi;
  let dir: string;
  let mp3: string;
  let wav: string;
  const defaultTranscribe = (d: number) => Array.from({ length: Math.max(1, Math.ceil(d / 2)) }, (_, i) => ({ start: i * 2, end: Math.min(d, i * 2 + 2), text: ` line ${i + 1}` }));
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-whisper-test-'));
    fake = await startFakeOpenAi();
    mp3 = join(dir, 'song.mp3');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=10', '-c:a', 'libmp3lame', '-b:a', '64k', mp3]);
    wav = await makeToneWav(dir, 60);
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.uploads.length = 0;
    fake.billing.length = 0;
    fake.transcribe = defaultTranscribe;
  });
  const transcriber = (extra: Record<string, unknown> = {}) =>
    createWhisperTranscriber({ apiKey: fake.apiKey, baseURL: fake.baseURL, ffmpeg: 'ffmpeg', retry: { sleep: async () => undefined }, ...extra });

  test('a small supported file is uploaded as is with verbose_json segments; cost == billed', async () => {
    const res = await transcriber({ language: 'en' }).transcribe({ audioPath: mp3, durationS: 10 }, {});
    assert.equal(fake.uploads.length, 1);
    assert.equal(fake.uploads[0]!.bytes, (await stat(mp3)).size);
    const f = fake.uploads[0]!.fields;
    assert.deepEqual(f['model'], ['whisper-1']);
    assert.deepEqual(f['response_format'], ['verbose_json']);
    assert.deepEqual(f['timestamp_granularities[]'], ['segment']);
    assert.deepEqual(f['language'], ['en']);
    assert.equal(res.transcript.source, 'whisper');
    assert.equal(res.transcript.segments.length, 5);
    assert.equal(res.transcript.segments[0]!.text, 'line 1');
    assert.equal(res.costUsd, fake.billedUsd());
    assert.ok(res.costUsd > 0);
  });

  test('a large file is transcoded and split; segments are stitched back in time', async () => {
    const maxUploadBytes = 100_000;
    const logs: string[] = [];
    const res = await transcriber({ maxUploadBytes }).transcribe({ audioPath: wav, durationS: 60 }, { log: (m) => logs.push(m) });
    assert.ok(fake.uploads.length >= 2, `chunks: ${fake.uploads.length}`);
    for (const u of fake.uploads) assert.ok(u.bytes <= maxUploadBytes, `upload of ${u.bytes} bytes`);
    const total = fake.uploads.reduce((s, u) => s + u.durationS, 0);
    assert.ok(Math.abs(total - 60) < 0.5, `chunks cover ${total} s`);
    const segs = res.transcript.segments;
    assert.equal(segs[0]!.start, 0);
    for (let i = 1; i < segs.length; i++) assert.ok(segs[i]!.start >= segs[i - 1]!.start, 'sorted');
    assert.ok(Math.abs(segs.at(-1)!.end - 60) < 0.5, `last end ${segs.at(-1)!.end}`);
    // the second chunk's first segment starts at its offset, not at 0
    const firstChunkSegs = Math.ceil(fake.uploads[0]!.durationS / 2);
    assert.ok(Math.abs(segs[firstChunkSegs]!.start - fake.uploads[0]!.durationS) < 0.1, `${segs[firstChunkSegs]!.start}`);
    assert.ok(segs.every((s) => s.end <= 60));
    assert.equal(res.costUsd, fake.billedUsd());
    assert.ok(logs.some((l) => /chunks/.test(l)));
  });

  test('429 and 500 on upload are retried (the multipart body is re-sent)', async () => {
    fake.faults.push({ route: 'transcriptions', kind: 'status', status: 429, retryAfter: '1' }, { route: 'transcriptions', kind: 'status', status: 500 });
    const res = await transcriber().transcribe({ audioPath: mp3, durationS: 10 }, {});
    assert.equal(res.transcript.segments.length, 5);
    assert.equal(fake.uploads.length, 1);
  });

  test('a bad key is a provider_auth error naming OPENAI_API_KEY', async () => {
    await assert.rejects(transcriber({ apiKey: 'sk-bad-bad-bad-bad' }).transcribe({ audioPath: mp3, durationS: 10 }, {}), (e: unknown) =>
      e instanceof OmveeError && e.code === 'provider_auth' && /OPENAI_API_KEY/.test(e.hint ?? '') && !/sk-bad/.test(e.message));
  });

  test('suspect segments are flagged and warned about', async () => {
    fake.transcribe = () => [
      { start: 0, end: 2, text: ' Hello there' },
      { start: 2, end: 4, text: ' Oh baby' },
      { start: 4, end: 6, text: ' Oh baby' },
      { start: 6, end: 8, text: ' oh, baby!' },
      { start: 8, end: 9, text: ' la la la la la la' },
      { start: 9, end: 10, text: ' Thanks for watching', no_speech_prob: 0.9, avg_logprob: -1.4 },
    ];
    const res = await transcriber().transcribe({ audioPath: mp3, durationS: 10 }, {});
    const s = res.transcript.segments;
    assert.equal(s[0]!.suspect, undefined);
    for (const i of [1, 2, 3]) assert.match(s[i]!.suspect ?? '', /repeated 3 times in a row/);
    assert.match(s[4]!.suspect ?? '', /one phrase repeated/);
    assert.match(s[5]!.suspect ?? '', /no speech/);
    assert.match(res.transcript.warnings?.[0] ?? '', /5 segment/);
  });
});

describe('suspect heuristics', () => {
  test('repeated phrase detection', () => {
    assert.equal(isRepeatedPhrase('na na na'), true);
    assert.equal(isRepeatedPhrase('I love you, I love you, I love you, I love'), true);
    assert.equal(isRepeatedPhrase('I love you, I love you'), false);
    assert.equal(isRepeatedPhrase('walking down the road tonight'), false);
  });
  test('compression ratio and no-speech thresholds', () => {
    const out = flagSuspectSegments([
      { start: 0, end: 1, text: 'a', compression_ratio: 2.5 },
      { start: 1, end: 2, text: 'b', compression_ratio: 2.4, no_speech_prob: 0.7, avg_logprob: -0.5 },
    ]);
    assert.match(out[0]!.suspect ?? '', /compression ratio 2\.50/);
    assert.equal(out[1]!.suspect, undefined);
  });
});
