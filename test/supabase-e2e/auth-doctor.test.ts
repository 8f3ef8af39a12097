/**
 * Signing in from the CLI (anon key + `omvee login`), row level security as the CLI sees it, and
 * `omvee doctor`'s rows for each way a Supabase setup can be wrong — through the built binary.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { anonEnv, baseEnv, omvee, omveeJson, serviceEnv, tempHome } from './helpers.ts';

interface Row {
  check: string;
  status: string;
  detail: string;
  hint: string | null;
}

async function doctor(env: Record<string, string | undefined>): Promise<{ code: number; rows: Row[]; stderr: string; stdout: string }> {
  const r = await omvee(env, ['doctor', '--json']);
  return { code: r.code, rows: JSON.parse(r.stdout) as Row[], stderr: r.stderr, stdout: r.stdout };
}
const row = (rows: Row[], check: string): Row | undefined => rows.find((r) => r.check === check);

describe('omvee login / logout and row level security through the CLI', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble();
    await d.createUser('ann@example.com', 'ann-secret-pw');
    await d.createUser('bob@example.com', 'bob-secret-pw');
  });
  after(async () => {
    await d?.close();
  });

  it('signs in with --password-stdin, keeps a private session, never prints a token, and logs out', async (t) => {
    const home = await tempHome(t);
    const env = anonEnv(home, d);
    const before = await omvee(env, ['project', 'list']);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /not signed in/);
    assert.match(before.stderr, /omvee login/);

    const wrong = await omvee(env, ['login', '--email', 'ann@example.com', '--password-stdin'], { input: 'nope\n' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /rejected the email or password/);

    const noFlag = await omvee(env, ['login']);
    assert.equal(noFlag.code, 2);
    assert.match(noFlag.stderr, /--email required when not running interactively/);

    const r = await omvee(env, ['login', '--email', 'ann@example.com', '--password-stdin', '--json'], { input: 'ann-secret-pw\n' });
    assert.equal(r.code, 0, r.stderr);
    const who = JSON.parse(r.stdout) as { email: string; user_id: string };
    assert.equal(who.email, 'ann@example.com');
    assert.match(who.user_id, /^[0-9a-f-]{36}$/);
    const file = path.join(home, 'config', 'omvee', 'supabase-session.json');
    const session = JSON.parse(await readFile(file, 'utf8')) as { accessToken: string; refreshToken: string };
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    for (const secret of [session.accessToken, session.refreshToken, 'ann-secret-pw']) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no token or password in the output');
    }
    assert.ok(!JSON.stringify(session).includes('ann-secret-pw'), 'the password is not stored');

    const created = await omveeJson<{ user_id: string }>(env, ['project', 'create', 'Ann Song']);
    assert.equal(created.user_id, who.user_id, 'the project belongs to the signed-in user');

    const out = await omveeJson<{ signed_out: boolean }>(env, ['logout']);
    assert.equal(out.signed_out, true);
    await assert.rejects(stat(file));
    const after = await omvee(env, ['project', 'list']);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /not signed in/);
  });

  it('signs in with a token pair or an access token from stdin', async (t) => {
    const home = await tempHome(t);
    const env = anonEnv(home, d);
    const bob = await d.createUser('carol@example.com', 'carol-pw-123');
    const r = await omvee(env, ['login', '--token-stdin', '--json'], { input: `${bob.accessToken}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { user_id: string }).user_id, bob.id);
    assert.ok(!r.stdout.includes(bob.accessToken));
    const list = await omvee(env, ['project', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);

    // an expired access token with its refresh token: omvee refreshes the pair (JSON or two words)
    const grant = async (): Promise<{ access_token: string; refresh_token: string }> => {
      const res = await fetch(`${d.url}/auth/v1/token?grant_type=password`, { method: 'POST', headers: { apikey: d.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'carol@example.com', password: 'carol-pw-123' }) });
      return (await res.json()) as { access_token: string; refresh_token: string };
    };
    const expired = d.sign({ sub: bob.id, email: 'carol@example.com', role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) - 60 });
    const pair = await grant();
    const words = await omvee(env, ['login', '--token-stdin', '--json'], { input: `${expired} ${pair.refresh_token}` });
    assert.equal(words.code, 0, words.stderr);
    assert.equal((JSON.parse(words.stdout) as { email: string }).email, 'carol@example.com');
    const stored = JSON.parse(await readFile(path.join(home, 'config', 'omvee', 'supabase-session.json'), 'utf8')) as { accessToken: string; refreshToken: string };
    assert.notEqual(stored.accessToken, expired, 'a fresh access token was stored');
    assert.notEqual(stored.refreshToken, pair.refresh_token, 'the refresh token was rotated');
    const json = await omvee(env, ['login', '--token-stdin'], { input: JSON.stringify({ access_token: expired, refresh_token: (await grant()).refresh_token }) });
    assert.equal(json.code, 0, json.stderr);
    const doc = await omvee(env, ['doctor', '--json']);
    const sessionRow = (JSON.parse(doc.stdout) as Row[]).find((x) => x.check === 'session');
    assert.equal(sessionRow?.status, 'ok');
    assert.match(sessionRow!.detail, /signed in as carol@example.com .*; access token valid for \d+ min, refreshed automatically/);

    const bad = await omvee(env, ['login', '--token-stdin'], { input: 'not-a-token' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no access token found/);
    const forged = await omvee(env, ['login', '--token-stdin'], { input: d.sign({ sub: bob.id, role: 'authenticated', exp: 1 }) });
    assert.equal(forged.code, 1);
    assert.match(forged.stderr, /expired and no refresh token/);
  });

  it('needs SUPABASE_URL and SUPABASE_ANON_KEY, and names them', async (t) => {
    const home = await tempHome(t);
    const r = await omvee(baseEnv(home, { SUPABASE_URL: d.url }), ['login', '--email', 'ann@example.com', '--password-stdin'], { input: 'x' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /needs SUPABASE_ANON_KEY/);
    assert.doesNotMatch(r.stderr, /SUPABASE_URL and/);
  });

  it('user B cannot see, show, export or delete user A’s project', async (t) => {
    const homeA = await tempHome(t);
    const homeB = await tempHome(t);
    const a = anonEnv(homeA, d);
    const b = anonEnv(homeB, d);
    assert.equal((await omvee(a, ['login', '--email', 'ann@example.com', '--password-stdin'], { input: 'ann-secret-pw' })).code, 0);
    assert.equal((await omvee(b, ['login', '--email', 'bob@example.com', '--password-stdin'], { input: 'bob-secret-pw' })).code, 0);
    const mine = await omveeJson<{ id: string }>(a, ['project', 'create', 'Private To Ann']);

    const seenByB = await omveeJson<{ id: string }[]>(b, ['project', 'list']);
    assert.ok(!seenByB.some((p) => p.id === mine.id));
    for (const args of [['project', 'show', mine.id], ['project', 'export', mine.id, '--out', path.join(homeB, 'steal')], ['project', 'delete', mine.id, '--yes'], ['upload', 'presign', mine.id, 'x.mp3']]) {
      const r = await omvee(b, args);
      assert.equal(r.code, 1, `${args.join(' ')} must fail for B`);
      assert.match(r.stderr, /project not found/);
    }
    const seenByA = await omveeJson<{ id: string }[]>(a, ['project', 'list']);
    assert.ok(seenByA.some((p) => p.id === mine.id), 'still there for A');
    // A's presign works and B cannot upload with a key of its own into A's folder
    const signed = await omveeJson<{ path: string }>(a, ['upload', 'presign', mine.id, 'a.mp3']);
    assert.equal(signed.path, `projects/${mine.id}/audio/a.mp3`);
  });
});

describe('omvee doctor on Supabase', () => {
  it('passes on a healthy project and names every problem with its fix', async (t) => {
    const home = await tempHome(t);
    const healthy = await startPostgrestDouble();
    t.after(() => healthy.close());
    const ok = await doctor(serviceEnv(home, healthy));
    assert.equal(ok.code, 0, ok.stderr);
    for (const check of ['supabase', 'key', 'schema', 'bucket', 'policies']) assert.equal(row(ok.rows, check)?.status, 'ok', check);
    assert.match(row(ok.rows, 'bucket')!.detail, /private, no file size limit of its own\); uploads up to 50\.0 MB \(default\)/);

    // the bucket's own limit is read from GET /storage/v1/bucket/project-files
    await healthy.db.asOwner((tx) => tx.query("update storage.buckets set file_size_limit = 200 * 1024 * 1024 where id = 'project-files'"));
    const limited = await doctor(serviceEnv(home, healthy));
    assert.match(row(limited.rows, 'bucket')!.detail, /file size limit 200\.0 MB\); uploads up to 200\.0 MB \(bucket\)/);

    // storage policies that never applied (supabase/supabase#41126)
    await healthy.db.asOwner((tx) => tx.query('drop policy omvee_objects_insert on storage.objects'));
    const noPolicies = await doctor(serviceEnv(home, healthy));
    assert.equal(row(noPolicies.rows, 'policies')?.status, 'warn');
    assert.match(row(noPolicies.rows, 'policies')!.hint!, /select public\.omvee_create_storage_policies\(\)/);
    await healthy.db.asOwner((tx) => tx.query('select public.omvee_create_storage_policies()'));

    // wrong key
    const wrongKey = await doctor(serviceEnv(home, healthy, { SUPABASE_SERVICE_KEY: `${healthy.serviceKey.slice(0, -4)}AAAA` }));
    assert.equal(wrongKey.code, 1);
    assert.equal(row(wrongKey.rows, 'key')?.status, 'fail');
    assert.match(row(wrongKey.rows, 'key')!.detail, /rejected SUPABASE_SERVICE_KEY/);
    assert.match(row(wrongKey.rows, 'key')!.hint!, /service_role key .* into SUPABASE_SERVICE_KEY/);
    assert.ok(!wrongKey.stdout.includes(healthy.serviceKey.slice(0, -4)), 'the key is never printed');

    // anon key without a session
    const anon = await doctor(anonEnv(home, healthy));
    assert.equal(row(anon.rows, 'session')?.status, 'fail');
    assert.match(row(anon.rows, 'session')!.hint!, /omvee login/);

    // missing bucket
    await healthy.db.asOwner((tx) => tx.query("delete from storage.objects where bucket_id = 'project-files'").then(() => tx.query("delete from storage.buckets where id = 'project-files'")));
    const noBucket = await doctor(serviceEnv(home, healthy));
    assert.equal(noBucket.code, 1);
    assert.equal(row(noBucket.rows, 'schema')?.status, 'ok');
    assert.equal(row(noBucket.rows, 'bucket')?.status, 'fail');
    assert.match(row(noBucket.rows, 'bucket')!.hint!, /supabase db push.*creates the bucket/);
  });

  it('missing tables → run supabase db push', async (t) => {
    const home = await tempHome(t);
    const bare = await startPostgrestDouble({ migrate: false });
    t.after(() => bare.close());
    const r = await doctor(serviceEnv(home, bare));
    assert.equal(r.code, 1);
    assert.equal(row(r.rows, 'key')?.status, 'ok');
    assert.equal(row(r.rows, 'schema')?.status, 'fail');
    assert.match(row(r.rows, 'schema')!.detail, /tables are missing/);
    assert.match(row(r.rows, 'schema')!.hint!, /supabase db push/);
    assert.match(r.stderr, /supabase db push/);
  });

  it('a URL nobody answers → connection refused, check SUPABASE_URL', async (t) => {
    const home = await tempHome(t);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const r = await doctor(baseEnv(home, { SUPABASE_URL: `http://127.0.0.1:${port}`, SUPABASE_SERVICE_KEY: 'eyJhbGciOiJIUzI1NiJ9.e30.c2VjcmV0LWtleS12YWx1ZQ' }));
    assert.equal(r.code, 1);
    const s = row(r.rows, 'supabase')!;
    assert.equal(s.status, 'fail');
    assert.match(s.detail, /connection refused/);
    assert.match(s.hint!, /check SUPABASE_URL/);
    assert.equal(row(r.rows, 'ffmpeg')?.status, 'ok', 'ffmpeg is checked without the backend');
    assert.ok(!r.stdout.includes('c2VjcmV0LWtleS12YWx1ZQ'));
  });
});
