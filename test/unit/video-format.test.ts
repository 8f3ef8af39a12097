// A project's video settings (issue 13): the frame a new project gets from the flags, what a change
// patches (an aspect alone keeps the short side, a resolution alone keeps the shape), what a change
// makes stale, which stills and clips still fit, the one default frame rate, and how a project's
// default captions tell an offline video from an AI one by its stills.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { projectIsOffline } from '../../src/core/pipeline/finish.ts';
import { countScenesWithout } from '../../src/core/pipeline/images-step.ts';
import { chosenImage } from '../../src/core/pipeline/preview-step.ts';
import { DEFAULT_FRAME_RATE, clipFits, describeFormatChange, formatChange, newProjectVideo, stillFits, videoPatch } from '../../src/core/video/project-format.ts';
import type { Providers } from '../../src/providers/ports.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-video-format-'));
  store = await openLocalStore({ home });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

test('a new project: the flags, else 16:9 720p at the default frame rate', () => {
  assert.deepEqual(newProjectVideo({}), { width: 1280, height: 720, fps: DEFAULT_FRAME_RATE });
  assert.equal(DEFAULT_FRAME_RATE, 30);
  assert.deepEqual(newProjectVideo({}, 24), { width: 1280, height: 720, fps: 24 }, "the clip model's rate when --fps is not given");
  assert.deepEqual(newProjectVideo({ fps: 25 }, 24), { width: 1280, height: 720, fps: 25 }, '--fps wins');
  assert.deepEqual(newProjectVideo({ aspect: '9:16' }), { width: 720, height: 1280, fps: 30 });
  assert.deepEqual(newProjectVideo({ aspect: '4:5', resolution: '1080p', fps: 24, captions: 'minimal', visualizer: 'wave' }), { width: 1080, height: 1350, fps: 24, caption_style: 'minimal', visualizer: 'wave' });
  assert.deepEqual(newProjectVideo({ aspect: '1:1', resolution: '480p' }), { width: 480, height: 480, fps: 30 });
});

test('a change: an aspect alone keeps the short side, a resolution alone keeps the shape; only what changes is patched', () => {
  const p = { width: 1280, height: 720, fps: 30, caption_style: null, visualizer: null } as const;
  assert.deepEqual(videoPatch(p, { aspect: '9:16' }), { width: 720, height: 1280 });
  assert.deepEqual(videoPatch(p, { resolution: '1080p' }), { width: 1920, height: 1080 });
  assert.deepEqual(videoPatch({ ...p, width: 720, height: 1280 }, { resolution: '480p' }), { width: 480, height: 854 });
  assert.deepEqual(videoPatch(p, { aspect: '16:9', resolution: '720p', fps: 30 }), {}, 'the same frame is no change');
  assert.deepEqual(videoPatch(p, { fps: 25, captions: 'none' }), { fps: 25, caption_style: 'none' });
});

test('which takes fit a frame', () => {
  const f = { width: 720, height: 1280, fps: 30 };
  assert.equal(stillFits({ width: 720, height: 1280 }, f), true);
  assert.equal(stillFits({ width: 1280, height: 720 }, f), false);
  assert.equal(stillFits({ width: null, height: null }, f), true, 'takes from before sizes were kept count as fitting');
  assert.equal(clipFits({ width: 720, height: 1280, fps: 30 }, f), true);
  assert.equal(clipFits({ width: 720, height: 1280, fps: 24 }, f), false, 'another frame rate');
  assert.equal(clipFits({ width: 1280, height: 720, fps: 30 }, f), false);
});

