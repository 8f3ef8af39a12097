/**
 * Storage errors as real Storage answers them (HTTP 400, the logical status in the body's
 * `statusCode`; see test/support/postgrest-double/storage.ts for the storage-api source read),
 * classified from the body by SupabaseBlobs: not found, exists, too large (with the limit),
 * an expired or refused token, and a row level security denial (permanent: never retried).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { isOmveeError } from '../../src/core/errors.ts';
import { isRetryable } from '../../src/core/jobs/runner.ts';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';

describe('Storage errors, read from the body', () => {
  let d: PostgrestDouble;
  let alice: DoubleUser;
  let bob: DoubleUser;
  let projectKey: string;
  before(async () => {
    d = await startPostgrestDouble();
    alice = await d.createUser('alice@example.test', 'pw-alice');
    bob = await d.createUser('bob@example.test', 'pw-bob');
  });
  after(async () => {
    await d?.close();
  });
  beforeEach(async () => {
    await resetDouble(d);
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = null where id = 'project-files'"));
    const store = await openSupabaseStore({ url: d.url, key: d.anonKey, accessToken: alice.accessToken, retry: false });
    const project = await store.insert('projects', { name: 'Errors' });
    projectKey = `projects/${project.id}`;
  });

  const files = (token: string) => openSupabaseBlobs({ url: d.url, key: d.anonKey, accessToken: token, retry: false });

  it('the double answers like storage-api: HTTP 400, {statusCode, code, error, message}', async () => {
    const res = await fetch(`${d.url}/storage/v1/object/project-files/${projectKey}/missing.txt`, { headers: { apikey: d.anonKey, authorization: `Bearer ${alice.accessToken}` } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { statusCode: '404', code: 'NoSuchKey', error: 'not_found', message: 'Object not found' });
    const expired = d.sign({ sub: alice.id, role: 'authenticated', exp: Math.floor(Date.now() / 1000) - 5 });
    const res2 = await fetch(`${d.url}/storage/v1/object/project-files/${projectKey}/missing.txt`, { headers: { apikey: d.anonKey, authorization: `Bearer ${expired}` } });
    assert.equal(res2.status, 400);
    assert.deepEqual(await res2.json(), { statusCode: '403', code: 'AccessDenied', error: 'Unauthorized', message: '"exp" claim timestamp check failed' });
  });

  it('404 → not_found, 409 → conflict', async () => {
    const blobs = files(alice.accessToken);
    await assert.rejects(blobs.get(`${projectKey}/missing.txt`), (e: unknown) => isOmveeError(e) && e.code === 'not_found');
    assert.equal(await blobs.stat(`${projectKey}/missing.txt`), null);
    await blobs.put(`${projectKey}/a.txt`, Buffer.from('one'), { upsert: false });
    await assert.rejects(blobs.put(`${projectKey}/a.txt`, Buffer.from('two'), { upsert: false }), (e: unknown) => isOmveeError(e) && e.code === 'conflict');
  });

  it('a row level security denial is a permission error, not retried, with a hint', async () => {
    const blobs = files(bob.accessToken);
    let caught: unknown;
    await blobs.put(`${projectKey}/evil.txt`, Buffer.from('x')).catch((e: unknown) => (caught = e));
    assert.ok(isOmveeError(caught), String(caught));
    assert.equal(caught.code, 'permission');
    assert.match(caught.message, /permission denied|row level security|storage polic/i);
    assert.match(caught.hint ?? '', /omvee login|SUPABASE_SERVICE_KEY/);
    assert.equal(isRetryable(caught), false, 'an RLS denial is permanent');
  });

  it('413 → too large, saying the limit', async () => {
    await d.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = 1024 where id = 'project-files'"));
    const blobs = files(alice.accessToken);
    let caught: unknown;
    await blobs.put(`${projectKey}/big.bin`, Buffer.alloc(4096, 1)).catch((e: unknown) => (caught = e));
    assert.ok(isOmveeError(caught), String(caught));
    assert.equal(caught.code, 'invalid_input');
    assert.match(caught.message, /larger than|too large/);
    assert.match(`${caught.message} ${caught.hint}`, /1(\.0)? KB|1024 bytes/);
    assert.equal(isRetryable(caught), false);
  });

  it('403 + an expired JWT → the session expired, with a hint that is not "the key is wrong"', async () => {
    const expired = d.sign({ sub: alice.id, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) - 5 });
    const blobs = files(expired);
    let caught: unknown;
    await blobs.get(`${projectKey}/x.txt`).catch((e: unknown) => (caught = e));
    assert.ok(isOmveeError(caught), String(caught));
    assert.match(caught.message, /access token.*expired|session.*expired/i);
    assert.doesNotMatch(caught.message, /permission denied/);
    assert.match(caught.hint ?? '', /omvee login/);
  });

  it('a token with a bad signature → refused, sign in again', async () => {
    const forged = `${alice.accessToken.slice(0, -4)}AAAA`;
    let caught: unknown;
    await files(forged).get(`${projectKey}/x.txt`).catch((e: unknown) => (caught = e));
    assert.ok(isOmveeError(caught), String(caught));
    assert.equal(caught.code, 'config');
    assert.match(caught.hint ?? '', /omvee login/);
  });
});
