import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';
import { makePng } from '../support/fake-replicate/media.ts';
import { checkOpenAiKey, checkOpenRouterKey, checkReplicateToken } from '../../src/providers/doctor-checks.ts';
import { buildPriceTable, DEFAULT_PRICES } from '../../src/providers/cost.ts';
import { llmCallCost, predictionCost, transcriptionCost } from '../../src/core/cost/prices.ts';
import { estimateRunCost } from '../../src/core/cost/estimate.ts';
import { OmveeError } from '../../src/core/errors.ts';

describe('doctor key checks', () => {
  let openai: FakeOpenAi;
  let replicate: FakeReplicate;
  before(async () => {
    openai = await startFakeOpenAi();
    replicate = await startFakeReplicate({ png: makePng(), mp4: Buffer.alloc(0) });
  });
  after(async () => {
    await openai.close();
    await replicate.close();
  });

  test('good keys pass with a useful detail', async () => {
    const a = await checkOpenAiKey({ apiKey: openai.apiKey, baseURL: openai.baseURL });
    assert.deepEqual([a.ok, /2 models/.test(a.detail)], [true, true]);
    const b = await checkOpenRouterKey({ apiKey: openai.apiKey, baseURL: openai.openRouterBaseURL });
    assert.equal(b.ok, true);
    assert.match(b.detail, /\$8\.75/);
    const c = await checkReplicateToken({ apiKey: replicate.token, baseURL: replicate.baseUrl });
    assert.equal(c.ok, true);
    assert.match(c.detail, /omvee-tester/);
  });

  test('bad or missing keys fail without ever showing the key', async () => {
    const bad = 'sk-proj-THISISASECRETKEY123';
    for (const r of [
      await checkOpenAiKey({ apiKey: bad, baseURL: openai.baseURL }),
      await checkOpenRouterKey({ apiKey: bad, baseURL: openai.openRouterBaseURL }),
      await checkReplicateToken({ apiKey: 'r8_THISISASECRETKEY123', baseURL: replicate.baseUrl }),
    ]) {
      assert.equal(r.ok, false);
      assert.match(r.detail, /rejected the credentials \(HTTP 401\)/);
      assert.doesNotMatch(r.detail, /THISISASECRET/);
    }
    assert.deepEqual(await checkOpenAiKey({ apiKey: '' }), { ok: false, detail: 'OPENAI_API_KEY is not set' });
  });

  test('an unreachable server is a failed check, not a crash', async () => {
    const r = await checkOpenAiKey({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', timeoutMs: 500 });
    assert.equal(r.ok, false);
    assert.match(r.detail, /could not reach OpenAI/);
  });
});

describe('cost', () => {
  test('LLM: OpenRouter reported cost wins, else tokens × price', () => {
    const t = buildPriceTable();
    assert.equal(llmCallCost(t, 'gpt-4o-mini', { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }), 0.75);
    assert.equal(llmCallCost(t, 'gpt-4o-mini', { prompt_tokens: 10, completion_tokens: 10, cost: 0.0123 }), 0.0123);
    assert.equal(llmCallCost(t, 'unknown/model', { prompt_tokens: 10 }), 0);
  });

  test('Replicate: per image, per video second by resolution, per predict second', () => {
    const t = buildPriceTable({ 'acme/x': { perPredictSecond: 0.001 } });
    assert.equal(predictionCost(t, 'minimax/image-01', { outputCount: 2 }), 0.02);
    assert.equal(predictionCost(t, 'bytedance/seedance-1-lite', { videoSeconds: 5, resolution: '480p' }), 0.09);
    assert.equal(predictionCost(t, 'bytedance/seedance-1-lite:abc', { videoSeconds: 10, resolution: '720p' }), 0.36);
    assert.equal(predictionCost(t, 'acme/x', { metrics: { predict_time: 12.5 } }), 0.0125);
    assert.equal(transcriptionCost(t, 'whisper-1', 180), 0.018);
  });

  test('overrides are validated', () => {
    assert.equal(buildPriceTable({ 'minimax/image-01': { perImage: 0.5 } })['minimax/image-01']?.perImage, 0.5);
    assert.throws(() => buildPriceTable({ 'minimax/image-01': { perImage: -1 } }), (e: unknown) => e instanceof OmveeError && e.code === 'config');
    assert.throws(() => buildPriceTable({ x: { perImagez: 1 } }), OmveeError);
  });

  test('dry-run estimate adds up per step', () => {
    const est = estimateRunCost(DEFAULT_PRICES, {
      durationS: 180, sceneDurationsS: [4, 6, 9.5, 10, 5], transcriber: 'whisper-1', director: 'gpt-4o-mini',
      images: 'minimax/image-01', clips: 'bytedance/seedance-1-lite', clipResolution: '720p', takes: 2,
    });
    const byStep = Object.fromEntries(est.lines.map((l) => [l.step, l.usd]));
    assert.equal(byStep['transcript'], 0.018);
    assert.equal(byStep['images'], 0.1); // 5 scenes × 2 takes × $0.01
    assert.equal(byStep['clips'], 2.52); // (4 + 6 + 10 + 10 + 5) s × $0.036 × 2 takes: whole seconds 2–12 from seedance's published schema
    assert.ok(Math.abs(est.totalUsd - est.lines.reduce((s, l) => s + l.usd, 0)) < 1e-9);
    assert.match(est.note, /estimate/);
  });
});
