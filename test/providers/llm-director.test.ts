import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeOpenAi, scenesAnswer, promptsAnswer, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { createLlmDirector } from '../../src/providers/llm/llm-director.ts';
import { targetSceneCount } from '../../src/core/timeline/bounds.ts';
import { extractJson } from '../../src/providers/llm/json-answer.ts';
import { validateScenes } from '../../src/core/timeline/index.ts';
import { OmveeError } from '../../src/core/errors.ts';
import type { Scene, Transcript } from '../../src/core/model.ts';
import type { SceneSelectionInput } from '../../src/providers/ports.ts';

const transcript: Transcript = {
  source: 'lrc',
  segments: Array.from({ length: 20 }, (_, i) => ({ start: i * 6, end: i * 6 + 5, text: `lyric line ${i + 1}` })),
};
const input: SceneSelectionInput = { projectName: 'Easy Kill', style: 'neon noir', durationS: 120, transcript, sceneMinS: 5, sceneMaxS: 10 };
const bounds = { durationS: 120, sceneMinS: 5, sceneMaxS: 10 };
const json = (v: unknown) => JSON.stringify(v);

describe('LLM director against the fake OpenAI/OpenRouter', () => {
  let fake: FakeOpenAi;
  let sleeps: number[];
  before(async () => { fake = await startFakeOpenAi({ reportCost: true }); });
  after(async () => { await fake.close(); });
  beforeEach(() => {
    fake.chatScripts.length = 0;
    fake.chatRequests.length = 0;
    fake.billing.length = 0;
    fake.faults.queue.length = 0;
    sleeps = [];
  });
  const director = (extra: Record<string, unknown> = {}) =>
    createLlmDirector({
      provider: 'openrouter',
      apiKey: fake.apiKey,
      baseURL: fake.openRouterBaseURL,
      timeoutMs: 2000,
      retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 },
      ...extra,
    });

  test('clean structured answer: scenes cover the song, schema sent strict, cost == billed (usage.cost)', async () => {
    fake.chatScripts.push({ content: json(scenesAnswer(120, 14)) });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 14);
    assert.deepEqual(validateScenes(res.scenes, bounds), []);
    assert.equal(res.model, 'deepseek/deepseek-v3.1-terminus');
    const req = fake.chatRequests[0]!;
    assert.equal(req.model, 'deepseek/deepseek-v3.1-terminus');
    assert.equal(req.response_format?.type, 'json_schema');
    assert.equal(req.response_format?.json_schema?.strict, true);
    assert.match(req.messages[1]!.content, /\[6\.00–11\.00\] lyric line 2/);
    assert.match(req.messages[1]!.content, /about 12 consecutive scenes/);
    assert.equal(res.costUsd, fake.billedUsd());
    assert.ok(res.costUsd > 0);
  });

  test('fenced JSON wrapped in prose is accepted', async () => {
    fake.chatScripts.push({ content: `Sure! Here is the plan:\n\`\`\`json\n${json(scenesAnswer(120, 12))}\n\`\`\`\nEnjoy.` });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 12);
    assert.equal(fake.chatRequests.length, 1);
  });

  test('gaps, overlaps and times past the end are repaired without asking again', async () => {
    const a = scenesAnswer(120, 12);
    a.scenes[3]!['start_time_s'] = 32; // gap after scene 3 (ends at 30)
    a.scenes[6]!['start_time_s'] = 55; // overlap (scene 6 ends at 60)
    a.scenes[11]!['end_time_s'] = 131; // past the end
    const logs: string[] = [];
    fake.chatScripts.push({ content: `The scenes: ${json(a)}` });
    const res = await director().selectScenes(input, { log: (m) => logs.push(m) });
    assert.deepEqual(validateScenes(res.scenes, bounds), []);
    assert.equal(res.scenes[0]!.start_time_s, 0);
    assert.equal(res.scenes.at(-1)!.end_time_s, 120);
    assert.equal(fake.chatRequests.length, 1);
    assert.ok(logs.some((l) => /repaired/.test(l)));
  });

  test('not JSON, then a good answer: asked once more with the error; both calls costed', async () => {
    fake.chatScripts.push({ content: 'I think the song should open on a rooftop.' }, { content: json(scenesAnswer(120, 12)) });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 12);
    assert.equal(fake.chatRequests.length, 2);
    assert.match(fake.chatRequests[1]!.messages.at(-1)!.content, /could not be used: the answer was not JSON/);
    assert.equal(res.costUsd, fake.billedUsd());
  });

  test('schema-invalid twice ends in a clear error, never broken scenes', async () => {
    fake.chatScripts.push({ content: json({ scenes: [{ start: 0, end: 10 }] }) }, { content: json({ shots: [] }) });
    await assert.rejects(director().selectScenes(input, {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'provider');
      assert.match(e.message, /no usable scenes after 2 answers/);
      assert.ok(e.hint);
      return true;
    });
    assert.equal(fake.chatRequests.length, 2);
  });

  test('a 200 carrying an error is retried; missing choices and empty content are re-asked', async () => {
    fake.chatScripts.push({ raw: { error: { code: 502, message: 'upstream provider error' } } }, { raw: { id: 'x', object: 'chat.completion' } }, { content: json(scenesAnswer(120, 12)) });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 12);
    assert.equal(fake.chatRequests.length, 3);
    assert.match(fake.chatRequests[2]!.messages.at(-1)!.content, /no choices/);
    assert.equal(res.costUsd, fake.billedUsd());
    fake.chatScripts.push({ raw: { error: { code: 402, message: 'Insufficient credits' } } });
    await assert.rejects(director().selectScenes(input, {}), (e: unknown) => e instanceof OmveeError && e.code === 'provider_quota');
  });

  test('429 storm honours Retry-After; 500s are retried; the bound stops it', async () => {
    fake.faults.push({ route: 'chat', kind: 'status', status: 429, retryAfter: '3', times: 2 }, { route: 'chat', kind: 'status', status: 500 });
    fake.chatScripts.push({ content: json(scenesAnswer(120, 12)) });
    await director().selectScenes(input, {});
    assert.deepEqual(sleeps, [3000, 3000, 0]);
    fake.faults.push({ route: 'chat', kind: 'status', status: 503, times: 9 });
    await assert.rejects(director({ maxRetries: 2 }).selectScenes(input, {}), (e: unknown) => e instanceof OmveeError && e.code === 'provider' && /HTTP 503 after 3 attempts/.test(e.message));
    assert.equal(fake.faults.queue.length, 6);
    fake.faults.queue.length = 0;
  });

  test('a bad key is permanent (one request) and the error names the env var, not the key', async () => {
    const before = fake.faults.fired.length;
    await assert.rejects(director({ apiKey: 'sk-or-v1-wrongwrongwrong' }).selectScenes(input, {}), (e: unknown) => {
      assert.ok(e instanceof OmveeError);
      assert.equal(e.code, 'provider_auth');
      assert.match(e.hint ?? '', /OPENROUTER_API_KEY/);
      assert.doesNotMatch(`${e.message} ${e.hint}`, /wrongwrong/);
      return true;
    });
    assert.equal(sleeps.length, 0);
    assert.equal(fake.faults.fired.length, before);
  });

  test('a hang past the timeout is a network error after the bounded attempts', async () => {
    fake.faults.push({ route: 'chat', kind: 'hang', times: 2 });
    await assert.rejects(director({ timeoutMs: 100, maxRetries: 1 }).selectScenes(input, {}), (e: unknown) => e instanceof OmveeError && e.code === 'network');
  });

  const scenes: Scene[] = scenesAnswer(120, 6).scenes.map((s, i) => ({
    ...(s as Pick<Scene, 'start_time_s' | 'end_time_s' | 'title' | 'theme' | 'lyric_excerpt' | 'energy' | 'artist_role'>),
    id: `s${i}`, project_id: 'p', order_idx: i, artist_id: null, generated_by_model: null, created_at: '', updated_at: '',
  }));

  test('writePrompts: one batched call; skipped scenes are asked for again, then merged in order', async () => {
    const first = promptsAnswer([0, 1, 3, 5]);
    (first.prompts[1] as Record<string, unknown>)['image_prompt'] = ''; // invalid → counts as missing
    fake.chatScripts.push({ content: json(first) }, { content: '```json\n' + json(promptsAnswer([1, 2, 4])) + '\n```' });
    const res = await director().writePrompts({ projectName: 'Easy Kill', style: 'neon', scenes, transcript }, {});
    assert.equal(res.prompts.length, 6);
    res.prompts.forEach((p, i) => assert.equal(p.image_prompt, `a cinematic still for scene ${i}`));
    assert.deepEqual(res.prompts[0]!.color_palette, ['#112233', '#445566']);
    assert.equal(fake.chatRequests.length, 2);
    assert.match(fake.chatRequests[1]!.messages[1]!.content, /exactly 3 items/);
    assert.equal(res.costUsd, fake.billedUsd());
  });

  test('writePrompts: still missing after the second answer is a clear error', async () => {
    fake.chatScripts.push({ content: json(promptsAnswer([0])) }, { content: json(promptsAnswer([1])) });
    await assert.rejects(director().writePrompts({ projectName: 'x', style: null, scenes, transcript: null }, {}), /did not write usable prompts.*scene_index 2, 3, 4, 5/);
  });

  test('OpenAI provider: default model, cost from tokens × price table == billed', async () => {
    const fake2 = await startFakeOpenAi({ chatPrice: { inputPer1M: 0.15, outputPer1M: 0.6 } });
    try {
      fake2.chatScripts.push({ content: json(scenesAnswer(120, 12)) });
      const d = createLlmDirector({ provider: 'openai', apiKey: fake2.apiKey, baseURL: fake2.baseURL });
      const res = await d.selectScenes(input, {});
      assert.equal(res.model, 'gpt-4o-mini');
      assert.equal(d.name, 'openai');
      assert.ok(Math.abs(res.costUsd - fake2.billedUsd()) < 1e-6, `${res.costUsd} vs ${fake2.billedUsd()}`);
    } finally {
      await fake2.close();
    }
  });
});

describe('director helpers', () => {
  test('target scene count: 15–20 for 3 minutes, inside the bounds', () => {
    const n = targetSceneCount(180, 5, 10);
    assert.ok(n >= 15 && n <= 20, String(n));
    assert.equal(targetSceneCount(30, 5, 10), 3);
    assert.equal(targetSceneCount(3, 5, 10), 1);
    assert.ok(180 / targetSceneCount(180, 12, 20) <= 20);
  });
  test('extractJson tolerates fences, prose and arrays', () => {
    assert.deepEqual(extractJson('```\n{"a":1}\n```'), { ok: true, value: { a: 1 } });
    assert.deepEqual(extractJson('Here: [1, {"b": "}"}] done'), { ok: true, value: [1, { b: '}' }] });
    assert.equal(extractJson('no json {here').ok, false);
    assert.equal(extractJson('').ok, false);
  });
});
