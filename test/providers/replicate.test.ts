// The Replicate generators, through the real `replicate` SDK, against the fake Replicate that
// serves the models' published schemas and refuses what they refuse (test/support/fake-replicate).
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';
import { makeNoisePng, makePng } from '../support/fake-replicate/media.ts';
import { cancelPrediction, createReplicateClipGenerator, createReplicateImageGenerator, type ReplicateClipOptions } from '../../src/providers/replicate/generators.ts';
import { nearestAspectRatio } from '../../src/providers/replicate/inputs.ts';
import { chooseClipDuration, chooseResolution } from '../../src/core/cost/clip-plan.ts';
import { DEFAULT_PRICES, buildPriceTable } from '../../src/providers/cost.ts';
import { OmveeError } from '../../src/core/errors.ts';
import type { Scene, ScenePrompt, TakeAttempt } from '../../src/core/model.ts';
import type { ClipInput } from '../../src/providers/ports.ts';

const run = promisify(execFile);
const now = new Date().toISOString();
const scene: Scene = {
  id: 's1', project_id: 'p1', order_idx: 0, start_time_s: 0, end_time_s: 6.2, title: 'Neon rain', theme: 'city at night',
  lyric_excerpt: 'easy kill', energy: 0.7, artist_id: null, artist_role: 'none', generated_by_model: null, created_at: now, updated_at: now,
};
const prompt: ScenePrompt = {
  id: 'pr1', project_id: 'p1', scene_id: 's1', image_prompt: 'a wet neon street', style_notes: 'cinematic', negative_prompt: 'text',
  setting: 'street', shot_type: 'wide', mood: 'tense', color_palette: ['#112233'], motion_prompt: 'slow push in',
  generated_by_model: null, cost_usd: null, created_at: now, updated_at: now,
};

const fastRetry = { sleep: async () => undefined };
const KLING = 'kwaivgi/kling-v2.1-master';
// about $0.28 per second of video (cited in the kling fixture)
const KLING_PRICE = { [KLING]: { perVideoSecond: { '1080p': 0.28 } } };

async function probe(path: string): Promise<{ width: number; height: number; fps: string; frames: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=width,height,r_frame_rate,nb_read_frames', '-of', 'json', path]);
  const s = JSON.parse(stdout).streams[0];
  return { width: s.width, height: s.height, fps: s.r_frame_rate, frames: Number(s.nb_read_frames) };
}

