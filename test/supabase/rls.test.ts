/**
 * Row level security through the real policies of supabase/migrations: two signed-in users and
 * anon, each going through SupabaseStore/SupabaseBlobs → supabase-js → the test double, which runs
 * every request as the JWT's role with its claims. Also `omvee login`'s session functions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { loadSession, sessionPath, signIn, signOut } from '../../src/store/supabase/session.ts';
import { isOmveeError } from '../../src/core/errors.ts';
import type { Store } from '../../src/store/port.ts';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';

let double: PostgrestDouble;
let alice: DoubleUser;
let bob: DoubleUser;
const asUser = (user: DoubleUser) => ({ url: double.url, key: double.anonKey, accessToken: user.accessToken, retry: false });

before(async () => {
  double = await startPostgrestDouble();
  alice = await double.createUser('alice@example.test', 'alice-password');
  bob = await double.createUser('bob@example.test', 'bob-password');
});
after(async () => {
  await double.close();
});

async function aliceProject(store: Store) {
  const project = await store.insert('projects', { name: 'alice song' });
  const scene = await store.insert('selected_scenes', { project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
  const job = await store.insert('jobs', { type: 'generate_images', project_id: project.id });
  return { project, scene, job };
}

describe('row level security', () => {
  it('model contracts: every signed-in user reads them, only service_role writes them (a worker never trusts a user-written schema)', async () => {
    const service = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    const a = await openSupabaseStore(asUser(alice));
    const schema = { components: { schemas: { Input: { type: 'object', properties: { prompt: { type: 'string' } } } } } };
    const row = await service.insert('model_contracts', { model: 'acme/rls-model', version: 'v1', openapi_schema: schema, source: 'api', fetched_at: new Date().toISOString() });
    assert.equal(row.user_id, null, 'written by service_role: no owner');
    const seen = await a.list('model_contracts', { where: { model: 'acme/rls-model' } });
    assert.deepEqual(seen.map((r) => r.version), ['v1']);
    await assert.rejects(
      a.insert('model_contracts', { model: 'acme/rls-model', version: 'v2', openapi_schema: schema, source: 'api', fetched_at: new Date().toISOString() }),
      (e: unknown) => isOmveeError(e) && e.code === 'permission' && /row level security/.test(e.message),
    );
    await assert.rejects(a.update('model_contracts', row.id, { openapi_schema: { poisoned: true } }), (e: unknown) => isOmveeError(e) && (e.code === 'not_found' || e.code === 'store'));
    assert.equal(await a.delete('model_contracts', row.id), false);
    assert.deepEqual((await service.get('model_contracts', row.id))?.openapi_schema, schema, 'untouched');
    const anon = await openSupabaseStore({ url: double.url, key: double.anonKey, retry: false });
    await assert.rejects(anon.list('model_contracts'), (e: unknown) => isOmveeError(e));
  });

  it('a user owns what they create; another user sees, changes and claims none of it', async () => {
    const a = await openSupabaseStore(asUser(alice));
    const b = await openSupabaseStore(asUser(bob));
    const { project, scene, job } = await aliceProject(a);
    assert.equal(project.user_id, alice.id, 'user_id defaults to auth.uid()');

    assert.equal((await a.list('projects', { where: { id: project.id } })).length, 1);
    assert.equal(await b.get('projects', project.id), null);
    assert.deepEqual(await b.list('selected_scenes', { where: { project_id: project.id } }), []);
    assert.equal(await b.count('jobs'), 0);

    await assert.rejects(b.update('projects', project.id, { name: 'stolen' }), (e: unknown) => isOmveeError(e) && e.code === 'not_found');
    assert.equal(await b.updateIf('selected_scenes', scene.id, {}, { title: 'stolen' }), null);
    assert.equal(await b.delete('projects', project.id), false);
    assert.equal(await b.deleteWhere('jobs', {}), 0);
    await assert.rejects(
      b.insert('selected_scenes', { project_id: project.id, order_idx: 9, start_time_s: 0, end_time_s: 1 }),
      (e: unknown) => isOmveeError(e) && e.code === 'permission' && /row level security/.test(e.message),
    );
    await assert.rejects(b.replaceScenes(project.id, []), (e: unknown) => isOmveeError(e) && e.code === 'not_found');
    assert.equal(await b.claimJob({ workerId: 'bob', leaseSeconds: 60 }), null, "bob cannot claim alice's job");
    await assert.rejects(b.cancelJob(job.id), (e: unknown) => isOmveeError(e) && e.code === 'not_found');

    // alice's rows are untouched, and she can claim her own job
    assert.equal((await a.get('projects', project.id))?.name, 'alice song');
    assert.equal((await a.get('selected_scenes', scene.id))?.title, null);
    const claimed = await a.claimJob({ workerId: 'alice-laptop', leaseSeconds: 60 });
    assert.equal(claimed?.id, job.id);
    // the service role (operators, CI) sees everyone's rows
    const service = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    assert.ok((await service.count('projects')) >= 1);
    // and a user cannot hand a project to someone else
    await assert.rejects(a.update('projects', project.id, { user_id: bob.id }), (e: unknown) => isOmveeError(e) && e.code === 'permission');
  });

  it("a user cannot attach rows to another user's scene, prompt, image or clip, feature their artist or sign as them", async () => {
    const a = await openSupabaseStore(asUser(alice));
    const b = await openSupabaseStore(asUser(bob));
    const { project: aProject, scene: aScene } = await aliceProject(a);
    const aPrompt = await a.insert('scene_prompts', { project_id: aProject.id, scene_id: aScene.id, image_prompt: 'alice' });
    const aImage = await a.insert('generated_images', { project_id: aProject.id, scene_id: aScene.id, prompt_id: aPrompt.id });
    const aClip = await a.insert('video_clips', { project_id: aProject.id, scene_id: aScene.id, image_id: aImage.id });
    // a scene of alice's with nothing on it yet: bob must not be able to take its unique keys
    const aBare = await a.insert('selected_scenes', { project_id: aProject.id, order_idx: 1, start_time_s: 5, end_time_s: 9 });
    const aArtist = await a.insert('artists', { name: 'alice herself' });

    const bProject = await b.insert('projects', { name: 'bob song' });
    const bScene = await b.insert('selected_scenes', { project_id: bProject.id, order_idx: 0, start_time_s: 0, end_time_s: 5 });
    const mine = { project_id: bProject.id, scene_id: bScene.id };
    const invalid = (e: unknown) => isOmveeError(e) && e.code === 'invalid_input';
    const denied = (e: unknown) => isOmveeError(e) && e.code === 'permission' && /row level security/.test(e.message);

    // rows in bob's own project that name alice's scene, prompt, image or clip
    await assert.rejects(b.insert('scene_prompts', { project_id: bProject.id, scene_id: aBare.id, image_prompt: 'squat' }), invalid);
    await assert.rejects(b.insert('generated_images', { project_id: bProject.id, scene_id: aBare.id, take: 1 }), invalid);
    await assert.rejects(b.insert('video_clips', { project_id: bProject.id, scene_id: aBare.id, take: 1 }), invalid);
    await assert.rejects(b.insert('user_approvals', { project_id: bProject.id, scene_id: aBare.id, decision: 'rejected' }), invalid);
    await assert.rejects(b.insert('generated_images', { ...mine, prompt_id: aPrompt.id }), invalid);
    await assert.rejects(b.insert('video_clips', { ...mine, image_id: aImage.id }), invalid);
    await assert.rejects(b.insert('user_approvals', { ...mine, image_id: aImage.id, decision: 'approved' }), invalid);
    await assert.rejects(b.insert('user_approvals', { ...mine, clip_id: aClip.id, decision: 'approved' }), invalid);
    const bImage = await b.insert('generated_images', { ...mine });
    await assert.rejects(b.update('generated_images', bImage.id, { scene_id: aBare.id }), invalid);

    // alice's artist: invisible to bob, so he cannot feature it (insert, update, replaceScenes)
    await assert.rejects(
      b.insert('selected_scenes', { project_id: bProject.id, order_idx: 1, start_time_s: 5, end_time_s: 9, artist_id: aArtist.id }),
      denied,
    );
    await assert.rejects(b.update('selected_scenes', bScene.id, { artist_id: aArtist.id }), denied);
    await assert.rejects(b.replaceScenes(bProject.id, [{ order_idx: 0, start_time_s: 0, end_time_s: 5, artist_id: aArtist.id }]), denied);
    const bArtist = await b.insert('artists', { name: 'bob himself' });
    assert.equal((await b.update('selected_scenes', bScene.id, { artist_id: bArtist.id })).artist_id, bArtist.id, 'his own artist is fine');

    // approvals are signed by the caller or by nobody
    await assert.rejects(b.insert('user_approvals', { ...mine, decision: 'approved', user_id: alice.id }), denied);
    const signed = await b.insert('user_approvals', { ...mine, decision: 'approved' });
    assert.equal(signed.user_id, bob.id, 'user_id defaults to the caller');
    assert.equal((await b.insert('user_approvals', { ...mine, decision: 'rejected', user_id: null })).user_id, null);
    await assert.rejects(b.update('user_approvals', signed.id, { user_id: alice.id }), denied);

    // alice is unaffected: nothing of bob's hangs off her rows, her keys are free, her deletes are hers
    const service = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    for (const table of ['scene_prompts', 'generated_images', 'video_clips', 'user_approvals'] as const) {
      assert.equal(await service.count(table, { scene_id: aBare.id }), 0, `${table} on alice's scene`);
    }
    assert.equal(await service.count('selected_scenes', { artist_id: aArtist.id }), 0);
    await a.insert('scene_prompts', { project_id: aProject.id, scene_id: aBare.id, image_prompt: 'mine' });
    await a.insert('generated_images', { project_id: aProject.id, scene_id: aBare.id, take: 1 });
    assert.equal(await a.delete('projects', aProject.id), true);
    assert.equal(await b.count('generated_images', { project_id: bProject.id }), 1, "bob's rows survive alice's delete");
    assert.equal(await b.count('user_approvals', { project_id: bProject.id }), 2);
  });

  it("files: a user reads, lists, writes and signs only under their own projects", async () => {
    const a = await openSupabaseStore(asUser(alice));
    const { project } = await aliceProject(a);
    const aliceFiles = openSupabaseBlobs(asUser(alice));
    const bobFiles = openSupabaseBlobs(asUser(bob));
    const key = `projects/${project.id}/audio/song.mp3`;
    await aliceFiles.put(key, new Uint8Array([1, 2, 3]));
    assert.equal((await aliceFiles.stat(key))?.contentType, 'audio/mpeg', 'content type from the extension');
    assert.deepEqual([...(await aliceFiles.get(key))], [1, 2, 3]);

    assert.equal(await bobFiles.exists(key), false);
    await assert.rejects(bobFiles.get(key), (e: unknown) => isOmveeError(e) && e.code === 'not_found');
    assert.deepEqual(await bobFiles.list(`projects/${project.id}`), []);
    await assert.rejects(bobFiles.put(key, new Uint8Array([9])), (e: unknown) => isOmveeError(e) && e.code === 'permission');
    await assert.rejects(bobFiles.signedUrl(key, 60), (e: unknown) => isOmveeError(e) && e.code === 'not_found');
    await assert.rejects(bobFiles.createSignedUploadUrl(`projects/${project.id}/audio/evil.mp3`), (e: unknown) => isOmveeError(e) && e.code === 'permission');
    await bobFiles.remove([key]);
    assert.equal(await aliceFiles.exists(key), true, "bob's remove deleted nothing");
    // outside any project: refused
    await assert.rejects(aliceFiles.put('elsewhere/x.txt', new Uint8Array([1])), (e: unknown) => isOmveeError(e) && e.code === 'permission');

    // signed URLs work without credentials
    const signed = await aliceFiles.signedUrl(key, 60);
    const res = await fetch(signed);
    assert.equal(res.status, 200);
    assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [1, 2, 3]);
    const upload = await aliceFiles.createSignedUploadUrl(`projects/${project.id}/audio/upload.wav`);
    const put = await fetch(upload.signedUrl, { method: 'PUT', body: new Uint8Array([7, 7]), headers: { 'content-type': 'audio/wav' } });
    assert.equal(put.status, 200);
    assert.deepEqual([...(await aliceFiles.get(`projects/${project.id}/audio/upload.wav`))], [7, 7]);
  });

  it('anon sees nothing and may not call the queue functions', async () => {
    const service = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    await service.insert('projects', { name: 'someone' });
    await service.insert('jobs', { type: 'transcribe' });
    const anon = await openSupabaseStore({ url: double.url, key: double.anonKey, retry: false });
    await assert.rejects(anon.list('projects'), (e: unknown) => isOmveeError(e) && e.code === 'permission' && /permission denied/.test(e.message));
    await assert.rejects(anon.claimJob({ workerId: 'anon', leaseSeconds: 60 }), (e: unknown) => isOmveeError(e) && e.code === 'permission');
    assert.deepEqual(await openSupabaseBlobs({ url: double.url, key: double.anonKey, retry: false }).list('projects'), []);
    assert.ok((await service.count('jobs', { status: 'pending' })) >= 1, 'the job is still pending');
  });
});

describe('omvee login session', () => {
  it('signs in, keeps the session 0600, refreshes it when expired, signs out', async () => {
    const configDir = await mkdtemp(path.join(tmpdir(), 'omvee-session-'));
    try {
      const opts = { url: double.url, anonKey: double.anonKey, configDir };
      await assert.rejects(signIn({ ...opts, email: 'alice@example.test', password: 'wrong' }), (e: unknown) => isOmveeError(e) && e.code === 'config' && /email or password/.test(e.message));
      assert.equal(await loadSession(opts), null);

      const session = await signIn({ ...opts, email: 'alice@example.test', password: 'alice-password' });
      assert.equal(session.user.id, alice.id);
      assert.equal((await stat(sessionPath(configDir))).mode & 0o777, 0o600);
      const loaded = await loadSession(opts);
      assert.equal(loaded?.accessToken, session.accessToken);
      assert.equal(await loadSession({ ...opts, url: 'https://other.example.test' }), null, 'a session belongs to one project');

      // an hour and a half later the access token is refreshed with the refresh token
      const later = () => Math.floor(Date.now() / 1000) + 5400;
      const refreshed = await loadSession({ ...opts, now: later });
      assert.ok(refreshed);
      assert.notEqual(refreshed.refreshToken, session.refreshToken);
      const store = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: refreshed.accessToken, retry: false });
      const project = await store.insert('projects', { name: 'via login' });
      assert.equal(project.user_id, alice.id);

      assert.equal(await signOut(opts), true);
      assert.equal(await loadSession(opts), null);
      assert.equal(await signOut(opts), false);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});
