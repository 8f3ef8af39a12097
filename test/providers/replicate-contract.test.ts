// Model contracts: the shipped fixtures parse as Replicate's API returns them, the derived
// contracts say what the published pages say, the mapper and validator follow the schema, and
// schemas are cached per version in the store with the shipped copy as the offline fallback.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Replicate from 'replicate';
import {
  FIXTURE_MODELS,
  allowedDurations,
  assertValidInput,
  chooseDuration,
  chooseResolution,
  createContractSource,
  cutToLength,
  deriveContract,
  fixtureContract,
  mapClipRequest,
  mapImageRequest,
  memoryContractCache,
  nearestAspectRatio,
  parseModelObject,
  planClipParts,
  storeContractCache,
  validateInput,
} from '../../src/providers/replicate/contract/index.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';
import { checkInput } from '../support/fake-replicate/schema-check.ts';
import { startFakeReplicate, type FakeReplicate } from '../support/fake-replicate/server.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../../src/providers/replicate/contract/fixtures/', import.meta.url));
const contract = (model: string) => {
  const c = fixtureContract(model);
  assert.ok(c, `a shipped schema for ${model}`);
  return c;
};

describe('shipped schemas (fixtures) as the API returns them', () => {
  test('every fixture is a model object with latest_version.openapi_schema, cites its page, and derives a contract', () => {
    const files = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 6);
    assert.equal(files.length, FIXTURE_MODELS.length);
    for (const file of files) {
      const raw = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8'));
      assert.match(raw._source.page, /^https:\/\/replicate\.com\//, `${file} cites a replicate.com page`);
      const object = parseModelObject(raw);
      assert.equal(`${object.owner}__${object.name}.json`, file);
      const schema = object.latest_version!.openapi_schema as Record<string, any>;
      const input = schema['components']['schemas']['Input'];
      assert.equal(input.type, 'object');
      // cog's enum form: a property pointing at a named component schema
      for (const prop of Object.values(input.properties) as Record<string, any>[]) {
        if (prop.allOf) assert.ok(schema['components']['schemas'][prop.allOf[0].$ref.split('/').pop()].enum, `${file}: $ref resolves to an enum`);
      }
      const c = deriveContract(`${object.owner}/${object.name}`, object.latest_version!.id, schema, 'fixture');
      assert.equal(c.fields.prompt, 'prompt');
    }
  });

  test('what the published pages say: durations, sizes, fields', () => {
    const lite = contract('bytedance/seedance-1-lite');
    assert.deepEqual(allowedDurations(lite.durations), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(lite.resolutions, ['480p', '720p', '1080p']);
    assert.deepEqual(lite.fps, [24]);
    assert.equal(lite.fields.firstFrame, 'image');
    assert.equal(lite.fields.lastFrame, 'last_frame_image');
    assert.equal(lite.fields.referenceImages, 'reference_images');
    assert.equal(lite.referenceMaxItems, 4);
    assert.equal(lite.referencesExcludeFirstFrame, true);

    const kling = contract('kwaivgi/kling-v2.1-master');
    assert.deepEqual(allowedDurations(kling.durations), [5, 10]);
    assert.equal(kling.fields.firstFrame, 'start_image');
    assert.equal(kling.fields.negativePrompt, 'negative_prompt');
    assert.equal(kling.fields.seed, null);
    assert.deepEqual(kling.aspectRatios, ['16:9', '9:16', '1:1']);
    assert.equal(kling.promptMaxLength, 2500, 'from the maker');

    const wan = contract('wan-video/wan-2.5-i2v');
    assert.deepEqual(allowedDurations(wan.durations), [5, 10]);
    assert.deepEqual(wan.fields.promptRewriters, ['enable_prompt_expansion']);

    const s2 = contract('bytedance/seedance-2.0');
    assert.deepEqual(allowedDurations(s2.durations), [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], '-1 is a sentinel; the maker says 4–15');

    const minimax = contract('minimax/image-01');
    assert.equal(minimax.kind, 'image');
    assert.equal(minimax.promptMaxLength, 1500);
    assert.equal(minimax.fields.referenceImages, 'subject_reference');
    assert.equal(minimax.fields.firstFrame, null);
  });
});

describe('durations, sizes, prompts', () => {
  const lite = () => contract('bytedance/seedance-1-lite');
  test('the shortest allowed length at least as long as the scene', () => {
    assert.deepEqual(chooseDuration(7.3, lite().durations), { durationS: 8, short: false });
    assert.deepEqual(chooseDuration(1.2, lite().durations), { durationS: 2, short: false });
    assert.deepEqual(chooseDuration(12, lite().durations), { durationS: 12, short: false });
    assert.deepEqual(chooseDuration(12.01, lite().durations), { durationS: 12, short: true });
    assert.deepEqual(chooseDuration(5.01, contract('kwaivgi/kling-v2.1-master').durations), { durationS: 10, short: false });
  });

  test('a scene longer than the model can make: the cheapest set of predictions covering it', () => {
    assert.deepEqual(planClipParts(7.3, lite().durations), [{ durationS: 8, coversS: 7.3 }]);
    assert.deepEqual(planClipParts(15, lite().durations).map((p) => p.durationS), [8, 7]);
    const odd = planClipParts(15.3, lite().durations);
    assert.deepEqual(odd.map((p) => p.durationS), [8, 8]);
    assert.ok(Math.abs(odd.reduce((s, p) => s + p.coversS, 0) - 15.3) < 1e-9, 'the parts cover the scene exactly');
    assert.deepEqual(planClipParts(13, contract('kwaivgi/kling-v2.1-master').durations).map((p) => p.durationS), [10, 5]);
    assert.deepEqual(planClipParts(30, lite().durations).map((p) => p.durationS), [10, 10, 10]);
  });

  test('resolution by the short side; the nearest aspect ratio', () => {
    assert.equal(chooseResolution(720, 1280, ['480p', '720p', '1080p']), '720p', 'a 720×1280 project is 720p, not 1080p');
    assert.equal(chooseResolution(1280, 720, ['480p', '720p', '1080p']), '720p');
    assert.equal(chooseResolution(1920, 1080, ['480p', '720p', '1080p']), '1080p');
    assert.equal(chooseResolution(1080, 1080, ['480p', '720p']), '720p', 'the largest when none is large enough');
    assert.equal(chooseResolution(640, 360, ['480p', '720p']), '480p');
    assert.equal(nearestAspectRatio(720, 1280, ['16:9', '9:16', 'adaptive']), '9:16');
    assert.equal(nearestAspectRatio(1000, 1000, ['16:9', '1:1']), '1:1');
  });

  test('prompts cut at a word boundary, with a note', () => {
    const text = 'neon rain falls on the empty street while a lone figure walks away';
    const cut = cutToLength(text, 30);
    assert.equal(cut.text, 'neon rain falls on the empty');
    assert.match(cut.note ?? '', /shortened from 66 to 28 characters .*at most 30/);
    assert.deepEqual(cutToLength(text, 500), { text });
    assert.equal(cutToLength('x'.repeat(40), 10).text, 'x'.repeat(10), 'one long word is cut hard');
  });
});

describe('mapping and validation by schema', () => {
  test('the still is the first frame in every video model, by each model’s own field names', () => {
    for (const model of FIXTURE_MODELS.filter((m) => contract(m).kind === 'video')) {
      const c = contract(model);
      const { input } = mapClipRequest(c, { prompt: 'slow push in', firstFrame: 'https://example.com/still.png', sceneS: 4.2, width: 1280, height: 720, seed: 7 });
      assert.equal(input[c.fields.firstFrame!], 'https://example.com/still.png', model);
      assert.deepEqual(validateInput(c, input), [], `${model}: the mapped input is valid`);
      assert.deepEqual(checkInput(readSchema(model), input), [], `${model}: the fake (independent checker) agrees`);
    }
  });

  test('an image model takes a reference and a cut prompt; no first frame', () => {
    const c = contract('minimax/image-01');
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const mapped = mapImageRequest(c, { prompt: long, width: 720, height: 1280, seed: 1, referenceImage: 'https://example.com/face.png' });
    assert.equal(mapped.input['aspect_ratio'], '9:16');
    assert.equal(mapped.input['number_of_images'], 1);
    assert.equal(mapped.input['prompt_optimizer'], false);
    assert.equal(mapped.input['subject_reference'], 'https://example.com/face.png');
    assert.ok((mapped.input['prompt'] as string).length <= 1500);
    assert.match(mapped.notes.join(), /prompt shortened/);
    assert.deepEqual(validateInput(c, mapped.input), []);
  });

  test('a bad input is refused with the field and what it allows — and the fake refuses the same inputs', () => {
    const c = contract('bytedance/seedance-1-lite');
    const bad: Record<string, unknown>[] = [
      { prompt: 'x', image: 'https://e/x.png', duration: 13 },
      { prompt: 'x', duration: 1 },
      { prompt: 'x', resolution: '4k' },
      { prompt: 'x', duration: 5.5 },
      { image: 'https://e/x.png' },
      { prompt: 'x', fps: 30 },
    ];
    for (const input of bad) {
      const ours = validateInput(c, input).map((f) => `${f.type}:${f.field}`);
      const theirs = checkInput(readSchema('bytedance/seedance-1-lite'), input).map((f) => `${f.type}:${f.field}`);
      assert.ok(ours.length > 0, JSON.stringify(input));
      assert.deepEqual(ours, theirs, `same verdict as the fake for ${JSON.stringify(input)}`);
    }
    assert.throws(
      () => assertValidInput(c, { prompt: 'x', image: 'https://e/x.png', duration: 13 }),
      (e: unknown) => e instanceof OmveeError && e.code === 'invalid_input' && /duration: Must be less than or equal to 12/.test(e.message) && /nothing was sent or paid/.test(e.message) && /from 2 to 12/.test(e.hint ?? ''),
    );
    assert.throws(() => assertValidInput(c, { prompt: 'x', resolution: '4k' }), (e: unknown) => e instanceof OmveeError && /one of "480p", "720p", "1080p"/.test(e.hint ?? ''));
  });

  test('a model without a first-frame input cannot animate a still: a config error, not a paid guess', () => {
    assert.throws(() => mapClipRequest(contract('minimax/image-01'), { prompt: 'x', firstFrame: 'https://e/x.png', sceneS: 3, width: 1280, height: 720, seed: 1 }), (e: unknown) => e instanceof OmveeError && e.code === 'config');
  });
});

function readSchema(model: string): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(join(FIXTURE_DIR, `${model.replace('/', '__')}.json`), 'utf8'));
  return raw.latest_version.openapi_schema;
}