describe('Replicate generators against the fake Replicate', () => {
  let fake: FakeReplicate;
  let dir: string;
  let stillPath: string;
  let portraitStill: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-rep-'));
    stillPath = join(dir, 'still.png');
    await writeFile(stillPath, makePng(320, 180));
    portraitStill = join(dir, 'portrait.png');
    await writeFile(portraitStill, makePng(180, 320));
    fake = await startFakeReplicate({ prices: { ...(DEFAULT_PRICES as Record<string, never>), ...KLING_PRICE } });
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.scripts.length = 0;
    fake.faults.queue.length = 0;
  });

  const common = () => ({ apiToken: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 5, allowLoopbackHttp: true, retry: fastRetry, retryDelayMs: 0, lostCreateDelayMs: 0 });
  const imageInput = (take: number, extra: Record<string, unknown> = {}) => ({
    scene, prompt, width: 1280, height: 720, seed: 42, take, outPath: join(dir, `img-${take}-${Math.random()}.png`), ...extra,
  });
  const clipInput = (extra: Partial<ClipInput> = {}): ClipInput => ({
    scene, imagePath: stillPath, motionPrompt: 'slow push in', frameCount: 150, fps: 24, width: 1280, height: 720, seed: 3, take: 1, outPath: join(dir, `clip-${Math.random()}.mp4`), ...extra,
  });
  const clipGen = (extra: Partial<ReplicateClipOptions> = {}) => createReplicateClipGenerator({ ...common(), prices: buildPriceTable(KLING_PRICE), ...extra });

  test('image: id stored before polling, output in the model size copied, cost equals what was billed', async () => {
    const gen = createReplicateImageGenerator(common());
    const stored: string[] = [];
    const attempts: TakeAttempt[] = [];
    fake.scripts.push({ polls: 3 });
    const res = await gen.generate(
      imageInput(1, {
        onPrediction: async (id: string) => {
          stored.push(id);
          assert.equal(fake.predictions.get(id)?.polls, 0, 'stored before any poll');
        },
        onAttempt: async (a: TakeAttempt) => void attempts.push(a),
      }),
      {},
    );
    assert.equal(stored.length, 1);
    assert.equal(res.predictionId, stored[0]);
    assert.equal(res.model, 'minimax/image-01');
    const p = fake.predictions.get(stored[0]!)!;
    assert.equal(p.input['aspect_ratio'], '16:9');
    assert.equal(p.input['prompt'], 'a wet neon street. cinematic');
    assert.equal(p.input['prompt_optimizer'], false);
    const png = await readFile(res.path);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1280, 720], 'minimax 16:9 is 1280×720');
    assert.equal(res.costUsd, p.billedUsd);
    assert.ok(res.costUsd > 0);
    assert.deepEqual(attempts.map((a) => [a.prediction_id, a.status, a.cost_usd]), [[p.id, 'succeeded', p.billedUsd]]);
  });

  test('resume with a stored id re-attaches and creates no second prediction', async () => {
    const id = fake.seed({ status: 'processing', model: 'minimax/image-01', polls: 2 });
    const before = fake.creates();
    const gen = createReplicateImageGenerator(common());
    let reported = 0;
    const res = await gen.generate(imageInput(2, { resumePredictionId: id, onPrediction: async () => void reported++ }), {});
    assert.equal(fake.creates(), before);
    assert.equal(reported, 0);
    assert.equal(res.predictionId, id);
    const res2 = await gen.generate(imageInput(3, { resumePredictionId: id }), {});
    assert.equal(fake.creates(), before);
    assert.equal(res2.predictionId, id);
  });

  test('resume of a failed / canceled / expired prediction creates exactly one new one and reports it', async () => {
    const gen = createReplicateImageGenerator(common());
    for (const seedSpec of [
      { status: 'failed', model: 'minimax/image-01' },
      { status: 'canceled', model: 'minimax/image-01' },
      { status: 'succeeded', model: 'minimax/image-01', dataRemoved: true },
    ]) {
      const old = fake.seed(seedSpec);
      const before = fake.creates();
      const reported: string[] = [];
      const res = await gen.generate(imageInput(4, { resumePredictionId: old, onPrediction: async (id: string) => void reported.push(id) }), {});
      assert.equal(fake.creates(), before + 1, seedSpec.status);
      assert.equal(reported.length, 1);
      assert.notEqual(res.predictionId, old);
      assert.equal(res.predictionId, reported[0]);
    }
    const expired = fake.seed({ status: 'succeeded', model: 'minimax/image-01', output: '404' });
    const beforeExpired = fake.creates();
    const reported: string[] = [];
    const r = await gen.generate(imageInput(4, { resumePredictionId: expired, onPrediction: async (id: string) => void reported.push(id) }), {});
    assert.equal(fake.creates(), beforeExpired + 1);
    assert.deepEqual(reported, [r.predictionId]);
    const before = fake.creates();
    await gen.generate(imageInput(5, { resumePredictionId: 'gone-id' }), {});
    assert.equal(fake.creates(), before + 1);
  });

  test('a permanent failure is not retried and says what fixes it: safety filter (E005), model error, cancel', async () => {
    const gen = createReplicateImageGenerator(common());
    const cases = [
      { script: { final: 'failed' as const, error: 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)' }, reason: 'safety', message: /refused by the safety filter.*E005/, hint: /Rewrite the scene's image or motion prompt/ },
      { script: { final: 'failed' as const, error: 'ValueError: unsupported pixel layout' }, reason: 'model', message: /failed: ValueError/, hint: /new take/ },
      { script: { final: 'canceled' as const }, reason: 'canceled', message: /canceled/, hint: /canceled on Replicate/ },
    ];
    for (const c of cases) {
      fake.scripts.push(c.script);
      const before = fake.creates();
      const attempts: TakeAttempt[] = [];
      await assert.rejects(gen.generate(imageInput(6, { onAttempt: async (a: TakeAttempt) => void attempts.push(a) }), {}), (e: unknown) => {
        assert.ok(e instanceof OmveeError);
        assert.match(e.message, c.message);
        assert.match(e.hint ?? '', c.hint);
        assert.equal(e.details?.['reason'], c.reason);
        assert.ok(e.details?.['predictionId']);
        return true;
      });
      assert.equal(fake.creates(), before + 1, `${c.reason}: one attempt only`);
      assert.equal(attempts.length, 1);
      assert.equal(attempts[0]!.transient, false);
    }
  });

  test('429 storm on create honours Retry-After and creates once; 5xx on polls is retried', async () => {
    const sleeps: number[] = [];
    const gen = createReplicateImageGenerator({ ...common(), retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 } });
    fake.faults.push({ route: 'create', kind: 'status', status: 429, retryAfter: '2', times: 2 }, { route: 'get', kind: 'status', status: 502 });
    const before = fake.creates();
    const res = await gen.generate(imageInput(7), {});
    assert.equal(fake.creates(), before + 1);
    assert.ok(res.predictionId);
    assert.deepEqual(sleeps, [2000, 2000, 0]);
    assert.ok(fake.faults.fired.includes('get:502'));
  });

  test('429 past the bound stops with a clear error and is not hammered by the SDK', async () => {
    const gen = createReplicateImageGenerator({ ...common(), retry: { maxAttempts: 3, sleep: async () => undefined } });
    fake.faults.push({ route: 'create', kind: 'status', status: 429, retryAfter: '1', times: 10 });
    const hitsBefore = fake.requests.filter((r) => r.method === 'POST').length;
    await assert.rejects(gen.generate(imageInput(8), {}), (e: unknown) => e instanceof OmveeError && /HTTP 429/.test(e.message));
    assert.equal(fake.requests.filter((r) => r.method === 'POST').length - hitsBefore, 3, 'exactly maxAttempts requests');
    fake.faults.queue.length = 0;
  });

  test('permanent errors: bad token (401), out of credit (402) are not retried', async () => {
    const bad = createReplicateImageGenerator({ ...common(), apiToken: 'r8_wrong_token_123456' });
    const n = fake.requests.length;
    await assert.rejects(bad.generate(imageInput(9), {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'provider_auth');
      assert.match(e.hint ?? '', /REPLICATE_API_TOKEN/);
      assert.doesNotMatch(e.message, /r8_wrong/);
      return true;
    });
    assert.equal(fake.requests.length - n, 1, 'the schema read was refused; nothing else was tried');
    const gen = createReplicateImageGenerator(common());
    fake.faults.push({ route: 'create', kind: 'status', status: 402, body: { detail: 'You have insufficient credit' } });
    await assert.rejects(gen.generate(imageInput(9), {}), (e: unknown) => e instanceof OmveeError && e.code === 'provider_quota');
  });

  test('an input the schema refuses is refused BEFORE any paid create (creates: 0), naming the field and its values', async () => {
    const before = fake.creates();
    const posts = fake.requests.filter((r) => r.method === 'POST' && /predictions$/.test(r.path)).length;
    await assert.rejects(clipGen({ resolution: '4k' }).generate(clipInput(), {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'invalid_input');
      assert.match(e.message, /resolution/);
      assert.match(e.message, /nothing was sent or paid/);
      assert.match(e.hint ?? '', /"480p", "720p", "1080p"/);
      return true;
    });
    assert.equal(fake.creates() - before, 0);
    assert.equal(fake.requests.filter((r) => r.method === 'POST' && /predictions$/.test(r.path)).length, posts, 'no create was even sent');
  });

  test('the fake answers a bad create with 422 "Input validation failed" and invalid_fields, as Replicate does', async () => {
    const res = await fetch(`${fake.baseUrl}/models/bytedance/seedance-1-lite/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { image: 'https://e/x.png', duration: 13, resolution: '4k' } }),
    });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { title: string; status: number; detail: string; invalid_fields: { type: string; field: string }[] };
    assert.equal(body.title, 'Input validation failed');
    assert.equal(body.status, 422);
    assert.deepEqual(body.invalid_fields.map((f: { type: string; field: string }) => `${f.type} ${f.field}`), ['required input', 'number_lte input.duration', 'enum input.resolution']);
    assert.match(body.detail, /- input: prompt is required\n- input.duration: Must be less than or equal to 12\n/);
  });

  test('bad outputs: 404 (expired), too large, wrong type', async () => {
    const gen = createReplicateImageGenerator({ ...common(), downloadMaxBytes: 1_000_000 });
    fake.scripts.push({ output: '404' }, { output: 'huge' }, { output: 'wrongtype' });
    const out = join(dir, 'img-bad.png');
    await assert.rejects(gen.generate(imageInput(10, { outPath: out }), {}), /output URL expired or missing/);
    await assert.rejects(gen.generate(imageInput(10, { outPath: out }), {}), /too large/);
    await assert.rejects(gen.generate(imageInput(10, { outPath: out }), {}), /content type "text\/html"/);
    await assert.rejects(readFile(out), { code: 'ENOENT' });
  });

  test('a prediction that never finishes times out without being canceled', async () => {
    const gen = createReplicateImageGenerator({ ...common(), timeoutMs: 60 });
    fake.scripts.push({ stuck: true });
    let id = '';
    await assert.rejects(gen.generate(imageInput(11, { onPrediction: async (x: string) => void (id = x) }), {}), /still (starting|processing)/);
    assert.notEqual(fake.predictions.get(id)?.status, 'canceled');
    assert.equal(await cancelPrediction({ apiToken: fake.token, baseUrl: fake.baseUrl }, id), 'canceled');
  });

  test('failure to store the id cancels the new prediction', async () => {
    const gen = createReplicateImageGenerator(common());
    const before = new Set(fake.predictions.keys());
    await assert.rejects(gen.generate(imageInput(12, { onPrediction: async () => { throw new Error('store down'); } }), {}), /store down/);
    const created = [...fake.predictions.values()].filter((p) => !before.has(p.id));
    assert.equal(created.length, 1);
    assert.equal(created[0]!.status, 'canceled');
  });

  test('seedance clip: a 7.3 s scene is bought as 8 s (not 10), 720p, the real 1248×704 24 fps output copied, cost == billed', async () => {
    let id = '';
    const res = await clipGen().generate(clipInput({ frameCount: 219, fps: 30, onPrediction: async (x) => void (id = x) }), {});
    const p = fake.predictions.get(id)!;
    assert.equal(p.input['duration'], 8, '219 frames at 30 fps = 7.3 s → 8');
    assert.equal(p.input['resolution'], '720p');
    assert.equal(p.input['fps'], 24);
    assert.match(String(p.input['image']), /^data:image\/png;base64,/, 'a small still is inlined');
    assert.equal(res.normalized, false);
    assert.deepEqual(res.asked, { durationS: 8, resolution: '720p', fps: 24 });
    assert.equal(res.costUsd, p.billedUsd);
    assert.equal(res.costUsd, 0.288);
    assert.deepEqual(await probe(res.path), { width: 1248, height: 704, fps: '24/1', frames: 193 });
  });

  test('a 9:16 project (720×1280) is bought at 720p — the short side — and comes back 704×1248', async () => {
    let id = '';
    const res = await clipGen().generate(clipInput({ imagePath: portraitStill, width: 720, height: 1280, frameCount: 96, fps: 24, onPrediction: async (x) => void (id = x) }), {});
    const p = fake.predictions.get(id)!;
    assert.equal(p.input['resolution'], '720p');
    assert.equal(p.input['aspect_ratio'], '9:16');
    assert.equal(p.input['duration'], 4);
    const v = await probe(res.path);
    assert.deepEqual([v.width, v.height], [704, 1248]);
  });

  test('kling by configuration alone: start_image, duration 10 for 7.3 s, negative prompt field, 1080p output one frame long, cost == billed', async () => {
    let id = '';
    const gen = clipGen({ model: KLING });
    assert.equal(gen.model, KLING);
    const res = await gen.generate(clipInput({ frameCount: 219, fps: 30, onPrediction: async (x) => void (id = x) }), {});
    const p = fake.predictions.get(id)!;
    assert.equal(p.model, KLING);
    assert.match(String(p.input['start_image']), /^data:image\/png;base64,/, 'the still is the first frame, in kling’s own field');
    assert.equal(p.input['image'], undefined);
    assert.equal(p.input['duration'], 10);
    assert.equal(p.input['aspect_ratio'], '16:9');
    assert.equal(p.input['resolution'], undefined, 'kling-v2.1-master takes no resolution');
    assert.equal(res.costUsd, p.billedUsd);
    assert.equal(res.costUsd, 2.8);
    assert.deepEqual(await probe(res.path), { width: 1920, height: 1080, fps: '24/1', frames: 241 });
  });

  test("a running clip's progress comes from the model's tqdm lines, rising to the end", async () => {
    fake.scripts.push({ polls: 5 });
    const seen: number[] = [];
    await clipGen().generate(clipInput({ frameCount: 120, fps: 24 }), { progress: (f) => seen.push(f) });
    assert.ok(seen.length >= 4, `one report per poll: ${JSON.stringify(seen)}`);
    assert.ok(seen.some((f) => f > 0 && f < 1), `inside the prediction: ${JSON.stringify(seen)}`);
    for (let i = 1; i < seen.length; i += 1) assert.ok(seen[i]! >= seen[i - 1]!, `never backwards: ${JSON.stringify(seen)}`);
    assert.equal(seen.at(-1), 1);
  });

  test('a transient failure storm (out of memory, interrupted) still ends in correct clips; every attempt recorded with its cost', async () => {
    const gen = clipGen({ maxTransientRetries: 2 });
    const OOM = 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity)';
    const PA = 'Prediction interrupted; please retry (code: PA)';
    // scene 1: OOM, OOM, ok — scene 2: interrupted, ok — scene 3: ok (run one after another)
    fake.scripts.push({ final: 'failed', error: OOM }, { final: 'failed', error: OOM }, {}, { final: 'failed', error: PA }, {}, {});
    const before = fake.creates();
    const billedBefore = fake.billedUsd();
    const results = [];
    const attempts: TakeAttempt[][] = [];
    for (let i = 0; i < 3; i++) {
      const mine: TakeAttempt[] = [];
      attempts.push(mine);
      results.push(await gen.generate(clipInput({ frameCount: 96, onAttempt: async (a) => void mine.push(a) }), {}));
    }
    assert.equal(fake.creates() - before, 6, 'each failure was a new prediction');
    assert.deepEqual(attempts.map((a) => a.map((x) => `${x.status}${x.transient ? '*' : ''}`)), [['failed*', 'failed*', 'succeeded'], ['failed*', 'succeeded'], ['succeeded']]);
    for (const r of results) assert.deepEqual(await probe(r.path), { width: 1248, height: 704, fps: '24/1', frames: 97 });
    const total = results.reduce((s, r) => s + r.costUsd, 0);
    assert.ok(Math.abs(total - (fake.billedUsd() - billedBefore)) < 1e-9, 'what omvee counts is what was billed');
  });

  test('transient failures past the bound fail the take with a reason; the error names the attempts', async () => {
    const gen = clipGen({ maxTransientRetries: 2 });
    for (let i = 0; i < 3; i++) fake.scripts.push({ final: 'failed', error: 'Director: unexpected error handling prediction (E9828)' });
    const before = fake.creates();
    await assert.rejects(gen.generate(clipInput(), {}), (e: unknown) => e instanceof OmveeError && /after 3 attempts/.test(e.message) && e.details?.['reason'] === 'transient' && /Rerun later/.test(e.hint ?? ''));
    assert.equal(fake.creates() - before, 3, '1 + 2 retries, no more');
  });

  test('a create whose answer is dropped is FOUND by listing predictions and re-attached (creates: 1)', async () => {
    const notes: string[] = [];
    // other predictions exist, so the lost one must be picked out by model and input
    await clipGen().generate(clipInput({ seed: 11 }), {});
    await createReplicateImageGenerator(common()).generate(imageInput(20), {});
    fake.faults.push({ route: 'create', kind: 'drop' });
    const before = fake.creates();
    const stored: string[] = [];
    const res = await clipGen().generate(clipInput({ seed: 12, onPrediction: async (x) => void stored.push(x) }), { log: (m) => notes.push(m) });
    assert.equal(fake.creates() - before, 1, 'paid once');
    assert.ok(fake.faults.fired.includes('create:drop'));
    assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path === '/v1/predictions'), 'recent predictions were listed');
    assert.deepEqual(stored, [res.predictionId]);
    assert.equal(fake.predictions.get(res.predictionId!)!.input['seed'], 12);
    assert.match(notes.join('\n'), /found prediction \w+ .*re-attached, nothing paid twice/);
  });

  test('a lost create is found across pages, when list results come without their input', async () => {
    const paged = await startFakeReplicate({ prices: DEFAULT_PRICES as never, listPageSize: 2, listOmitsInput: true });
    try {
      const gen = createReplicateImageGenerator({ ...common(), apiToken: paged.token, baseUrl: paged.baseUrl, lostCreateDelayMs: 300 });
      paged.faults.push({ route: 'create', kind: 'drop' });
      const pending = gen.generate(imageInput(31, { seed: 77 }), {});
      // while omvee waits before looking, three newer predictions of the same model land: the lost one is on page 2
      while (!paged.faults.fired.includes('create:drop')) await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 3; i++) paged.seed({ status: 'succeeded', model: 'minimax/image-01', input: { prompt: `another scene ${i}`, aspect_ratio: '16:9', number_of_images: 1, prompt_optimizer: false } });
      const found = await pending;
      assert.equal(paged.creates(), 1, 'paid once');
      assert.equal(paged.predictions.get(found.predictionId!)!.input['prompt'], 'a wet neon street. cinematic');
      assert.ok(paged.requests.filter((r) => r.method === 'GET' && r.path === '/v1/predictions').length >= 2, 'a second page was read');
      assert.ok(paged.requests.filter((r) => r.method === 'GET' && /^\/v1\/predictions\/\w+$/.test(r.path)).length >= 3, 'candidates without input were read in full');
    } finally {
      await paged.close();
    }
  });

  test('a create that never landed (the connection hung before it) is looked for, not found, and made once', async () => {
    const gen = createReplicateImageGenerator({ ...common(), requestTimeoutMs: 300 });
    fake.faults.push({ route: 'create', kind: 'hang' });
    const before = fake.creates();
    const notes: string[] = [];
    const res = await gen.generate(imageInput(40, { prompt: { ...prompt, image_prompt: 'a harbour at dawn' } }), { log: (m) => notes.push(m) });
    assert.ok(res.predictionId);
    assert.equal(fake.creates() - before, 1);
    assert.match(notes.join('\n'), /no prediction was made by the lost create; creating it now/);
  });

  test('a lost create never takes another take’s prediction, even with the same input (models without a seed)', async () => {
    const gen = createReplicateImageGenerator(common());
    const same = { prompt: { ...prompt, image_prompt: 'a lighthouse in fog' } };
    const first = await gen.generate(imageInput(41, same), {}); // take 1, finished
    fake.faults.push({ route: 'create', kind: 'hang' });
    const before = fake.creates();
    const second = await createReplicateImageGenerator({ ...common(), requestTimeoutMs: 300 }).generate(imageInput(42, { ...same, knownPredictionIds: [first.predictionId!] }), {});
    assert.notEqual(second.predictionId, first.predictionId);
    assert.equal(fake.creates() - before, 1);
  });

  test('a still over 1 MB is uploaded with the Files API; the file URL is the first frame', async () => {
    const big = join(dir, 'big.png');
    await writeFile(big, makeNoisePng(1024, 576));
    assert.ok((await readFile(big)).length > 1024 * 1024);
    let id = '';
    const filesBefore = fake.files.size;
    await clipGen().generate(clipInput({ imagePath: big, frameCount: 48, onPrediction: async (x) => void (id = x) }), {});
    assert.equal(fake.files.size - filesBefore, 1);
    const image = String(fake.predictions.get(id)!.input['image']);
    assert.match(image, new RegExp(`^${fake.baseUrl}/files/\\w+$`));
    const file = fake.files.get(image.split('/').pop()!)!;
    assert.deepEqual(file.bytes, await readFile(big));
  });

  test('when the upload is refused, a large still is re-encoded under 1 MB and inlined — never a data URL over 1 MB', async () => {
    const big = join(dir, 'big2.png');
    await writeFile(big, makeNoisePng(1280, 720, 7));
    fake.faults.push({ route: 'files', kind: 'status', status: 413, body: { detail: 'file too large' } });
    let id = '';
    const notes: string[] = [];
    await clipGen().generate(clipInput({ imagePath: big, frameCount: 48, onPrediction: async (x) => void (id = x) }), { log: (m) => notes.push(m) });
    const image = String(fake.predictions.get(id)!.input['image']);
    assert.match(image, /^data:image\/jpeg;base64,/);
    assert.ok(Buffer.from(image.split(',')[1]!, 'base64').length <= 1024 * 1024);
    assert.match(notes.join('\n'), /refused the upload .* sending a smaller copy inline/);
  });

  test('a prompt over the model’s limit is cut at a word boundary with a note (minimax: 1500 characters)', async () => {
    const long = { ...prompt, image_prompt: Array.from({ length: 300 }, (_, i) => `street${i}`).join(' '), style_notes: null };
    const notes: string[] = [];
    let id = '';
    await createReplicateImageGenerator(common()).generate(imageInput(50, { prompt: long, onPrediction: async (x: string) => void (id = x) }), { log: (m) => notes.push(m) });
    const sent = String(fake.predictions.get(id)!.input['prompt']);
    assert.ok(sent.length <= 1500 && sent.length > 1400, `${sent.length}`);
    assert.ok(long.image_prompt.startsWith(sent) && long.image_prompt[sent.length] === ' ', 'cut between words');
    assert.match(notes.join('\n'), /prompt shortened from \d+ to \d+ characters/);
  });

  test('hardware-time models: cost from metrics.predict_time equals billed (a model known only by its schema)', async () => {
    const schema = { openapi: '3.0.2', components: { schemas: { Input: { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' }, width: { type: 'integer', minimum: 64, maximum: 2048 }, height: { type: 'integer', minimum: 64, maximum: 2048 }, seed: { type: 'integer' } } }, Output: { type: 'string', format: 'uri' } } } };
    const prices = buildPriceTable({ 'acme/custom-image': { perPredictSecond: 0.0014 } });
    const fake2 = await startFakeReplicate({ prices: { 'acme/custom-image': { perPredictSecond: 0.0014 } }, models: [{ owner: 'acme', name: 'custom-image', latest_version: { id: 'v1', openapi_schema: schema } }] });
    try {
      const gen = createReplicateImageGenerator({ apiToken: fake2.token, baseUrl: fake2.baseUrl, model: 'acme/custom-image', prices, pollIntervalMs: 1, allowLoopbackHttp: true });
      let total = 0;
      for (let t = 1; t <= 3; t++) total += (await gen.generate(imageInput(20 + t), {})).costUsd;
      assert.ok(Math.abs(total - fake2.billedUsd()) < 1e-9, `${total} vs ${fake2.billedUsd()}`);
      const p = [...fake2.predictions.values()][0]!;
      assert.equal(p.input['width'], 1280);
      assert.equal(p.input['seed'], 42);
    } finally {
      await fake2.close();
    }
  });

  test('concurrency is bounded per generator', async () => {
    const gen = createReplicateImageGenerator({ ...common(), concurrency: 2 });
    for (let i = 0; i < 5; i++) fake.scripts.push({ polls: 3 });
    let inFlight = 0;
    let maxInFlight = 0;
    const jobs = Array.from({ length: 5 }, (_, i) =>
      gen.generate(imageInput(30 + i, { onPrediction: async () => { inFlight++; maxInFlight = Math.max(maxInFlight, inFlight); } }), {}).then(() => inFlight--),
    );
    await Promise.all(jobs);
    assert.equal(maxInFlight, 2);
  });
});

describe('input mapping', () => {
  test('aspect ratio, clip duration and resolution choices', () => {
    assert.equal(nearestAspectRatio(1280, 720, ['1:1', '16:9', '4:3']), '16:9');
    assert.equal(nearestAspectRatio(1080, 1920, ['1:1', '16:9', '9:16']), '9:16');
    assert.equal(nearestAspectRatio(1000, 1000, ['16:9', '1:1']), '1:1');
    assert.deepEqual(chooseClipDuration(5, [5, 10]), { durationS: 5, short: false });
    assert.deepEqual(chooseClipDuration(5.01, [10, 5]), { durationS: 10, short: false });
    assert.deepEqual(chooseClipDuration(12, [5, 10]), { durationS: 10, short: true });
    assert.equal(chooseResolution(1280, 720, ['480p', '720p', '1080p']), '720p');
    assert.equal(chooseResolution(720, 1280, ['480p', '720p', '1080p']), '720p', 'the p names the short side: 9:16 720x1280 is 720p');
    assert.equal(chooseResolution(711, 400, ['480p', '720p']), '480p');
    assert.equal(chooseResolution(3840, 2160, ['480p', '720p']), '720p');
  });
});
