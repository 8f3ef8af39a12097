// What is left to do on a project: the same decisions drive `run --project` and `run --detach`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nextStep, stepsToQueue } from '../../src/core/pipeline/remaining.ts';
import { usableFinal } from '../../src/core/pipeline/final-video.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { JobType, Store } from '../../src/store/port.ts';

let home: string;
let store: Store;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-remaining-'));
  store = await openLocalStore({ home });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

const options = { bounds: { sceneMinS: 5, sceneMaxS: 10 }, lyricsOverlay: false };
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

test('steps are needed while their work is missing, each once, in pipeline order', async () => {
  const project = await store.insert('projects', { name: 'p', audio_duration_s: 8 });
  const ran = new Set<JobType>();
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'transcribe');
  assert.deepEqual((await nextStep(store, project.id, { ...options, lyricsSource: { key: 'k', fileName: 'a.lrc' } }, ran))?.payload, { mode: 'import', source_key: 'k', file_name: 'a.lrc' });

  await store.update('projects', project.id, { transcript: { source: 'lrc', segments: [] } });
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'analyze_scenes');
  const [scene] = await store.replaceScenes(project.id, [{ project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 8 }]);
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'generate_prompts');
  await store.insert('scene_prompts', { project_id: project.id, scene_id: scene!.id, image_prompt: 'x' });
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'generate_images');
  await store.insert('generated_images', { project_id: project.id, scene_id: scene!.id, status: 'completed' });
  // clips always get one pass; then the cut, until a usable one exists
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'generate_clips');
  ran.add('generate_clips');
  assert.equal((await nextStep(store, project.id, options, ran))?.type, 'assemble_video');
  await store.insert('video_clips', { project_id: project.id, scene_id: scene!.id, status: 'completed' });
  await store.insert('final_videos', { project_id: project.id, status: 'completed', created_at: later(60_000) });
  assert.equal(await nextStep(store, project.id, options, ran), null, 'done: nothing newer than the cut');
  assert.notEqual(await usableFinal(store, project.id, false), null);
  assert.equal(await usableFinal(store, project.id, true), null, 'a cut without the lyrics overlay does not count for one with it');

  // a review decision after the cut makes it stale
  await store.insert('user_approvals', { project_id: project.id, scene_id: scene!.id, decision: 'rejected', created_at: later(120_000), updated_at: later(120_000) });
  assert.equal(await usableFinal(store, project.id, false), null);
});

test('queued steps skip a transcript and scenes that exist, and always end with a fresh cut', async () => {
  const project = await store.insert('projects', { name: 'q', audio_duration_s: 8, transcript: { source: 'lrc', segments: [] } });
  await store.replaceScenes(project.id, [{ project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 8 }]);
  const links = await stepsToQueue(store, project, { ...options, lyricsOverlay: true });
  assert.deepEqual(links.map((l) => l.type), ['generate_prompts', 'generate_images', 'generate_clips', 'assemble_video']);
  assert.deepEqual(links.at(-1)?.payload, { auto_approve: true, lyrics_overlay: true });
});

test('the song is analysed after the transcript and before scenes, until its analysis matches the stored song', async () => {
  const sha = 'ab12cd34ef56ab78' + '0'.repeat(48);
  const project = await store.insert('projects', { name: 'heard', audio_duration_s: 8, transcript: { source: 'lrc', segments: [] } });
  await store.update('projects', project.id, { audio_path: `projects/${project.id}/audio/song-${sha.slice(0, 16)}.mp3` });
  assert.equal((await nextStep(store, project.id, options, new Set()))?.type, 'analyze_audio');
  const analysis = { version: 1, audio_sha256: sha, duration_s: 8, tempo_bpm: null, beats: [], downbeats: [], meter: null, sections: [{ start_s: 0, end_s: 8, label: 'A', energy: 0 }], chorus_label: null, energy: { hop_s: 0.5, values: [] }, vocal_activity: null, notes: [] };
  await store.update('projects', project.id, { audio_analysis: analysis });
  assert.equal((await nextStep(store, project.id, options, new Set()))?.type, 'analyze_scenes', 'a current analysis is not redone');
  // a replaced song (another content-addressed key) needs a new analysis
  await store.update('projects', project.id, { audio_path: `projects/${project.id}/audio/song-ffffffffffffffff.mp3` });
  assert.equal((await nextStep(store, project.id, options, new Set()))?.type, 'analyze_audio');
  assert.deepEqual((await stepsToQueue(store, (await store.get('projects', project.id))!, options)).map((l) => l.type)[0], 'analyze_audio');
});
