/**
 * The CLI on the Supabase backend, end to end: the built binary (service key, CI=true) against
 * the PostgREST test double — projects, uploads, a whole `omvee run`, jobs, signed uploads,
 * export from the local backend and import into Supabase, and a failed import leaving nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { baseEnv, ffprobe, makeSong, omvee, omveeJson, serviceEnv, storedObjects, tempHome } from './helpers.ts';

describe('omvee on the Supabase backend (service key)', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble();
  });
  after(async () => {
    await d?.close();
  });

  it('creates, lists, shows, uploads audio to and deletes a project; the delete removes its files', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const { song } = await makeSong(home, 3);
    const created = await omveeJson<{ id: string; name: string }>(env, ['project', 'create', 'Cloud One']);
    assert.equal(created.name, 'Cloud One');
    const list = await omveeJson<{ id: string }[]>(env, ['project', 'list']);
    assert.ok(list.some((p) => p.id === created.id));

    const uploaded = await omveeJson<{ audio_path: string; audio_duration_s: number; status: string }>(env, ['upload', 'audio', created.id, song]);
    assert.match(uploaded.audio_path, new RegExp(`^projects/${created.id}/audio/`));
    assert.ok(Math.abs(uploaded.audio_duration_s - 3) < 0.1);
    assert.deepEqual(await storedObjects(d, `projects/${created.id}/`), [uploaded.audio_path]);

    const shown = await omveeJson<{ id: string; status: string; audio_path: string }>(env, ['project', 'show', 'Cloud One']);
    assert.equal(shown.id, created.id);
    assert.equal(shown.status, 'uploaded');

    const deleted = await omveeJson<{ deleted: boolean; files_removed: number }>(env, ['project', 'delete', created.id, '--yes']);
    assert.deepEqual([deleted.deleted, deleted.files_removed], [true, 1]);
    assert.deepEqual(await storedObjects(d, `projects/${created.id}/`), [], 'the files are gone from storage');
    const gone = await omvee(env, ['project', 'show', created.id]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /project not found/);
  });

  it('runs the whole pipeline on Supabase and lists its jobs', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const { song, lyrics } = await makeSong(home, 6);
    const out = path.join(home, 'out.mp4');
    const r = await omvee(env, ['run', song, '--lyrics', lyrics, '--name', 'Full Run', '--out', out, '--json'], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    const probe = await ffprobe(out);
    assert.deepEqual(probe.streams, ['audio', 'video']);
    assert.ok(Math.abs(probe.duration - 6) < 0.2, `duration ${probe.duration}`);

    const project = await omveeJson<{ id: string; status: string }>(env, ['project', 'show', 'Full Run']);
    assert.equal(project.status, 'rendered');
    const files = await storedObjects(d, `projects/${project.id}/`);
    assert.ok(files.some((f) => f.includes('/final/')), `a final video in storage: ${files.join(', ')}`);
    assert.ok(files.some((f) => f.includes('/clips/')));

    const jobs = await omveeJson<{ type: string; status: string; project_id: string }[]>(env, ['jobs', 'list', '--project', project.id]);
    assert.ok(jobs.length >= 5, `jobs: ${jobs.length}`);
    assert.ok(jobs.every((j) => j.project_id === project.id && j.status === 'completed'));
    assert.ok(jobs.some((j) => j.type === 'assemble_video'));
  });

  it('presigns an upload that a plain PUT can use without keys', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const p = await omveeJson<{ id: string }>(env, ['project', 'create', 'Presigned']);
    const signed = await omveeJson<{ url: string; token: string; path: string; expires_in: number }>(env, ['upload', 'presign', p.id, '../My Song!.mp3']);
    assert.equal(signed.path, `projects/${p.id}/audio/My-Song-.mp3`);
    assert.ok(signed.expires_in > 0);
    assert.ok(signed.url.includes(signed.token));
    const body = Buffer.from('ID3 fake mp3 bytes');
    const put = await fetch(signed.url, { method: 'PUT', headers: { 'content-type': 'audio/mpeg' }, body });
    assert.equal(put.status, 200, await put.text());
    assert.deepEqual(await storedObjects(d, `projects/${p.id}/`), [signed.path]);

    const help = await omvee(env, ['upload', 'presign', '--help']);
    assert.match(help.stdout, /curl -X PUT/);
    const local = await omvee(baseEnv(home, { OMVEE_BACKEND: 'local' }), ['upload', 'presign', 'x', 'a.mp3']);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /needs the Supabase backend/);
  });

  it('exports a project from the local backend, imports it into Supabase under new ids, and renders it there', async (t) => {
    const home = await tempHome(t);
    const local = baseEnv(home, { OMVEE_BACKEND: 'local', SUPABASE_URL: d.url, SUPABASE_SERVICE_KEY: d.serviceKey });
    const cloud = serviceEnv(home, d);
    const { song, lyrics } = await makeSong(home, 5);
    const r = await omvee(local, ['run', song, '--lyrics', lyrics, '--name', 'Offline Made'], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    const source = await omveeJson<{ id: string }>(local, ['project', 'show', 'Offline Made']);

    const dir = path.join(home, 'export');
    await mkdir(dir); // an empty folder is accepted
    const exported = await omveeJson<{ out: string; files: number; rows: Record<string, number> }>(local, ['project', 'export', source.id, '--out', dir]);
    assert.equal(exported.out, dir);
    assert.ok(exported.files >= 3 && (exported.rows.selected_scenes ?? 0) >= 1 && (exported.rows.video_clips ?? 0) >= 1);
    const manifest = JSON.parse(await readFile(path.join(dir, 'project.json'), 'utf8')) as { format_version: number; omvee_version: string; files: { path: string }[] };
    assert.equal(manifest.format_version, 1);
    assert.equal(manifest.files.length, exported.files);
    assert.ok((await readdir(path.join(dir, 'files', 'audio'))).length === 1);

    // refused: an export folder that exists and is not empty
    const again = await omvee(local, ['project', 'export', source.id, '--out', dir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists and is not empty/);

    const imported = await omveeJson<{ id: string; name: string; backend: string; files: number; rows: Record<string, number> }>(cloud, ['project', 'import', dir, '--name', 'Now In The Cloud']);
    assert.equal(imported.backend, 'supabase');
    assert.notEqual(imported.id, source.id);
    assert.equal(imported.files, exported.files);
    assert.deepEqual({ ...imported.rows, jobs: 0 }, { ...exported.rows, jobs: 0 });

    const stored = await storedObjects(d, `projects/${imported.id}/`);
    assert.equal(stored.length, exported.files);
    assert.ok(stored.every((k) => !k.includes(source.id)), 'blob keys carry the new id only');
    const project = await omveeJson<{ audio_path: string; status: string }>(cloud, ['project', 'show', imported.id]);
    assert.ok(stored.includes(project.audio_path));
    const clips = await d.db.asOwner((tx) => tx.query<{ clip_path: string; project_id: string }>('select clip_path, project_id from public.video_clips where project_id = $1', [imported.id]));
    assert.equal(clips.rows.length, exported.rows.video_clips);
    assert.ok(clips.rows.every((c) => stored.includes(c.clip_path)), 'clip rows point at the imported files');

    const out = path.join(home, 'cloud.mp4');
    // --force: the imported cut is up to date (render would only copy it); this renders on Supabase
    const rendered = await omvee(cloud, ['render', imported.id, '--yes', '--force', '--out', out], { timeoutMs: 60_000 });
    assert.equal(rendered.code, 0, rendered.stderr);
    const probe = await ffprobe(out);
    assert.ok(Math.abs(probe.duration - 5) < 0.2, `duration ${probe.duration}`);

    // the source project is untouched on the local backend
    const still = await omveeJson<{ id: string }>(local, ['project', 'show', source.id]);
    assert.equal(still.id, source.id);

    // and back: Supabase → local, final video included
    const back = path.join(home, 'back');
    const second = await omveeJson<{ files: number; rows: Record<string, number> }>(cloud, ['project', 'export', imported.id, '--out', back]);
    assert.equal(second.files, exported.files + 1, 'the render made on Supabase travels too');
    const home2 = await omveeJson<{ id: string; backend: string; rows: Record<string, number> }>(local, ['project', 'import', back]);
    assert.equal(home2.backend, 'local');
    assert.equal(home2.rows.final_videos, second.rows.final_videos);
    const localShown = await omveeJson<{ name: string; status: string }>(local, ['project', 'show', home2.id]);
    assert.deepEqual([localShown.name, localShown.status], ['Now In The Cloud', 'rendered']);
  });

  it('an import that fails midway keeps nothing; a damaged export is refused before writing', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const { song } = await makeSong(home, 2);
    const p = await omveeJson<{ id: string }>(env, ['project', 'create', 'To Copy', '--audio', song]);
    const dir = path.join(home, 'exp');
    await omveeJson(env, ['project', 'export', p.id, '--out', dir]);
    const before = await omveeJson<{ id: string }[]>(env, ['project', 'list']);

    d.injectFaults(1, { kind: 'html500', match: /^\/storage\/v1\/object\/project-files\/projects\// });
    const failed = await omvee(env, ['project', 'import', dir, '--name', 'Half']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /import failed, nothing was kept/);
    assert.doesNotMatch(failed.stderr, /<html|<!DOCTYPE/i);
    const after = await omveeJson<{ id: string; name: string }[]>(env, ['project', 'list']);
    assert.deepEqual(after.map((x) => x.id).sort(), before.map((x) => x.id).sort());
    const all = await storedObjects(d, 'projects/');
    assert.ok(all.every((k) => k.startsWith(`projects/${p.id}/`) || !k.includes('Half')));
    const rows = await d.db.asOwner((tx) => tx.query<{ n: number }>("select count(*)::int as n from public.projects where name = 'Half'"));
    assert.equal(rows.rows[0]!.n, 0);

    // a damaged row is caught by the model's schemas before anything is written
    const manifestPath = path.join(dir, 'project.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { tables: { projects: Record<string, unknown>[] } };
    manifest.tables.projects[0]!.fps = 'fast';
    await writeFile(manifestPath, JSON.stringify(manifest));
    const damaged = await omvee(env, ['project', 'import', dir]);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stderr, /projects\[0\]\.fps/);
    assert.equal((await omveeJson<unknown[]>(env, ['project', 'list'])).length, before.length);
  });
});
