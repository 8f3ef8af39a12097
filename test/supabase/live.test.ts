/**
 * Opt-in: omvee against a REAL Supabase project (README → "Supabase" → "Live check").
 *
 * Contract suites (service key; they DELETE every omvee row and the test objects: use a
 * throwaway project):
 *   OMVEE_TEST_SUPABASE_URL=https://<ref>.supabase.co OMVEE_TEST_SUPABASE_SERVICE_KEY=...
 * A signed-in user (login, a forced token refresh, a resumable upload, a short run end to end
 * through the built binary — run `npm run build` first):
 *   OMVEE_TEST_SUPABASE_URL, OMVEE_TEST_SUPABASE_ANON_KEY, OMVEE_TEST_SUPABASE_EMAIL,
 *   OMVEE_TEST_SUPABASE_PASSWORD (a user created under Authentication → Users)
 * The project must have supabase/migrations applied (`supabase db push`). Without the variables
 * each part reports itself skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job } from '../../src/core/model.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { openSessionTokens, sessionPath, signIn, type StoredSession } from '../../src/store/supabase/session.ts';
import { TABLE_NAMES } from '../../src/core/model.ts';
import { runStoreContract } from '../contract/store.contract.ts';
import { runBlobsContract } from '../contract/blobs.contract.ts';
import { baseEnv, ffprobe, makeSong, omvee } from '../supabase-e2e/helpers.ts';

const url = process.env.OMVEE_TEST_SUPABASE_URL;
const key = process.env.OMVEE_TEST_SUPABASE_SERVICE_KEY;
const anonKey = process.env.OMVEE_TEST_SUPABASE_ANON_KEY;
const email = process.env.OMVEE_TEST_SUPABASE_EMAIL;
const password = process.env.OMVEE_TEST_SUPABASE_PASSWORD;

if (!url || !key) {
  describe('Supabase live suite: contracts', () => {
    it('runs the contract suites against a real project', { skip: 'set OMVEE_TEST_SUPABASE_URL and OMVEE_TEST_SUPABASE_SERVICE_KEY to run' }, () => {});
  });
} else {
  runStoreContract('supabase (live project)', async () => {
    const store = await openSupabaseStore({ url, key });
    for (const table of TABLE_NAMES) await store.deleteWhere(table, {});
    return { store, cleanup: () => store.close() };
  });
  describe('Supabase Realtime (live project)', () => {
    it('the job feed goes live (jobs is in the supabase_realtime publication) and hears a new job', async () => {
      const store = await openSupabaseStore({ url, key });
      const seen: Job[] = [];
      const modes: string[] = [];
      const feed = await store.subscribeJobs({}, { onChange: (j) => seen.push(j), onMode: (m, r) => modes.push(`${m}${r ? `: ${r}` : ''}`) });
      try {
        for (let i = 0; i < 150 && feed.mode !== 'live'; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(feed.mode, 'live', `modes: ${modes.join(' → ')}`);
        const job = await store.insert('jobs', { type: 'transcribe', payload: { live: true } });
        for (let i = 0; i < 100 && !seen.some((j) => j.id === job.id); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(seen.some((j) => j.id === job.id), 'the insert was heard');
        await store.delete('jobs', job.id);
      } finally {
        await feed.close();
        await store.close();
      }
    });
  });
  runBlobsContract('supabase storage (live project)', async () => {
    const blobs = openSupabaseBlobs({ url, key });
    await blobs.removePrefix('projects');
    return {
      blobs,
      async cleanup() {
        await blobs.removePrefix('projects');
      },
    };
  });
}

const userSkip = url && anonKey && email && password ? false : 'set OMVEE_TEST_SUPABASE_URL, OMVEE_TEST_SUPABASE_ANON_KEY, OMVEE_TEST_SUPABASE_EMAIL and OMVEE_TEST_SUPABASE_PASSWORD to run';

describe('Supabase live suite: a signed-in user', { skip: userSkip }, () => {
  it('logs in, refreshes the token, uploads resumably and runs a short song end to end', { timeout: 600_000 }, async (t) => {
    const home = await mkdtemp(path.join(tmpdir(), 'omvee-live-'));
    t.after(() => rm(home, { recursive: true, force: true }));
    const configDir = path.join(home, 'config', 'omvee');
    const opts = { url: url!, anonKey: anonKey!, configDir };

    // login
    const session = await signIn({ ...opts, email: email!, password: password! });
    assert.ok(session.refreshToken);

    // a token refresh, forced by pretending the token ran out
    const file = sessionPath(configDir);
    const saved = JSON.parse(await readFile(file, 'utf8')) as StoredSession;
    await writeFile(file, JSON.stringify({ ...saved, expiresAt: Math.floor(Date.now() / 1000) - 1 }), { mode: 0o600 });
    const tokens = await openSessionTokens(opts);
    assert.ok(tokens);
    await tokens.token();
    assert.notEqual(tokens.current.refreshToken, session.refreshToken, 'refreshed: the refresh token rotated');
    assert.ok(tokens.current.expiresAt > Math.floor(Date.now() / 1000) + 60, 'a new access token with its own expiry');

    // a resumable upload (above the 6 MB threshold) as that user, into their own project
    const store = await openSupabaseStore({ url: url!, key: anonKey!, accessToken: () => tokens.token() });
    const blobs = openSupabaseBlobs({ url: url!, key: anonKey!, accessToken: () => tokens.token() });
    const project = await store.insert('projects', { name: `live check ${new Date().toISOString()}` });
    t.after(async () => {
      await blobs.removePrefix(`projects/${project.id}`).catch(() => undefined);
      await store.delete('projects', project.id).catch(() => undefined);
    });
    const big = path.join(home, 'big.bin');
    await writeFile(big, randomBytes(7 * 1024 * 1024));
    let progressCalls = 0;
    await blobs.putFile(`projects/${project.id}/final/big.bin`, big, { onProgress: () => (progressCalls += 1) });
    assert.equal((await blobs.stat(`projects/${project.id}/final/big.bin`))?.size, 7 * 1024 * 1024);
    assert.ok(progressCalls > 0);

    // a short run end to end through the built binary, signed in with that session
    const env = baseEnv(home, { SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey });
    const { song, lyrics } = await makeSong(home, 6);
    const out = path.join(home, 'live.mp4');
    const r = await omvee(env, ['run', song, '--lyrics', lyrics, '--name', 'omvee live check', '--out', out, '--json'], { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { project_id?: string };
    if (result.project_id) t.after(() => omvee(env, ['project', 'delete', result.project_id!, '--yes']).then(() => undefined));
    assert.deepEqual((await ffprobe(out)).streams, ['audio', 'video']);
  });
});
