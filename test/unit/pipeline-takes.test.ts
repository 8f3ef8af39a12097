import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import type { Scene, UserApproval } from '../../src/core/model.ts';
import { verifyFinal } from '../../src/core/pipeline/render-step.ts';
import { approvedClipId, latestCompleted, otherTakesPredictionIds, pickScenes, recordAttempt, takeToWorkOn } from '../../src/core/pipeline/takes.ts';
import { parseSceneNumbers } from '../../src/commands/flag-schemas.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
let scene: Scene;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-takes-'));
  store = await openLocalStore({ home });
  const project = await store.insert('projects', { name: 'p' });
  [scene] = await store.replaceScenes(project.id, [{ project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 5 }]) as [Scene];
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

describe('takes', () => {
  it('records every paid attempt on the take; the take costs their sum; a re-attached prediction is not counted twice', async () => {
    const take = await store.insert('video_clips', { project_id: scene.project_id, scene_id: scene.id, take: 7 });
    const at = new Date().toISOString();
    assert.equal(await recordAttempt(store, 'video_clips', take.id, { prediction_id: 'p1', status: 'failed', error: 'CUDA out of memory', transient: true, cost_usd: 0.1, at }), 0.1);
    assert.equal(await recordAttempt(store, 'video_clips', take.id, { prediction_id: 'p2', status: 'succeeded', error: null, transient: false, cost_usd: 0.288, at }), 0.388);
    // a rerun re-attached to p2 and recorded it again: still paid once
    assert.equal(await recordAttempt(store, 'video_clips', take.id, { prediction_id: 'p2', status: 'succeeded', error: null, transient: false, cost_usd: 0.288, at }), 0.388);
    const row = await store.get('video_clips', take.id);
    assert.deepEqual(row?.attempts?.map((a) => a.prediction_id), ['p1', 'p2']);
    assert.equal(row?.cost_usd, 0.388);
    const other = await store.insert('video_clips', { project_id: scene.project_id, scene_id: scene.id, take: 8, prediction_id: 'p9' });
    assert.deepEqual((await otherTakesPredictionIds(store, 'video_clips', scene.id, other.id)).sort(), ['p1', 'p2']);
    assert.deepEqual(await otherTakesPredictionIds(store, 'video_clips', scene.id, take.id), ['p9']);
    await store.delete('video_clips', take.id);
    await store.delete('video_clips', other.id);
  });

  it('starts take 1, reuses an unfinished take, skips a completed one, numbers new takes after the last', async () => {
    const first = await takeToWorkOn(store, 'generated_images', scene, false);
    assert.equal(first?.take, 1);
    // killed before it finished: the rerun works on the same take, no duplicate
    const again = await takeToWorkOn(store, 'generated_images', scene, false);
    assert.equal(again?.id, first!.id);
    await store.update('generated_images', first!.id, { status: 'completed' });
    assert.equal(await takeToWorkOn(store, 'generated_images', scene, false), null);
    const second = await takeToWorkOn(store, 'generated_images', scene, true);
    assert.equal(second?.take, 2);
    assert.equal(await store.count('generated_images', { scene_id: scene.id }), 2);
  });

  it('latestCompleted picks the highest completed take', () => {
    const rows = [{ take: 1, status: 'completed' }, { take: 3, status: 'failed' }, { take: 2, status: 'completed' }];
    assert.equal(latestCompleted(rows)?.take, 2);
    assert.equal(latestCompleted([{ take: 1, status: 'failed' }]), null);
  });

  it('the newest review decision of a scene wins', () => {
    const a = (decision: UserApproval['decision'], clip: string, at: string) => ({ scene_id: 's', clip_id: clip, decision, created_at: at }) as UserApproval;
    assert.equal(approvedClipId([a('approved', 'c1', '2026-01-01T00:00:00Z')], 's'), 'c1');
    assert.equal(approvedClipId([a('approved', 'c1', '2026-01-01T00:00:00Z'), a('rejected', 'c1', '2026-01-02T00:00:00Z')], 's'), 'rejected');
    assert.equal(approvedClipId([a('rejected', 'c1', '2026-01-01T00:00:00Z'), a('approved', 'c2', '2026-01-02T00:00:00Z')], 's'), 'c2');
    assert.equal(approvedClipId([], 's'), null);
  });
});

describe('scene numbers', () => {
  it('parses lists and ranges, rejects nonsense as usage errors', () => {
    assert.deepEqual(parseSceneNumbers(['3', '1,2', '5-7']), [3, 1, 2, 5, 6, 7]);
    assert.equal(parseSceneNumbers(undefined), undefined);
    for (const bad of ['0', '-1', 'x', '5-2']) assert.throws(() => parseSceneNumbers([bad]), (e: unknown) => e instanceof OmveeError && e.code === 'usage');
  });
  it('picks scenes by 1-based number and names the valid range otherwise', () => {
    const scenes = [{ order_idx: 0 }, { order_idx: 1 }] as Scene[];
    assert.equal(pickScenes(scenes, [2])[0], scenes[1]);
    assert.throws(() => pickScenes(scenes, [3]), /scenes 1–2/);
  });
});

describe('verifyFinal', () => {
  const probe = (frames: number, audioS: number, withAudio = true) => ({
    durationS: frames / 30,
    sizeBytes: 1,
    video: { codec: 'h264', width: 1280, height: 720, fps: 30, frameCount: frames, durationS: frames / 30, pixFmt: 'yuv420p', timeBase: '1/15360' },
    audio: withAudio ? { codec: 'aac', durationS: audioS, sampleRate: 44100, channels: 2 } : null,
  });
  it('accepts a video of exactly the expected frames with audio ending within a frame', () => {
    assert.doesNotThrow(() => verifyFinal(probe(300, 10.02), 300, 30));
  });
  it('rejects a frame count off by one, missing audio, or audio that runs long', () => {
    assert.throws(() => verifyFinal(probe(299, 9.97), 300, 30), /299 frames, expected 300/);
    assert.throws(() => verifyFinal(probe(300, 10, false), 300, 30), /no audio/);
    assert.throws(() => verifyFinal(probe(300, 10.2), 300, 30), /do not end together/);
  });
});
