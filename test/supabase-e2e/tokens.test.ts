/**
 * The built binary signed in with `omvee login` against a double whose access tokens live 3
 * seconds and whose refresh tokens rotate strictly (reuse interval 0): a whole `omvee run` and an
 * `omvee worker` running at the same time, sharing one session file, outlive several expiries
 * without a single reused refresh token; a worker whose session cannot be refreshed exits
 * non-zero with the login hint.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { anonEnv, ffprobe, makeSong, omvee, omveeJson, tempHome } from './helpers.ts';

const TTL = 3;

describe('omvee login sessions outlive their access tokens (built binary)', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble({ accessTokenTtlSeconds: TTL, refreshTokenReuseIntervalSeconds: 0 });
    await d.createUser('ann@example.com', 'ann-secret-pw');
  });
  after(async () => {
    await d?.close();
  });

  it('a run and a worker side by side outlive several expiries, sharing one refresh chain', async (t) => {
    const home = await tempHome(t);
    const env = anonEnv(home, d);
    const login = await omvee(env, ['login', '--email', 'ann@example.com', '--password-stdin'], { input: 'ann-secret-pw\n' });
    assert.equal(login.code, 0, login.stderr);
    const { song, lyrics } = await makeSong(home, 6);

    const queued = await omveeJson<{ project_id: string }>(env, ['run', song, '--lyrics', lyrics, '--name', 'Queued', '--detach']);
    const refreshesBefore = d.auth.refreshes;
    const started = Date.now();
    const out = path.join(home, 'direct.mp4');
    const [direct, worker] = await Promise.all([
      omvee(env, ['run', song, '--lyrics', lyrics, '--name', 'Direct', '--out', out, '--json'], { timeoutMs: 180_000 }),
      omvee(env, ['worker', '--once', '--json'], { timeoutMs: 180_000 }),
    ]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(worker.code, 0, worker.stderr);
    assert.ok(seconds > TTL * 2, `the processes ran ${seconds.toFixed(1)} s, longer than two token lifetimes`);
    assert.ok(d.auth.refreshes - refreshesBefore >= 2, `refreshed ${d.auth.refreshes - refreshesBefore} times`);
    assert.equal(d.auth.reuseRejected, 0, 'no process presented a rotated refresh token');
    assert.doesNotMatch(`${direct.stderr}${worker.stderr}`, /expired|omvee login/i);
    assert.deepEqual((await ffprobe(out)).streams, ['audio', 'video']);

    const jobs = await omveeJson<{ status: string }[]>(env, ['jobs', 'list', '--project', queued.project_id]);
    assert.ok(jobs.length >= 5 && jobs.every((j) => j.status === 'completed'), JSON.stringify(jobs.map((j) => j.status)));
  });

  it('a worker whose session can no longer be refreshed exits non-zero and says omvee login', async (t) => {
    const home = await tempHome(t);
    const env = anonEnv(home, d);
    const login = await omvee(env, ['login', '--email', 'ann@example.com', '--password-stdin'], { input: 'ann-secret-pw\n' });
    assert.equal(login.code, 0, login.stderr);
    const file = path.join(home, 'config', 'omvee', 'supabase-session.json');
    // the refresh token is revoked elsewhere (another device signed out everywhere)
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...saved, refreshToken: 'revoked-refresh-token-000' }), { mode: 0o600 });
    await new Promise((r) => setTimeout(r, (TTL / 2 + 0.5) * 1000));
    const started = Date.now();
    const r = await omvee(env, ['worker'], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - started < 30_000, 'it did not spin');
    assert.match(r.stderr, /can no longer be refreshed/);
    assert.match(r.stderr, /hint: .*omvee login/);
  });
});
