import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { askedIndices, imagesOf, isMotionRequest, promptsAnswer, scenesAnswer, startFakeOpenAi, textOf, type FakeOpenAi } from '../support/fake-openai/server.ts';
import { createLlmDirector } from '../../src/providers/llm/llm-director.ts';
import { promptBudget } from '../../src/providers/llm/prompt-writing.ts';
import { targetSceneCount } from '../../src/core/timeline/bounds.ts';
import { extractJson } from '../../src/providers/llm/json-answer.ts';
import { validateScenes } from '../../src/core/timeline/index.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { roundUsd } from '../../src/core/cost/prices.ts';
import type { Scene, Transcript } from '../../src/core/model.ts';
import type { MotionWritingInput, SceneSelectionInput } from '../../src/providers/ports.ts';

const run = promisify(execFile);
const fixture = async (name: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(new URL(`../fixtures/llm/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** what omvee records for a call: OpenRouter's usage.cost, kept to a millionth of a dollar */
const costOf = (body: Record<string, unknown>): number => roundUsd((body['usage'] as { cost: number }).cost);

const transcript: Transcript = {
  source: 'lrc',
  segments: Array.from({ length: 20 }, (_, i) => ({ start: i * 6, end: i * 6 + 5, text: `lyric line ${i + 1}` })),
};
const input: SceneSelectionInput = { projectName: 'Easy Kill', style: 'neon noir', durationS: 120, transcript, sceneMinS: 5, sceneMaxS: 10 };
const bounds = { durationS: 120, sceneMinS: 5, sceneMaxS: 10 };
const json = (v: unknown) => JSON.stringify(v);

function toScenes(drafts: readonly Record<string, unknown>[]): Scene[] {
  return drafts.map((s, i) => ({
    ...(s as Pick<Scene, 'start_time_s' | 'end_time_s' | 'title' | 'theme' | 'lyric_excerpt' | 'energy' | 'artist_role'>),
    id: `s${i}`, project_id: 'p', order_idx: i, artist_id: null, generated_by_model: null, created_at: '', updated_at: '',
  }));
}

/** No two requests the fake saw were the same (the same size asked again is paying twice). */
function assertNoRepeat(fake: FakeOpenAi): void {
  const bodies = fake.chatRequests.map((r) => JSON.stringify(r));
  assert.equal(new Set(bodies).size, bodies.length, 'a request was sent twice');
}

describe('LLM director against the fake OpenAI/OpenRouter', () => {
  let fake: FakeOpenAi;
  let sleeps: number[];
  before(async () => { fake = await startFakeOpenAi(); });
  after(async () => { await fake.close(); });
  beforeEach(() => {
    fake.chatScripts.length = 0;
    fake.chatRequests.length = 0;
    fake.chatCalls.length = 0;
    fake.chatHandler = null;
    fake.truncations.length = 0;
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

  test('clean structured answer: scenes cover the song, schema strict, explicit max_tokens, attribution headers, cost == usage.cost', async () => {
    fake.chatScripts.push({ content: json(scenesAnswer(120, 14)) });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 14);
    assert.deepEqual(validateScenes(res.scenes, bounds), []);
    assert.equal(res.model, 'deepseek/deepseek-v3.1-terminus');
    const req = fake.chatRequests[0]!;
    assert.equal(req.model, 'deepseek/deepseek-v3.1-terminus');
    assert.equal(req.response_format?.type, 'json_schema');
    assert.equal(req.response_format?.json_schema?.strict, true);
    assert.match(textOf(req.messages[1]), /\[6\.00–11\.00\] lyric line 2/);
    assert.match(textOf(req.messages[1]), /about 12 consecutive scenes/);
    // an explicit output budget sized to the scene count, as OpenRouter's max_tokens
    assert.equal(typeof req.max_tokens, 'number');
    assert.ok(req.max_tokens! >= 12 * 100 && req.max_tokens! <= 8000, String(req.max_tokens));
    assert.equal(req.max_completion_tokens, undefined);
    assert.equal(req['usage'], undefined, 'the deprecated usage.include opt-in is not sent');
    const h = fake.chatCalls[0]!.headers;
    assert.equal(h['http-referer'], 'https://www.npmjs.com/package/omvee');
    assert.equal(h['x-title'], 'omvee');
    assert.equal(h['x-openrouter-title'], 'omvee');
    assert.equal(res.costUsd, fake.billedUsd());
    assert.ok(res.costUsd > 0);
  });

  test('fenced JSON wrapped in prose is accepted', async () => {
    fake.chatScripts.push({ content: `Sure! Here is the plan:\n\`\`\`json\n${json(scenesAnswer(120, 12))}\n\`\`\`\nEnjoy.` });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 12);
    assert.equal(fake.chatRequests.length, 1);
  });

  test('real DeepSeek scenes: energy on 1–10 is rescaled to 0..1 from the whole answer; cost is the reported usage.cost', async () => {
    const body = await fixture('deepseek-scenes-energy-1-10.json');
    fake.chatScripts.push({ verbatim: body });
    const logs: string[] = [];
    const res = await director().selectScenes({ ...input, durationS: 48 }, { log: (m) => logs.push(m) });
    assert.equal(res.scenes.length, 8);
    assert.deepEqual(res.scenes.map((s) => s.energy), [0.3, 0.4, 0.8, 0.7, 0.6, 0.9, 0.5, 0.2]);
    assert.deepEqual(res.scenes.map((s) => s.artist_role), ['none', 'none', 'primary', 'none', 'none', 'primary', 'none', 'none']);
    assert.equal(res.scenes[2]!.lyric_excerpt, 'Easy kill, easy kill');
    assert.ok(logs.some((l) => /0–10 scale; rescaled/.test(l)), logs.join('\n'));
    assert.equal(res.costUsd, costOf(body));
  });

  test('another model: other key names, "m:ss.s" times and energy on 0–100 are read', async () => {
    fake.chatScripts.push({ verbatim: await fixture('llama-scenes-energy-0-100.json') });
    const res = await director({ model: 'meta-llama/llama-3.3-70b-instruct' }).selectScenes({ ...input, durationS: 48 }, {});
    assert.equal(res.scenes.length, 8);
    assert.deepEqual(res.scenes.map((s) => s.start_time_s), [0, 6, 12, 18, 24, 30, 36, 42]);
    assert.equal(res.scenes.at(-1)!.end_time_s, 48);
    assert.deepEqual(res.scenes.map((s) => s.energy), [0.2, 0.35, 0.85, 0.7, 0.6, 0.95, 0.45, 0.1]);
    assert.equal(res.scenes[0]!.lyric_excerpt, 'Neon rain on the boulevard');
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
    assert.match(textOf(fake.chatRequests[1]!.messages.at(-1)), /could not be used: the answer was not JSON/);
    assert.equal(res.costUsd, fake.billedUsd());
  });

  test('a scenes answer cut off at the budget is asked once more with twice the budget, never the same request', async () => {
    fake.chatScripts.push({ content: json(scenesAnswer(120, 12)), finish_reason: 'length' }, { content: json(scenesAnswer(120, 12)) });
    const res = await director().selectScenes(input, {});
    assert.equal(res.scenes.length, 12);
    const [a, b] = fake.chatRequests;
    assert.equal(b!.max_tokens, a!.max_tokens! * 2);
    assert.match(textOf(b!.messages.at(-1)), /cut off/);
    assertNoRepeat(fake);
  });

  test('no usable scene twice ends in a clear error, never broken scenes', async () => {
    fake.chatScripts.push({ content: json({ scenes: [{ title: 'no times' }] }) }, { content: json({ shots: [] }) });
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
    assert.match(textOf(fake.chatRequests[2]!.messages.at(-1)), /no choices/);
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

  const scenes: Scene[] = toScenes(scenesAnswer(120, 6).scenes);

  test('writePrompts: chunks of 4 with a budget per chunk; the look of the first chunk is passed on; skipped scenes asked again', async () => {
    let first = true;
    fake.chatHandler = (req) => {
      const asked = askedIndices(req);
      if (first) {
        first = false;
        const a = promptsAnswer(asked.filter((i) => i !== 1)); // scene 1 skipped
        (a.prompts[1] as Record<string, unknown>)['image_prompt'] = ''; // scene 2 unusable
        return { content: json(a) };
      }
      return { content: '```json\n' + json(promptsAnswer(asked)) + '\n```' };
    };
    const res = await director().writePrompts({ projectName: 'Easy Kill', style: 'neon', scenes, transcript }, {});
    assert.equal(res.prompts.length, 6);
    res.prompts.forEach((p, i) => assert.equal(p.image_prompt, `a cinematic still for scene ${i}`));
    assert.deepEqual(res.prompts[0]!.color_palette, ['#112233', '#445566']);
    const asked = fake.chatRequests.map(askedIndices);
    assert.deepEqual(asked[0], [0, 1, 2, 3]);
    assert.deepEqual(asked.slice(1).map((a) => a.join(',')).sort(), ['1,2', '4,5']);
    for (const r of fake.chatRequests) assert.equal(r.max_tokens, promptBudget(askedIndices(r).length));
    const retry = fake.chatRequests.find((r) => askedIndices(r).join(',') === '1,2')!;
    assert.match(textOf(retry.messages[1]), /exactly 2 item/);
    assert.match(textOf(retry.messages[1]), /not usable for these scenes: .*scene_index 1: missing/);
    const later = fake.chatRequests.find((r) => askedIndices(r).join(',') === '4,5')!;
    assert.match(textOf(later.messages[1]), /Keep the look the first scenes set: style notes "film grain"; palette #112233 #445566/);
    assert.equal(res.costUsd, fake.billedUsd());
    assertNoRepeat(fake);
  });

  test('writePrompts: still missing after the second answer is a clear error', async () => {
    fake.chatHandler = (req) => ({ content: json(promptsAnswer(askedIndices(req).slice(0, 1))) });
    await assert.rejects(director().writePrompts({ projectName: 'x', style: null, scenes, transcript: null }, {}), /did not write usable prompts.*scene_index 2, 3 \(/);
  });

  const songScenes = async (): Promise<Scene[]> => {
    const content = (await fixture('deepseek-scenes-energy-1-10.json'))['choices'] as { message: { content: string } }[];
    const parsed = extractJson(content[0]!.message.content);
    assert.ok(parsed.ok);
    return toScenes((parsed.value as { scenes: Record<string, unknown>[] }).scenes.map((s) => ({ ...s, energy: Number(s['energy']) / 10 })));
  };

  test('real DeepSeek prompt answers (palettes as strings, a missing field) parse into the full prompt set: no item lost', async () => {
    const [a, b] = [await fixture('deepseek-prompts-0-3.json'), await fixture('deepseek-prompts-4-7.json')];
    fake.chatScripts.push({ verbatim: a }, { verbatim: b });
    const logs: string[] = [];
    const res = await director().writePrompts({ projectName: 'Easy Kill', style: 'neon noir', scenes: await songScenes(), transcript }, { log: (m) => logs.push(m) });
    assert.equal(res.prompts.length, 8);
    assert.equal(fake.chatRequests.length, 2, 'one call per chunk, nothing asked again');
    assert.match(res.prompts[0]!.image_prompt, /lone woman in a long black coat/);
    assert.deepEqual(res.prompts[0]!.color_palette, ['#0b1026', '#ff2e88', '#00e5ff', '#f5c26b']);
    assert.equal(res.prompts[1]!.color_palette?.length, 3, 'three colour names read'); // deep indigo, electric cyan, warm amber
    assert.match(res.prompts[1]!.color_palette![2]!, /^#ffbf00$/, 'amber');
    assert.deepEqual(res.prompts[2]!.color_palette, ['#c1121f', '#0a0a0a', '#ff4d8d']);
    assert.equal(res.prompts[3]!.motion_prompt, null, 'a missing optional field is null, the item kept');
    assert.equal(res.prompts[3]!.color_palette?.length, 3);
    assert.deepEqual(res.prompts[4]!.color_palette, ['#1b1f3a', '#e0e6f0', '#ffb000']);
    assert.deepEqual(res.prompts[5]!.color_palette, ['#ff0000', '#000000', '#ffd700']);
    assert.deepEqual(res.prompts[6]!.color_palette, ['#0033a0', '#d7263d', '#1a1a1a', '#8fa3b8']);
    assert.equal(res.prompts[7]!.color_palette?.length, 3);
    for (const p of res.prompts) for (const c of p.color_palette ?? []) assert.match(c, /^#[0-9a-f]{6}$/);
    assert.ok(logs.some((l) => /color_palette came as string/.test(l)), logs.join('\n'));
    assert.equal(res.costUsd, roundUsd(costOf(a) + costOf(b)));
  });

  test('a prompts answer cut at the budget keeps its complete items and SPLITS the rest into smaller chunks', async () => {
    fake.chatScripts.push({ verbatim: await fixture('deepseek-prompts-cut-off.json') });
    fake.chatHandler = (req) => ({ content: json(promptsAnswer(askedIndices(req))) });
    const logs: string[] = [];
    const res = await director({ prompts: { concurrency: 1 } }).writePrompts({ projectName: 'Easy Kill', style: 'neon noir', scenes: await songScenes(), transcript }, { log: (m) => logs.push(m) });
    assert.equal(res.prompts.length, 8);
    assert.match(res.prompts[0]!.image_prompt, /lone woman/, 'kept from the cut answer');
    assert.match(res.prompts[1]!.image_prompt, /trembling hands/, 'kept from the cut answer');
    assert.equal(res.prompts[2]!.image_prompt, 'a cinematic still for scene 2');
    const asked = fake.chatRequests.map((r) => askedIndices(r).join(','));
    assert.deepEqual(asked, ['0,1,2,3', '2', '3', '4,5,6,7']);
    assert.ok(fake.chatRequests[1]!.max_tokens! < fake.chatRequests[0]!.max_tokens!, 'smaller chunks, smaller budgets');
    assert.equal(fake.chatRequests[1]!.max_tokens, promptBudget(1));
    assert.ok(logs.some((l) => /cut off at \d+ tokens: asking for the other 2 in chunks of 1 and 1/.test(l)), logs.join('\n'));
    assertNoRepeat(fake);
  });

  test('truncation injected on every chunk: each cut is split until it fits; a single scene gets one bigger budget, then a clear error', async () => {
    fake.chatHandler = (req) => ({ content: json(promptsAnswer(askedIndices(req))) });
    fake.truncations.push(0.6, 0.6); // the 4-scene chunk, then one of its halves
    const four = scenes.slice(0, 4);
    const res = await director({ prompts: { concurrency: 1 } }).writePrompts({ projectName: 'x', style: null, scenes: four, transcript: null }, {});
    assert.equal(res.prompts.length, 4);
    const sizes = fake.chatRequests.map((r) => askedIndices(r).length);
    assert.equal(sizes[0], 4);
    assert.ok(sizes.slice(1).every((n) => n < 4), `sizes ${sizes.join(',')}`);
    assertNoRepeat(fake);

    fake.chatRequests.length = 0;
    fake.truncations.push(0.3, 0.3, 0.3);
    await assert.rejects(director().writePrompts({ projectName: 'x', style: null, scenes: scenes.slice(0, 1), transcript: null }, {}), /cut off even at \d+ tokens/);
    assert.equal(fake.chatRequests.length, 2);
    assert.equal(fake.chatRequests[1]!.max_tokens, fake.chatRequests[0]!.max_tokens! * 2);
    assertNoRepeat(fake);
    fake.truncations.length = 0;
  });

  test('the fake applies max_tokens as the API does: a long answer comes back cut with finish_reason "length"', async () => {
    // an answer whose complete JSON ends before the budget keeps its item…
    fake.chatHandler = () => ({ content: `${json(promptsAnswer([0]))}\n${'Some closing remarks. '.repeat(4 * promptBudget(1))}` });
    const kept = await director().writePrompts({ projectName: 'x', style: null, scenes: scenes.slice(0, 1), transcript: null }, {});
    assert.equal(kept.prompts[0]!.image_prompt, 'a cinematic still for scene 0');
    assert.deepEqual(fake.chatCalls.map((c) => c.finishReason), ['length']);
    // …one cut inside its only item is asked once with a bigger budget, then refused clearly
    fake.chatCalls.length = 0;
    const long = promptsAnswer([0]);
    (long.prompts[0] as Record<string, unknown>)['image_prompt'] = 'a very long prompt '.repeat(4 * promptBudget(1));
    fake.chatHandler = () => ({ content: json(long) });
    await assert.rejects(director().writePrompts({ projectName: 'x', style: null, scenes: scenes.slice(0, 1), transcript: null }, {}), /cut off even at/);
    assert.deepEqual(fake.chatCalls.map((c) => c.finishReason), ['length', 'length']);
  });

  test('OpenAI provider: default model, max_completion_tokens, no OpenRouter headers, cost from tokens × price table == billed', async () => {
    const fake2 = await startFakeOpenAi({ chatPrice: { inputPer1M: 0.15, outputPer1M: 0.6 } });
    try {
      fake2.chatScripts.push({ content: json(scenesAnswer(120, 12)) });
      const d = createLlmDirector({ provider: 'openai', apiKey: fake2.apiKey, baseURL: fake2.baseURL });
      const res = await d.selectScenes(input, {});
      assert.equal(res.model, 'gpt-4o-mini');
      assert.equal(d.name, 'openai');
      const req = fake2.chatRequests[0]!;
      assert.equal(typeof req.max_completion_tokens, 'number');
      assert.equal(req.max_tokens, undefined);
      assert.equal(fake2.chatCalls[0]!.headers['http-referer'], undefined);
      assert.ok(Math.abs(res.costUsd - fake2.billedUsd()) < 1e-6, `${res.costUsd} vs ${fake2.billedUsd()}`);
    } finally {
      await fake2.close();
    }
  });
});

describe('motion prompts written after the still exists', () => {
  let fake: FakeOpenAi;
  let dir: string;
  let still: string;
  before(async () => {
    fake = await startFakeOpenAi();
    dir = await mkdtemp(join(tmpdir(), 'omvee-motion-'));
    still = join(dir, 'still.png');
    // a 1920×1080 still, bigger than a vision model needs
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', still]);
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.chatScripts.length = 0;
    fake.chatRequests.length = 0;
    fake.chatCalls.length = 0;
    fake.billing.length = 0;
    fake.chatHandler = null;
  });
  const scene = (energy: number): Scene => toScenes([{ start_time_s: 12, end_time_s: 18.5, title: 'First Chorus', theme: 'Crowd surges under strobing red light', lyric_excerpt: 'Easy kill, easy kill', energy, artist_role: 'primary' }])[0]!;
  const motionInput = (energy: number, extra: Partial<MotionWritingInput> = {}): MotionWritingInput => ({
    projectName: 'Easy Kill',
    style: 'neon noir',
    scene: scene(energy),
    prompt: { image_prompt: 'A packed crowd surges toward a stage drenched in strobing red light', style_notes: 'grainy', setting: 'club stage', shot_type: 'low-angle shot', mood: 'euphoric', motion_prompt: 'handheld' },
    imagePath: still,
    durationS: 6.5,
    ...extra,
  });
  const director = (model: string, extra: Record<string, unknown> = {}) =>
    createLlmDirector({ provider: 'openrouter', apiKey: fake.apiKey, baseURL: fake.openRouterBaseURL, model, ffmpeg: async () => 'ffmpeg', retry: { sleep: async () => undefined }, ...extra });

  test('a vision model is shown the still: a downscaled JPEG data URL after the text; its motion is tidied (no negative clause)', async () => {
    fake.chatScripts.push({ content: '```json\n{"motion_prompt": "The crowd jumps and arms wave as red strobes pulse; the camera pushes in fast toward the singer, no camera shake."}\n```' });
    const res = await director('openai/gpt-4o-mini').writeMotion(motionInput(0.9), {});
    assert.equal(res.sawImage, true);
    assert.equal(res.motion_prompt, 'The crowd jumps and arms wave as red strobes pulse; the camera pushes in fast toward the singer.');
    assert.equal(res.costUsd, fake.billedUsd());
    const req = fake.chatRequests[0]!;
    assert.ok(isMotionRequest(req));
    const user = req.messages[1]!;
    assert.ok(Array.isArray(user.content));
    assert.deepEqual(user.content.map((p) => p.type), ['text', 'image_url'], 'text first, then the image');
    const [image] = imagesOf(req);
    assert.equal(image!.detail, 'low');
    assert.match(image!.url, /^data:image\/jpeg;base64,/);
    const jpeg = Buffer.from(image!.url.split(',')[1]!, 'base64');
    assert.ok(jpeg.length < 1_000_000, `${jpeg.length} bytes`);
    const seen = join(dir, 'seen.jpg');
    await writeFile(seen, jpeg);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height,codec_name', '-of', 'csv=p=0', seen]);
    const [codec, w, h] = stdout.trim().split(',');
    assert.equal(codec, 'mjpeg');
    assert.deepEqual([Number(w), Number(h)], [768, 432], 'fits 768×768, aspect kept');
    assert.match(textOf(user), /attached image is the still/);
    assert.equal(typeof req.max_tokens, 'number');
  });

  test('a text-only model gets real motion guidance from the image prompt, intensity from the energy', async () => {
    fake.chatHandler = () => ({ content: json({ motion_prompt: 'Dancers sway as the light drifts; slow push in.' }) });
    const d = director('deepseek/deepseek-v3.1-terminus');
    const calm = await d.writeMotion(motionInput(0.15), {});
    const wild = await d.writeMotion(motionInput(0.92), {});
    assert.equal(calm.sawImage, false);
    assert.equal(wild.sawImage, false);
    const [a, b] = fake.chatRequests.map((r) => textOf(r.messages[1]));
    for (const t of [a!, b!]) {
      assert.equal(imagesOf(fake.chatRequests[0]!).length, 0);
      assert.match(t, /made from this prompt: A packed crowd surges/);
      assert.match(t, /What moves in the picture/);
      assert.match(t, /The one camera move/);
      assert.match(t, /ONE continuous shot of 6\.5 seconds/);
      assert.match(t, /positive phrasing/);
    }
    assert.match(a!, /energy 0\.15 of 1 → gentle — slow, smooth camera/);
    assert.match(b!, /energy 0\.92 of 1 → intense — fast, energetic camera/);
  });

  test('a new take after a rejection is told the note and the rejected motion', async () => {
    fake.chatScripts.push({ content: json({ motion_prompt: 'Locked-off camera; the singer breathes as the smoke drifts.' }) });
    await director('deepseek/deepseek-v3.1-terminus').writeMotion(motionInput(0.8, { rejected: { note: 'too shaky, I feel sick', motionPrompt: 'Handheld camera shakes with the beat' } }), {});
    assert.match(textOf(fake.chatRequests[0]!.messages[1]), /rejected the previous clip of this scene: "too shaky, I feel sick"\. Its motion was: "Handheld camera shakes with the beat"/);
  });

  test('vision forced on for a text-only model: OpenRouter\'s 404 is caught once, the motion written from the prompt', async () => {
    fake.chatHandler = () => ({ content: json({ motion_prompt: 'The crowd surges; the camera cranes up over them.' }) });
    const logs: string[] = [];
    const d = director('deepseek/deepseek-v3.1-terminus', { vision: 'on' });
    const first = await d.writeMotion(motionInput(0.7), { log: (m) => logs.push(m) });
    const second = await d.writeMotion(motionInput(0.7), {});
    assert.equal(first.sawImage, false);
    assert.equal(second.sawImage, false);
    assert.deepEqual(fake.chatCalls.map((c) => c.status), [404, 200, 200], 'asked with the image once only');
    assert.equal(imagesOf(fake.chatRequests[1]!).length, 0);
    assert.ok(logs.some((l) => /does not take images/.test(l)));
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
  test('the fixtures are chat completions as OpenRouter returns them', async () => {
    for (const name of ['deepseek-scenes-energy-1-10.json', 'llama-scenes-energy-0-100.json', 'deepseek-prompts-0-3.json', 'deepseek-prompts-4-7.json', 'deepseek-prompts-cut-off.json']) {
      const body = await fixture(name);
      assert.equal(body['object'], 'chat.completion', name);
      assert.match(String(body['id']), /^gen-/);
      assert.equal(typeof body['provider'], 'string');
      const [choice] = body['choices'] as { finish_reason: string; message: { role: string; content: string } }[];
      assert.ok(['stop', 'length'].includes(choice!.finish_reason));
      assert.equal(choice!.message.role, 'assistant');
      const usage = body['usage'] as { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      assert.ok(usage.cost > 0 && usage.cost < 0.01);
      const parsed = extractJson(choice!.message.content);
      const whole = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && ('scenes' in parsed.value || 'prompts' in parsed.value);
      assert.equal(whole, choice!.finish_reason === 'stop', `${name}: a complete answer parses whole, a cut one does not`);
    }
  });
});

