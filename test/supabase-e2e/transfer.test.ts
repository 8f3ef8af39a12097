/**
 * The export/import core in-process on the local adapters: ids remapped consistently (foreign
 * keys, blob keys, job payloads), live jobs left out, owners dropped, and bad folders refused.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { exportProject } from '../../src/core/transfer/export.ts';
import { importProject } from '../../src/core/transfer/import.ts';
import { OmveeError } from '../../src/core/errors.ts';
import { tempHome } from './helpers.ts';

it('import remaps every id and blob key consistently and keeps only finished jobs', async (t) => {
  const home = await tempHome(t, 'omvee-transfer-');
  const store = await openLocalStore({ home });
  t.after(() => store.close());
  const blobs = openLocalBlobs({ root: path.join(home, 'files') });
  const p = await store.insert('projects', { name: 'Source', status: 'images_generated' });
  const scene = await store.insert('selected_scenes', { project_id: p.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
  const prompt = await store.insert('scene_prompts', { project_id: p.id, scene_id: scene.id, image_prompt: 'a lake' });
  const imageKey = `projects/${p.id}/images/scene-${scene.id}-take1.png`;
  await blobs.put(imageKey, Buffer.from('png bytes'));
  const image = await store.insert('generated_images', { project_id: p.id, scene_id: scene.id, prompt_id: prompt.id, status: 'completed', image_path: imageKey });
  await store.insert('jobs', { project_id: p.id, type: 'generate_images', payload: { sceneId: scene.id } });
  const done = await store.insert('jobs', { project_id: p.id, type: 'generate_prompts', payload: { sceneId: scene.id } });
  const claimed = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: done.id }))!;
  await store.completeJob({ id: claimed.id, workerId: 'w', attempt: claimed.attempts }, { imageId: image.id });

  const dir = path.join(home, 'export');
  const exported = await exportProject({ store, blobs, project: p, outDir: dir, omveeVersion: 'test' });
  assert.deepEqual([exported.files, exported.rows.jobs], [1, 2]);
  const result = await importProject({ store, blobs, dir, name: 'Copy' });
  assert.equal(result.rows.jobs, 1);
  assert.match(result.warnings.join('\n'), /1 pending or running job was not imported/);

  const [newScene] = await store.list('selected_scenes', { where: { project_id: result.projectId } });
  const [newPrompt] = await store.list('scene_prompts', { where: { project_id: result.projectId } });
  const [newImage] = await store.list('generated_images', { where: { project_id: result.projectId } });
  const [newJob] = await store.list('jobs', { where: { project_id: result.projectId } });
  assert.ok(newScene && newPrompt && newImage && newJob);
  assert.notEqual(newScene.id, scene.id);
  assert.equal(newPrompt.scene_id, newScene.id);
  assert.equal(newImage.prompt_id, newPrompt.id);
  assert.equal(newImage.image_path, `projects/${result.projectId}/images/scene-${newScene.id}-take1.png`);
  assert.deepEqual(await blobs.get(newImage.image_path!), Buffer.from('png bytes'));
  assert.deepEqual(newJob.payload, { sceneId: newScene.id });
  assert.deepEqual(newJob.result, { imageId: newImage.id });
  assert.equal(newJob.status, 'completed');
  // the original is untouched
  assert.equal((await store.get('generated_images', image.id))?.image_path, imageKey);
});

it('refuses folders that are not exports, damaged files and dangling references, writing nothing', async (t) => {
  const home = await tempHome(t, 'omvee-transfer-');
  const store = await openLocalStore({ home });
  t.after(() => store.close());
  const blobs = openLocalBlobs({ root: path.join(home, 'files') });
  const p = await store.insert('projects', { name: 'Source' });
  await blobs.put(`projects/${p.id}/audio/a.wav`, Buffer.from('RIFF'));
  const dir = path.join(home, 'export');
  await exportProject({ store, blobs, project: p, outDir: dir, omveeVersion: 'test' });
  const count = async (): Promise<number> => store.count('projects');
  const before = await count();

  const empty = path.join(home, 'empty');
  await mkdir(empty);
  await assert.rejects(importProject({ store, blobs, dir: empty }), (e: unknown) => e instanceof OmveeError && /not an omvee export/.test(e.message));

  await writeFile(path.join(dir, 'files', 'audio', 'a.wav'), 'changed');
  await assert.rejects(importProject({ store, blobs, dir }), (e: unknown) => e instanceof OmveeError && /does not match project.json/.test(e.message));
  await writeFile(path.join(dir, 'files', 'audio', 'a.wav'), 'RIFF');

  const manifestPath = path.join(dir, 'project.json');
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { tables: Record<string, unknown[]> };
  const now = new Date().toISOString();
  manifest.tables.scene_prompts = [{ id: crypto.randomUUID(), project_id: p.id, scene_id: crypto.randomUUID(), image_prompt: 'x', style_notes: null, negative_prompt: null, setting: null, shot_type: null, mood: null, color_palette: null, motion_prompt: null, generated_by_model: null, cost_usd: null, created_at: now, updated_at: now }];
  await writeFile(manifestPath, JSON.stringify(manifest));
  await assert.rejects(importProject({ store, blobs, dir }), (e: unknown) => e instanceof OmveeError && /refers to scene_id/.test(e.message));
  assert.equal(await count(), before);
});
