// What the clip model decides for a new project when the user does not: its frame rate and its
// longest clip as the longest scene (src/app/clip-defaults.ts). Offline: the shipped schemas.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultProjectFps, sceneBoundSettings } from '../../src/app/clip-defaults.ts';
import { resolveConfig } from '../../src/config/resolve.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omvee-clip-defaults-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (env: Record<string, string>) => resolveConfig({ env: { XDG_CONFIG_HOME: join(dir, 'cfg'), OMVEE_HOME: join(dir, 'home'), ...env }, cwd: dir, flags: {} });
// a token that is never used: the shipped schemas answer without a network
const AI = { REPLICATE_API_TOKEN: 'r8_unused_in_this_test', REPLICATE_BASE_URL: 'http://127.0.0.1:9/v1' };

test('the frame rate of a new project: the clip model’s own (seedance, kling: 24), 30 for local clips', async () => {
  assert.equal(await defaultProjectFps(await config(AI)), 24);
  assert.equal(await defaultProjectFps(await config({ ...AI, OMVEE_CLIP_MODEL: 'kwaivgi/kling-v2.1-master' })), 24);
  assert.equal(await defaultProjectFps(await config({})), 30, 'no token: local clips');
  assert.equal(await defaultProjectFps(await config(AI), { clips: 'local' }), 30, '--clips local');
});

test('the longest scene defaults to the clip model’s longest clip; a setting or a flag wins', async () => {
  assert.deepEqual(await sceneBoundSettings(await config(AI)), { OMVEE_SCENE_MIN: undefined, OMVEE_SCENE_MAX: 12 }, 'seedance 2–12 s');
  assert.equal((await sceneBoundSettings(await config({ ...AI, OMVEE_CLIP_MODEL: 'kwaivgi/kling-v2.1-master' }))).OMVEE_SCENE_MAX, 10);
  assert.equal((await sceneBoundSettings(await config({ ...AI, OMVEE_SCENE_MAX: '7' }))).OMVEE_SCENE_MAX, 7);
  assert.equal((await sceneBoundSettings(await config(AI), {}, { sceneMax: 9 })).OMVEE_SCENE_MAX, undefined, 'the flag is applied by sceneBounds');
  assert.equal((await sceneBoundSettings(await config(AI), {}, { sceneMin: 14 })).OMVEE_SCENE_MAX, 14, 'never below the shortest scene');
  assert.equal((await sceneBoundSettings(await config({}))).OMVEE_SCENE_MAX, undefined, 'local clips: the planner’s default (10)');
});
