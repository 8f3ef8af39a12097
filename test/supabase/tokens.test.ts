/**
 * Access tokens that outlive any run: the double issues tokens that expire after a few seconds
 * and rotates refresh tokens with GoTrue's reuse detection (reuse interval 0: strict), and the
 * session's token source refreshes before expiry, once across processes, never presenting a
 * rotated refresh token again; a refresh that fails for good says `omvee login`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { createOmveeClient } from '../../src/store/supabase/client.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { openSessionTokens, sessionPath, signIn, type StoredSession } from '../../src/store/supabase/session.ts';
import { isOmveeError } from '../../src/core/errors.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/refresh-child.ts', import.meta.url));
const TTL = 3;

describe('tokens that outlive a run', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble({ accessTokenTtlSeconds: TTL, refreshTokenReuseIntervalSeconds: 0 });
    await d.createUser('ann@example.test', 'ann-password');
  });
  after(async () => {
    await d?.close();
  });

  async function signedIn(t: { after: (fn: () => Promise<void>) => void }): Promise<{ configDir: string; opts: { url: string; anonKey: string; configDir: string } }> {
    const configDir = await mkdtemp(path.join(tmpdir(), 'omvee-tokens-'));
    t.after(() => rm(configDir, { recursive: true, force: true }));
    const opts = { url: d.url, anonKey: d.anonKey, configDir };
    await signIn({ ...opts, email: 'ann@example.test', password: 'ann-password' });
    return { configDir, opts };
  }

  it('the double: an access token is refused once it expired, like PostgREST and Storage answer', async (t) => {
    const { opts } = await signedIn(t);
    const session = JSON.parse(await readFile(sessionPath(opts.configDir), 'utf8')) as StoredSession;
    const store = await openSupabaseStore({ url: d.url, key: d.anonKey, accessToken: session.accessToken, retry: false });
    await store.list('projects');
    await new Promise((r) => setTimeout(r, (TTL + 1) * 1000));
    // a fixed token (what omvee handed supabase-js before): every call fails after expiry
    await assert.rejects(store.list('projects'), (e: unknown) => isOmveeError(e) && /expired/.test(e.message));
  });

  it('a store and blobs on the token source keep working across several expiries', async (t) => {
    const { opts } = await signedIn(t);
    const tokens = await openSessionTokens(opts);
    assert.ok(tokens);
    const before = d.auth.refreshes;
    const store = await openSupabaseStore({ url: d.url, key: d.anonKey, accessToken: () => tokens.token(), retry: false });
    const blobs = openSupabaseBlobs({ url: d.url, key: d.anonKey, accessToken: () => tokens.token(), retry: false });
    const project = await store.insert('projects', { name: 'long run' });
    const started = Date.now();
    let calls = 0;
    while (Date.now() - started < (TTL * 3 + 1) * 1000) {
      await store.update('projects', project.id, { description: `call ${calls}` });
      await blobs.put(`projects/${project.id}/tick.txt`, Buffer.from(String(calls)));
      calls += 1;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(calls > 10);
    assert.ok(d.auth.refreshes - before >= 3, `refreshed ${d.auth.refreshes - before} times`);
    assert.equal(d.auth.reuseRejected, 0);
    const onDisk = JSON.parse(await readFile(sessionPath(opts.configDir), 'utf8')) as StoredSession;
    assert.equal(onDisk.accessToken, tokens.current.accessToken, 'the refreshed session is saved for other processes');
    assert.equal((await stat(sessionPath(opts.configDir))).mode & 0o777, 0o600);
  });

  it('two processes refreshing at the same moment share one refresh (no reuse of a rotated token)', async (t) => {
    const { opts } = await signedIn(t);
    // wait until the token is inside its refresh margin
    await new Promise((r) => setTimeout(r, (TTL / 2 + 0.3) * 1000));
    const refreshesBefore = d.auth.refreshes;
    const startAt = String(Date.now() + 1500);
    const child = () => run(process.execPath, [CHILD, d.url, d.anonKey, opts.configDir, startAt], { timeout: 30_000 }).then((r) => JSON.parse(r.stdout) as { token?: string; error?: string });
    const [a, b] = await Promise.all([child(), child()]);
    assert.ok(a.token && b.token, `both got a token: ${JSON.stringify([a, b])}`);
    assert.equal(a.token, b.token, 'the second process took the tokens the first one saved');
    assert.equal(d.auth.refreshes - refreshesBefore, 1, 'one refresh for both');
    assert.equal(d.auth.reuseRejected, 0);
  });

  it('a process holding an old refresh token reads the file first instead of reusing it', async (t) => {
    const { opts } = await signedIn(t);
    const slow = await openSessionTokens(opts); // read now, asked later
    const fast = await openSessionTokens(opts);
    assert.ok(slow && fast);
    // the other process refreshes twice (T0 → T1 → T2): presenting T0 now would end the session
    await new Promise((r) => setTimeout(r, (TTL / 2 + 0.3) * 1000));
    await fast.token();
    await new Promise((r) => setTimeout(r, (TTL / 2 + 0.5) * 1000));
    await fast.token();
    const token = await slow.token();
    assert.equal(token, fast.current.accessToken);
    assert.equal(d.auth.reuseRejected, 0);
  });

  it('Realtime takes its token from the same callback (realtime-js calls it on every heartbeat)', async (t) => {
    const { opts } = await signedIn(t);
    const tokens = await openSessionTokens(opts);
    assert.ok(tokens);
    const client = await createOmveeClient({ url: d.url, key: d.anonKey, accessToken: () => tokens.token() });
    // what RealtimeClient does on each heartbeat it sends (_wrapHeartbeatCallback → setAuth())
    await client.realtime.setAuth();
    const first = (client.realtime as unknown as { accessTokenValue: string }).accessTokenValue;
    assert.equal(first, tokens.current.accessToken);
    await new Promise((r) => setTimeout(r, (TTL / 2 + 0.3) * 1000));
    await client.realtime.setAuth();
    const second = (client.realtime as unknown as { accessTokenValue: string }).accessTokenValue;
    assert.notEqual(second, first, 'the socket got the refreshed token');
    assert.equal(second, tokens.current.accessToken);
    client.realtime.disconnect();
  });

  it('the session file is 0600 whatever the umask', async (t) => {
    const previous = process.umask(0o000);
    try {
      const { opts } = await signedIn(t);
      assert.equal((await stat(sessionPath(opts.configDir))).mode & 0o777, 0o600);
      await new Promise((r) => setTimeout(r, (TTL / 2 + 0.3) * 1000));
      const tokens = await openSessionTokens(opts);
      await tokens!.token(); // a refresh rewrites it
      assert.equal((await stat(sessionPath(opts.configDir))).mode & 0o777, 0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('a refresh that fails for good says to run omvee login', async (t) => {
    const { opts } = await signedIn(t);
    const file = sessionPath(opts.configDir);
    const saved = JSON.parse(await readFile(file, 'utf8')) as StoredSession;
    await writeFile(file, JSON.stringify({ ...saved, refreshToken: 'revoked-or-unknown-refresh-token', expiresAt: Math.floor(Date.now() / 1000) - 1 }), { mode: 0o600 });
    const tokens = await openSessionTokens(opts);
    assert.ok(tokens);
    await assert.rejects(tokens.token(), (e: unknown) => isOmveeError(e) && e.code === 'config' && /can no longer be refreshed/.test(e.message) && /omvee login/.test(e.hint ?? ''));
  });
});
