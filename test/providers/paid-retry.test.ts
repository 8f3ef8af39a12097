// A request that starts paid work (creating a Replicate prediction) is sent again only when the
// failure proves nothing was started, or after Replicate was searched (GET /v1/predictions) and
// holds no prediction made by it: a second prediction would be billed twice.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import type { Scene, ScenePrompt } from '../../src/core/model.ts';
import { DEFAULT_PRICES } from '../../src/providers/cost.ts';
import { createReplicateImageGenerator } from '../../src/providers/replicate/generators.ts';
import { makeMp4, makePng } from '../support/fake-replicate/media.ts';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';

const now = new Date().toISOString();
const scene = { id: 's1', project_id: 'p1', order_idx: 0, start_time_s: 0, end_time_s: 5, title: 't', theme: 'night', lyric_excerpt: 'x', energy: 0.5, artist_id: null, artist_role: 'none', generated_by_model: null, created_at: now, updated_at: now } as Scene;
const prompt = { id: 'pr1', project_id: 'p1', scene_id: 's1', image_prompt: 'a street', style_notes: null, negative_prompt: null, setting: null, shot_type: null, mood: null, color_palette: null, motion_prompt: null, generated_by_model: null, cost_usd: null, created_at: now, updated_at: now } as ScenePrompt;

describe('paid requests are never sent twice on an ambiguous failure', () => {
  let fake: FakeReplicate;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-paid-'));
    fake = await startFakeReplicate({ png: makePng(32, 18), mp4: await makeMp4(dir, 1), prices: DEFAULT_PRICES as never });
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.faults.queue.length = 0;
    fake.requests.length = 0;
  });

  const createPosts = () => fake.requests.filter((r) => r.method === 'POST' && /\/predictions$/.test(r.path)).length;
  // a different prompt each time: minimax has no seed, so equal prompts would be equal inputs
  let n = 0;
  const generate = (requestTimeoutMs = 5000) =>
    createReplicateImageGenerator({ apiToken: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 5, allowLoopbackHttp: true, requestTimeoutMs, lostCreateDelayMs: 0, retry: { sleep: async () => undefined } }).generate(
      { scene, prompt: { ...prompt, image_prompt: `a street, take ${++n}` }, width: 1280, height: 720, seed: 1, take: 1, outPath: join(dir, `out-${Math.random()}.png`) },
      {},
    );

  const lists = () => fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/predictions').length;

  test('a 502 on create is not blindly retried: Replicate is searched first, then the create is made once more', async () => {
    fake.faults.push({ route: 'create', kind: 'status', status: 502 });
    const result = await generate();
    assert.ok(result.predictionId);
    assert.equal(createPosts(), 2);
    assert.equal(lists(), 1, 'looked for the prediction before creating again');
  });

  test('a create whose answer is lost twice is not sent a third time, and the error says why', async () => {
    fake.faults.push({ route: 'create', kind: 'hang' }, { route: 'create', kind: 'hang' });
    await assert.rejects(generate(300), (e: unknown) => e instanceof OmveeError && /not sent again/.test(e.message));
    assert.equal(createPosts(), 2);
    assert.equal(lists(), 1);
  });

  test('429 and 503 prove nothing started: create is retried and succeeds', async () => {
    fake.faults.push({ route: 'create', kind: 'status', status: 429, retryAfter: '0' }, { route: 'create', kind: 'status', status: 503 });
    const result = await generate();
    assert.ok(result.predictionId);
    assert.equal(createPosts(), 3);
  });
});
