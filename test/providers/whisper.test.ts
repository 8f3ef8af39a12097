import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { makeToneWav } from '../support/fake-replicate/media.ts';
import { createWhisperTranscriber, promptTail } from '../../src/providers/openai/whisper-transcriber.ts';
import { alignWords, timeTextBySegments } from '../../src/providers/openai/align.ts';
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
    fake.transcribeText = null;
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
    assert.equal(f['prompt'], undefined, 'one piece: no previous text to pass');
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
    // each chunk after the first carries the previous chunk's text as `prompt`, for continuity
    assert.equal(fake.uploads[0]!.fields['prompt'], undefined);
    for (let k = 1; k < fake.uploads.length; k++) {
      const previous = defaultTranscribe(fake.uploads[k - 1]!.durationS).map((x) => x.text).join('');
      assert.deepEqual(fake.uploads[k]!.fields['prompt'], [promptTail(previous)], `chunk ${k}`);
      assert.match(fake.uploads[k]!.fields['prompt']![0]!, /line \d+$/);
    }
  });

  test('gpt-4o-transcribe gets response_format json; whisper-1 times the lyrics; the better text lands on whisper-1\'s timing', async () => {
    fake.transcribe = () => [
      { start: 0, end: 2.5, text: ' Walking down the road' },
      { start: 2.5, end: 5, text: ' under a neon sky' },
      { start: 5, end: 7.5, text: ' easy kill easy kill' },
      { start: 8, end: 10, text: ' Thanks for watching!' },
    ];
    fake.transcribeText = () => 'Walking down the long road, under the neon sky. Easy kill, easy kill.';
    const logs: string[] = [];
    const res = await transcriber({ model: 'gpt-4o-transcribe' }).transcribe({ audioPath: mp3, durationS: 10 }, { log: (m) => logs.push(m) });
    assert.deepEqual(fake.uploads.map((u) => [u.fields['model']?.[0], u.fields['response_format']?.[0], u.status]), [
      ['gpt-4o-transcribe', 'json', 200],
      ['whisper-1', 'verbose_json', 200],
    ]);
    assert.equal(fake.uploads[0]!.fields['timestamp_granularities[]'], undefined, 'no timestamps asked of a model that has none');
    assert.deepEqual(res.transcript.segments.map((x) => [x.start, x.end, x.text]), [
      [0, 2.5, 'Walking down the long road,'],
      [2.5, 5, 'under the neon sky.'],
      [5, 7.5, 'Easy kill, easy kill.'],
    ], 'whisper-1\'s hallucinated outro has no words in the better text and is dropped');
    assert.equal(res.model, 'gpt-4o-transcribe+whisper-1');
    assert.match(res.transcript.warnings?.join('\n') ?? '', /text by gpt-4o-transcribe, timestamps by whisper-1/);
    assert.ok(logs.some((l) => /gpt-4o-transcribe gives no timestamps: timing the lyrics with whisper-1/.test(l)), logs.join('\n'));
    assert.equal(res.costUsd, fake.billedUsd(), 'both calls counted');
    assert.ok(res.costUsd > 0);
  });

  test('the fake refuses verbose_json for the gpt-4o transcribe models exactly as the API does', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
    const { toFile } = await import('openai');
    for (const model of ['gpt-4o-transcribe', 'gpt-4o-mini-transcribe']) {
      await assert.rejects(
        client.audio.transcriptions.create({ file: await toFile(Buffer.from('x'), 'a.mp3'), model, response_format: 'verbose_json' }),
        (e: unknown) => {
          const err = e as { status?: number; code?: string; param?: string; type?: string; message?: string };
          assert.equal(err.status, 400);
          assert.equal(err.code, 'unsupported_value');
          assert.equal(err.param, 'response_format');
          assert.equal(err.type, 'invalid_request_error');
          assert.match(err.message ?? '', new RegExp(`response_format 'verbose_json' is not compatible with model '${model}'\\. Use 'json' or 'text' instead\\.`));
          return true;
        },
      );
    }
  });

  test('OMVEE_WHISPER_TIMESTAMP_MODEL=none with a model without timestamps: a clear error before anything is sent', async () => {
    await assert.rejects(transcriber({ model: 'gpt-4o-mini-transcribe', timestampModel: 'none' }).transcribe({ audioPath: mp3, durationS: 10 }, {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'config');
      assert.match(e.message, /gpt-4o-mini-transcribe gives no timestamps/);
      assert.match(e.hint ?? '', /whisper-1.*import timed lyrics/s);
      return true;
    });
    assert.equal(fake.uploads.length, 0);
    // whisper-1 itself is not affected by the setting
    await transcriber({ timestampModel: 'none' }).transcribe({ audioPath: mp3, durationS: 10 }, {});
    assert.equal(fake.uploads.length, 1);
  });

  test('long audio with gpt-4o-transcribe: each model\'s chunk after the first gets its own previous text as prompt', async () => {
    fake.transcribeText = (d, call) => `better words of upload ${call} lasting ${Math.round(d)} seconds`;
    const res = await transcriber({ model: 'gpt-4o-transcribe', maxUploadBytes: 100_000 }).transcribe({ audioPath: wav, durationS: 60 }, {});
    const main = fake.uploads.filter((u) => u.fields['model']?.[0] === 'gpt-4o-transcribe');
    const timed = fake.uploads.filter((u) => u.fields['model']?.[0] === 'whisper-1');
    assert.ok(main.length >= 2 && main.length === timed.length, `${main.length} / ${timed.length}`);
    assert.equal(main[0]!.fields['prompt'], undefined);
    assert.match(main[1]!.fields['prompt']![0]!, /^better words of upload 0 /);
    assert.match(timed[1]!.fields['prompt']![0]!, /line \d+$/, 'whisper-1 continues from its own text');
    assert.ok(res.transcript.segments.length > 0);
    assert.ok(res.transcript.segments.every((x) => x.text.startsWith('better') || /words|of|upload|lasting|seconds|\d/.test(x.text)));
    assert.equal(res.costUsd, fake.billedUsd());
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

describe('aligning text onto timed segments', () => {
  test('words line up despite case, punctuation and small differences', () => {
    assert.deepEqual(alignWords(['Hello,', 'big', 'World!'], ['hello', 'world']), [0, -1, 1]);
    assert.deepEqual(alignWords([], ['a']), []);
    assert.deepEqual(alignWords(['a'], []), [-1]);
  });
  test('an extra word joins its neighbour; order never goes back in time', () => {
    const out = timeTextBySegments('oh yeah we ride tonight', [
      { start: 0, end: 1, text: 'we' },
      { start: 1, end: 2, text: 'ride tonight' },
    ]);
    assert.deepEqual(out.map((s) => s.text), ['oh yeah we', 'ride tonight']);
  });
  test('no timed words: the text spans the segments; no text: nothing', () => {
    assert.deepEqual(timeTextBySegments('la la', [{ start: 1, end: 3, text: '' }]), [{ start: 1, end: 3, text: 'la la' }]);
    assert.deepEqual(timeTextBySegments('', [{ start: 1, end: 3, text: 'x' }]), []);
  });
  test('promptTail keeps the end of a long text from a word start', () => {
    const long = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const tail = promptTail(long);
    assert.ok(tail.length <= 600);
    assert.ok(long.endsWith(tail));
    assert.match(tail, /^w\d+ /);
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
