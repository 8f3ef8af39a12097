/**
 * The final video and Storage's size limit, through the built binary (service key):
 * - a bucket limit below the final video's size fails the render BEFORE anything is encoded;
 * - an upload that fails anyway (the plan's global limit, which no API tells) keeps the render
 *   on this machine and says how to store it; `omvee render --upload-only` then stores it
 *   without rendering again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { ffprobe, makeSong, omvee, omveeJson, serviceEnv, storedObjects, tempHome } from './helpers.ts';

describe('render and the storage size limit (built binary)', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble();
  });
  after(async () => {
    await d?.close();
  });

  it('fails before encoding when the bucket limit is too small; keeps a render whose upload failed; --upload-only stores it', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const { song, lyrics } = await makeSong(home, 6);
    const first = await omveeJson<{ project_id: string; final_video_id: string }>(env, ['run', song, '--lyrics', lyrics, '--name', 'Limits']);
    const project = first.project_id;
    const [firstFinal] = await storedObjects(d, `projects/${project}/final/`);
    assert.ok(firstFinal, 'the first render was stored');
    const size = (await d.db.asOwner((tx) => tx.query<{ size: number }>("select (metadata->>'size')::int as size from storage.objects where name = $1", [firstFinal]))).rows[0]!.size;

    // 1. the bucket says at most 90% of that: refused before encoding
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = $1 where id = 'project-files'", [Math.floor(size * 0.9)]));
    const started = Date.now();
    // --force: the run's cut is up to date, and render would only point at it
    const refused = await omvee(env, ['render', project, '--yes', '--force']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /error: the final video would be about [\d.]+ MB, more than the [\d.]+ MB storage takes per file \(the bucket's file_size_limit\); nothing was rendered/);
    assert.match(refused.stderr, /hint: raise the bucket's file size limit/);
    assert.ok(Date.now() - started < 30_000);
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = null where id = 'project-files'"));

    // 2. the plan's global limit (invisible to the API) refuses the upload: the render is kept
    d.storage.fileSizeLimit = Math.floor(size * 0.5);
    const failed = await omvee(env, ['render', project, '--yes', '--force']);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /error: .*the video was rendered but not stored: .*larger than Supabase Storage accepts/);
    assert.match(failed.stderr, new RegExp(`hint: .*omvee render ${project} --upload-only`));
    const keptDir = path.join(home, 'data', 'work', 'renders', project);
    const kept = await readdir(keptDir);
    assert.equal(kept.length, 1, `one kept render: ${kept.join(', ')}`);
    assert.ok((await stat(path.join(keptDir, kept[0]!))).size > 0);

    // 3. the limit is raised; the kept render is stored without rendering again
    d.storage.fileSizeLimit = 50 * 1024 * 1024;
    const out = path.join(home, 'stored.mp4');
    const uploaded = await omvee(env, ['render', project, '--upload-only', '--out', out, '--json']);
    assert.equal(uploaded.code, 0, uploaded.stderr);
    const result = JSON.parse(uploaded.stdout) as { video_path: string; final_video_id: string; frame_count: number };
    assert.equal(result.video_path, `projects/${project}/final/${kept[0]}`);
    assert.ok((await storedObjects(d, `projects/${project}/final/`)).includes(result.video_path));
    assert.deepEqual((await ffprobe(out)).streams, ['audio', 'video']);
    assert.deepEqual(await readdir(keptDir), [], 'the kept copy is gone once stored');

    const again = await omvee(env, ['render', project, '--upload-only']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no rendered video waiting to be uploaded/);
  });
});
