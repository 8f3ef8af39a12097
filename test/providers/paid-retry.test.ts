// A request that starts paid work (creating a Replicate prediction) is sent again only when the
// failure proves nothing was started: a second prediction would be billed and never found.
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
  const generate = (requestTimeoutMs = 5000) =>
    createReplicateImageGenerator({ apiToken: fake.token, baseUrl: fake.baseUrl, pollIntervalMs: 5, allowLoopbackHttp: true, requestTimeoutMs, retry: { sleep: async () => undefined } }).generate(
      { scene, prompt, width: 1280, height: 720, seed: 1, take: 1, outPath: join(dir, `out-${Math.random()}.png`) },
      {},
    );

  test('a 502 on create is not retried', async () => {
    fake.faults.push({ route: 'create', kind: 'status', status: 502 });
    await assert.rejects(generate(), (e: unknown) => e instanceof OmveeError);
    assert.equal(createPosts(), 1);
  });

  test('a create that times out is not sent again, and the error says why', async () => {
    fake.faults.push({ route: 'create', kind: 'hang' });
    await assert.rejects(generate(300), (e: unknown) => e instanceof OmveeError && /not sent again/.test(e.message));
    assert.equal(createPosts(), 1);
  });

  test('429 and 503 prove nothing started: create is retried and succeeds', async () => {
    fake.faults.push({ route: 'create', kind: 'status', status: 429, retryAfter: '0' }, { route: 'create', kind: 'status', status: 503 });
    const result = await generate();
    assert.ok(result.predictionId);
    assert.equal(createPosts(), 3);
  });
});
