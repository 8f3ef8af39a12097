import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';
import { makeMp4, makePng } from '../support/fake-replicate/media.ts';
import { cancelPrediction, createReplicateClipGenerator, createReplicateImageGenerator } from '../../src/providers/replicate/generators.ts';
import { nearestAspectRatio } from '../../src/providers/replicate/inputs.ts';
import { chooseClipDuration, chooseResolution } from '../../src/core/cost/clip-plan.ts';
import { DEFAULT_PRICES, buildPriceTable } from '../../src/providers/cost.ts';
import { OmveeError } from '../../src/core/errors.ts';
import type { Scene, ScenePrompt } from '../../src/core/model.ts';

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

describe('Replicate generators against the fake Replicate', () => {
  let fake: FakeReplicate;
  let dir: string;
  let stillPath: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-rep-'));
    const png = makePng(32, 18);
    stillPath = join(dir, 'still.png');
    await writeFile(stillPath, png);
    fake = await startFakeReplicate({ png, mp4: await makeMp4(dir, 1), prices: DEFAULT_PRICES as never });
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.scripts.length = 0;
    fake.faults.queue.length = 0;
  });

  const common = () => ({ apiToken: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 5, allowLoopbackHttp: true, retry: fastRetry });
  const imageInput = (take: number, extra: Record<string, unknown> = {}) => ({
    scene, prompt, width: 1280, height: 720, seed: 42, take, outPath: join(dir, `img-${take}.png`), ...extra,
  });

  test('image: id stored before polling, output copied, cost equals what was billed', async () => {
    const gen = createReplicateImageGenerator(common());
    const stored: string[] = [];
    fake.scripts.push({ polls: 3 });
    const res = await gen.generate(
      imageInput(1, {
        onPrediction: async (id: string) => {
          stored.push(id);
          assert.equal(fake.predictions.get(id)?.polls, 0, 'stored before any poll');
        },
      }),
      {},
    );
    assert.equal(stored.length, 1);
    assert.equal(res.predictionId, stored[0]);
    assert.equal(res.model, 'minimax/image-01');
    assert.deepEqual(await readFile(res.path), makePng(32, 18));
    const p = fake.predictions.get(stored[0]!)!;
    assert.equal(p.input['aspect_ratio'], '16:9');
    assert.equal(p.input['prompt'], 'a wet neon street. cinematic');
    assert.equal(res.costUsd, p.billedUsd);
    assert.ok(res.costUsd > 0);
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
    // a stored prediction that already succeeded is reused too (no new payment)
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
    // a stored success whose output file has since been deleted (404)
    const expired = fake.seed({ status: 'succeeded', model: 'minimax/image-01', output: '404' });
    const beforeExpired = fake.creates();
    const reported: string[] = [];
    const r = await gen.generate(imageInput(4, { resumePredictionId: expired, onPrediction: async (id: string) => void reported.push(id) }), {});
    assert.equal(fake.creates(), beforeExpired + 1);
    assert.deepEqual(reported, [r.predictionId]);
    // an id Replicate no longer knows (404) as well
    const before = fake.creates();
    await gen.generate(imageInput(5, { resumePredictionId: 'gone-id' }), {});
    assert.equal(fake.creates(), before + 1);
  });

  test('predictions that fail, cancel or abort end in a clear error carrying the id', async () => {
    const gen = createReplicateImageGenerator(common());
    for (const final of ['failed', 'canceled', 'aborted'] as const) {
      fake.scripts.push({ final, error: final === 'failed' ? 'NSFW content detected' : undefined });
      await assert.rejects(gen.generate(imageInput(6), {}), (e: unknown) => {
        assert.ok(e instanceof OmveeError);
        assert.equal(e.code, 'provider');
        assert.match(e.message, new RegExp(`prediction \\w+ ${final}`));
        if (final === 'failed') assert.match(e.message, /NSFW/);
        assert.ok(e.details?.['predictionId']);
        return true;
      });
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

  test('permanent errors: bad token (401), out of credit (402), bad input (422) are not retried', async () => {
    const bad = createReplicateImageGenerator({ ...common(), apiToken: 'r8_wrong_token_123456' });
    const n = fake.requests.length;
    await assert.rejects(bad.generate(imageInput(9), {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'provider_auth');
      assert.match(e.hint ?? '', /REPLICATE_API_TOKEN/);
      assert.doesNotMatch(e.message, /r8_wrong/);
      return true;
    });
    assert.equal(fake.requests.length - n, 1);
    const gen = createReplicateImageGenerator(common());
    fake.faults.push({ route: 'create', kind: 'status', status: 402, body: { detail: 'You have insufficient credit' } });
    await assert.rejects(gen.generate(imageInput(9), {}), (e: unknown) => e instanceof OmveeError && e.code === 'provider_quota');
    // force a resolution the model does not accept: the server answers 422
    const badRes = createReplicateClipGenerator({ ...common(), resolution: '4k' });
    await assert.rejects(
      badRes.generate({ scene, imagePath: stillPath, motionPrompt: 'x', frameCount: 120, fps: 24, width: 1280, height: 720, seed: 1, take: 1, outPath: join(dir, 'c.mp4') }, {}),
      (e: unknown) => e instanceof OmveeError && e.code === 'provider' && /422/.test(e.message) && /resolution/.test(e.message),
    );
  });

  test('bad outputs: 404 (expired), too large, wrong type', async () => {
    const gen = createReplicateImageGenerator({ ...common(), downloadMaxBytes: 1_000_000 });
    fake.scripts.push({ output: '404' }, { output: 'huge' }, { output: 'wrongtype' });
    await assert.rejects(gen.generate(imageInput(10), {}), /output URL expired or missing/);
    await assert.rejects(gen.generate(imageInput(10), {}), /too large/);
    await assert.rejects(gen.generate(imageInput(10), {}), /content type "text\/html"/);
    await assert.rejects(readFile(join(dir, 'img-10.png')), { code: 'ENOENT' });
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

  test('clip: smallest allowed duration ≥ the scene, 720p, real mp4 copied, cost == billed', async () => {
    const gen = createReplicateClipGenerator(common());
    let id = '';
    const res = await gen.generate(
      { scene, imagePath: stillPath, motionPrompt: 'slow push in', frameCount: 150, fps: 24, width: 1280, height: 720, seed: 3, take: 1, outPath: join(dir, 'clip.mp4'), onPrediction: async (x) => void (id = x) },
      {},
    );
    const p = fake.predictions.get(id)!;
    assert.equal(p.input['duration'], 10, '150 frames at 24 fps = 6.25 s → 10');
    assert.equal(p.input['resolution'], '720p');
    assert.match(String(p.input['image']), /^data:image\/png;base64,/);
    assert.equal(res.normalized, false);
    assert.equal(res.costUsd, p.billedUsd);
    assert.equal(res.costUsd, 0.36);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', res.path]);
    assert.equal(stdout.trim(), 'h264');
  });

  test('hardware-time models: cost from metrics.predict_time equals billed', async () => {
    const prices = buildPriceTable({ 'acme/custom-image': { perPredictSecond: 0.0014 } });
    const fake2 = await startFakeReplicate({ png: makePng(), mp4: Buffer.alloc(0), prices: { 'acme/custom-image': { perPredictSecond: 0.0014 } } });
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