test('what a change of frame makes stale: scenes none of whose takes fit it; the chosen still skips other shapes', async () => {
  const project = await store.insert('projects', { name: 'shape', width: 1280, height: 720, fps: 30 });
  const scenes = await store.insertMany('selected_scenes', [0, 1].map((i) => ({ project_id: project.id, order_idx: i, start_time_s: i * 3, end_time_s: i * 3 + 3 })));
  const [a, b] = scenes as [(typeof scenes)[0], (typeof scenes)[0]];
  const old = await store.insert('generated_images', { project_id: project.id, scene_id: a.id, take: 1, status: 'completed', width: 1280, height: 720, model: 'omvee-local-still-1' });
  await store.insert('generated_images', { project_id: project.id, scene_id: b.id, take: 1, status: 'completed', width: 1280, height: 720, model: 'omvee-local-still-1' });
  await store.insert('video_clips', { project_id: project.id, scene_id: a.id, take: 1, status: 'completed', width: 1280, height: 720, fps: 30, frame_count: 90 });
  assert.equal(await formatChange(store, project, {}), null);
  const change = await formatChange(store, project, { width: 720, height: 1280 });
  assert.deepEqual([change?.stills, change?.clips], [2, 1]);
  assert.match(describeFormatChange(change, project.id)!, /^2 stills and 1 clip were made for 1280×720 at 30 fps, not 720×1280 at 30 fps: they are kept as older takes/);
  const fpsOnly = await formatChange(store, project, { fps: 24 });
  assert.deepEqual([fpsOnly?.stills, fpsOnly?.clips], [0, 1]);
  assert.match(describeFormatChange(fpsOnly, project.id)!, /^1 clip was made for 1280×720 at 30 fps, not 1280×720 at 24 fps: it is kept/);
  assert.match(describeFormatChange(change, project.id, 'this run')!, /kept as older takes and this run makes new ones for the new frame$/);
  assert.match(describeFormatChange(change, project.id, 'the queued steps')!, /kept as older takes and the queued steps make new ones for the new frame$/);
  // a scene is stale only when none of its takes fits: going back to a frame whose takes are kept makes nothing stale
  await store.insert('generated_images', { project_id: project.id, scene_id: a.id, take: 9, status: 'completed', width: 720, height: 1280, model: 'omvee-local-still-1' });
  const back = await formatChange(store, { ...project, width: 720, height: 1280 }, { width: 1280, height: 720 });
  assert.deepEqual([back?.stills, back?.clips], [0, 0], 'scene 1 still has its 16:9 take 1');
  const again = await formatChange(store, project, { width: 720, height: 1280 });
  assert.equal(again?.stills, 1, 'only scene 2 has no 9:16 still');
  await store.update('generated_images', (await store.list('generated_images', { where: { scene_id: a.id, take: 9 } }))[0]!.id, { status: 'failed' });

  const vertical = { ...project, width: 720, height: 1280 };
  assert.equal(await countScenesWithout({ store }, project.id, 'generated_images'), 0);
  assert.equal(await countScenesWithout({ store }, project.id, 'generated_images', { ...vertical }), 2, 'no still made for 720×1280');
  const images = await store.list('generated_images', { where: { project_id: project.id } });
  await store.insert('user_approvals', { project_id: project.id, scene_id: a.id, image_id: old.id, decision: 'approved' });
  const approvals = await store.list('user_approvals', { where: { project_id: project.id } });
  assert.equal(chosenImage(a, images, approvals, project)?.id, old.id);
  assert.equal(chosenImage(a, images, approvals, vertical), null, 'an approved still of the old shape is not used for the new one');
  const fresh = await store.insert('generated_images', { project_id: project.id, scene_id: a.id, take: 2, status: 'completed', width: 720, height: 1280 });
  assert.equal(chosenImage(a, [...images, fresh], approvals, vertical)?.id, fresh.id);
});

test('default captions: an offline video by its stills, not by the providers of the command (render runs without any)', async () => {
  const local = { providers: { images: { name: 'local' } } as unknown as Providers, store };
  const replicate = { providers: { images: { name: 'replicate' } } as unknown as Providers, store };
  const empty = await store.insert('projects', { name: 'no stills' });
  assert.equal(await projectIsOffline(local, empty), true);
  assert.equal(await projectIsOffline(replicate, empty), false);
  const ai = await store.insert('projects', { name: 'ai' });
  const [s] = await store.insertMany('selected_scenes', [{ project_id: ai.id, order_idx: 0, start_time_s: 0, end_time_s: 3 }]);
  await store.insert('generated_images', { project_id: ai.id, scene_id: s!.id, status: 'completed', model: 'black-forest-labs/flux-schnell' });
  assert.equal(await projectIsOffline(local, ai), false, 'render (local providers) of an AI project: no default captions');
});
