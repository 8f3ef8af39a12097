/**
 * `project import` into Supabase as a signed-in user after the queue-privileges migration: the
 * user may not write job state, so finished jobs (history) are left out with a warning, and
 * everything else arrives; with the service key the history is imported too.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { exportProject } from '../../src/core/transfer/export.ts';
import { importProject } from '../../src/core/transfer/import.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';

let double: PostgrestDouble;
let dir: string;
let exportDir: string;
before(async () => {
  double = await startPostgrestDouble();
  dir = await mkdtemp(path.join(tmpdir(), 'omvee-import-user-'));
  const store = await openLocalStore({ home: dir });
  const blobs = openLocalBlobs({ root: path.join(dir, 'files') });
  const p = await store.insert('projects', { name: 'Local', status: 'uploaded' });
  await blobs.put(`projects/${p.id}/audio/song.wav`, Buffer.from('RIFF song'));
  await store.update('projects', p.id, { audio_path: `projects/${p.id}/audio/song.wav`, audio_duration_s: 2 });
  const job = await store.insert('jobs', { project_id: p.id, type: 'generate_prompts', payload: {} });
  const claimed = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: job.id }))!;
  await store.completeJob({ id: claimed.id, workerId: 'w', attempt: claimed.attempts }, { ok: true }, 0.25);
  exportDir = path.join(dir, 'export');
  await exportProject({ store, blobs, project: (await store.get('projects', p.id))!, outDir: exportDir, omveeVersion: 'test' });
  await store.close();
});
after(async () => {
  await double?.close();
  await rm(dir, { recursive: true, force: true });
});

it('a signed-in user imports everything but the job history, with a warning', async () => {
  const user = await double.createUser('importer@example.test', 'importer-password');
  const conn = { url: double.url, key: double.anonKey, accessToken: user.accessToken, retry: false };
  const store = await openSupabaseStore(conn);
  const result = await importProject({ store, blobs: openSupabaseBlobs(conn), dir: exportDir, name: 'Imported by a user' });
  assert.match(result.warnings.join('\n'), /job history was not imported/);
  assert.equal(result.rows.jobs, 0);
  const project = (await store.get('projects', result.projectId))!;
  assert.deepEqual([project.name, project.status, project.description], ['Imported by a user', 'uploaded', null]);
  assert.equal(await store.count('jobs', { project_id: project.id }), 0);
});

it('with the service key the history comes along, its cost included', async () => {
  const conn = { url: double.url, key: double.serviceKey, retry: false };
  const store = await openSupabaseStore(conn);
  const result = await importProject({ store, blobs: openSupabaseBlobs(conn), dir: exportDir, name: 'Imported by the operator' });
  assert.deepEqual(result.warnings, []);
  const jobs = await store.list('jobs', { where: { project_id: result.projectId } });
  assert.deepEqual(jobs.map((j) => [j.status, j.cost_usd]), [['completed', 0.25]]);
});