describe('where contracts come from: cache → Replicate → shipped schema', () => {
  let fake: FakeReplicate;
  let dir: string;
  let store: Store;
  before(async () => {
    fake = await startFakeReplicate({});
    dir = await mkdtemp(join(tmpdir(), 'omvee-contract-'));
    store = await openLocalStore({ home: dir });
  });
  after(async () => {
    await store.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  const client = () => Promise.resolve(new Replicate({ auth: fake.token, baseUrl: fake.baseUrl }));
  const modelGets = () => fake.requests.filter((r) => r.path.startsWith('/v1/models/')).length;

  test('fetched once from GET /v1/models, cached per version in the store, then read from the cache', async () => {
    const before = modelGets();
    const first = await createContractSource({ client, cache: storeContractCache(store) }).get('kwaivgi/kling-v2.1-master');
    assert.equal(first.source, 'api');
    assert.equal(modelGets(), before + 1);
    const rows = await store.list('model_contracts', { where: { model: 'kwaivgi/kling-v2.1-master' } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.version, fake.models.get('kwaivgi/kling-v2.1-master')!.object.latest_version.id);
    const second = await createContractSource({ client, cache: storeContractCache(store) }).get('kwaivgi/kling-v2.1-master');
    assert.equal(second.source, 'cache');
    assert.equal(modelGets(), before + 1, 'no second request');
    assert.deepEqual(allowedDurations(second.durations), [5, 10]);
  });

  test('a stale cache is refreshed; when Replicate cannot be reached the stale copy is used, with a note', async () => {
    const cache = memoryContractCache();
    const old = readSchema('bytedance/seedance-1-lite');
    await cache.save('bytedance/seedance-1-lite', 'old-version', old, '2020-01-01T00:00:00.000Z');
    const fresh = await createContractSource({ client, cache }).get('bytedance/seedance-1-lite');
    assert.equal(fresh.source, 'api');
    assert.notEqual(fresh.version, 'old-version');
    const notes: string[] = [];
    const unreachable = () => Promise.resolve(new Replicate({ auth: fake.token, baseUrl: 'http://127.0.0.1:9/v1', fetch: () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })) }));
    const staleOnly = memoryContractCache();
    await staleOnly.save('bytedance/seedance-1-lite', 'old-version', old, '2020-01-01T00:00:00.000Z');
    const stale = await createContractSource({ client: unreachable, cache: staleOnly, log: (m) => notes.push(m) }).get('bytedance/seedance-1-lite');
    assert.equal(stale.source, 'cache');
    assert.equal(stale.version, 'old-version');
    assert.match(notes.join('\n'), /cached on 2020-01-01/);
  });

  test('offline: the shipped schema; an unknown model offline is a clear error', async () => {
    const offline = createContractSource({});
    assert.equal((await offline.get('bytedance/seedance-1-lite')).source, 'fixture');
    await assert.rejects(offline.get('acme/unknown-model'), (e: unknown) => e instanceof OmveeError && /no input schema known for acme\/unknown-model/.test(e.message) && /bytedance\/seedance-1-lite/.test(e.hint ?? ''));
  });

  test('a model Replicate does not have is an error at once (no shipped copy hides a wrong name)', async () => {
    await assert.rejects(createContractSource({ client }).get('acme/no-such-model'), (e: unknown) => e instanceof OmveeError && e.code === 'config' && /HTTP 404/.test(e.message));
  });
});
