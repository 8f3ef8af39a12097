/**
 * What a user sees when the Supabase setup is wrong: each failure is an OmveeError that names
 * the fix, never a raw stack, an HTML page or a key — and nothing is half-written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUPABASE_SCHEMA_VERSION, openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { openSupabaseBlobs } from '../../src/blobs/supabase/supabase-blobs.ts';
import { isOmveeError, type OmveeError } from '../../src/core/errors.ts';
import { signJwt } from '../support/postgrest-double/jwt.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';

let double: PostgrestDouble; // migrated
let bare: PostgrestDouble; // a project where `supabase db push` never ran
let notSupabase: Server;
let notSupabaseUrl: string;

before(async () => {
  double = await startPostgrestDouble();
  bare = await startPostgrestDouble({ migrate: false });
  notSupabase = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Welcome to my blog</body></html>');
  });
  await new Promise<void>((resolve) => notSupabase.listen(0, '127.0.0.1', resolve));
  notSupabaseUrl = `http://127.0.0.1:${(notSupabase.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => notSupabase.close(() => resolve()));
  await double.close();
  await bare.close();
});

function expectError(check: (e: OmveeError) => void, secret?: string) {
  return (error: unknown): boolean => {
    assert.ok(isOmveeError(error), `an OmveeError, got ${String(error)}`);
    check(error);
    assert.ok(error.hint, 'says what to do');
    assert.doesNotMatch(`${error.message} ${error.hint}`, /<html|<!DOCTYPE/i, 'no HTML page in the message');
    if (secret) assert.ok(!`${error.message} ${error.hint}`.includes(secret), 'no key in the message');
    return true;
  };
}

describe('bad Supabase setups', () => {
  it('a URL that is not a URL', async () => {
    await assert.rejects(openSupabaseStore({ url: 'not a url', key: 'k' }), expectError((e) => assert.equal(e.code, 'config')));
  });

  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const store = await openSupabaseStore({ url, key: double.serviceKey, retry: false });
    await assert.rejects(store.list('projects'), expectError((e) => {
      assert.equal(e.code, 'network');
      assert.match(e.message, /cannot reach Supabase at http:\/\/127\.0\.0\.1/);
    }));
    await assert.rejects(store.insert('projects', { name: 'x' }), expectError((e) => assert.equal(e.code, 'network')));
    await assert.rejects(openSupabaseBlobs({ url, key: double.serviceKey }).get('projects/p/a.txt'), expectError((e) => assert.equal(e.code, 'network')));
  });

  it('a URL that is some other web server', async () => {
    const store = await openSupabaseStore({ url: notSupabaseUrl, key: double.serviceKey, retry: false });
    await assert.rejects(store.list('projects'), expectError((e) => {
      assert.equal(e.code, 'config');
      assert.match(e.message, /does not look like a Supabase project/);
    }));
  });

  it('a wrong key', async () => {
    const forged = signJwt({ role: 'service_role' }, 'not-the-project-secret');
    const store = await openSupabaseStore({ url: double.url, key: forged, retry: false });
    await assert.rejects(store.count('projects'), expectError((e) => {
      assert.equal(e.code, 'config');
      assert.match(e.hint ?? '', /SUPABASE_SERVICE_KEY/);
    }, forged));
    await assert.rejects(openSupabaseBlobs({ url: double.url, key: forged }).put('projects/p/a.txt', new Uint8Array([1])), expectError((e) => assert.equal(e.code, 'config'), forged));
  });

  it('an expired login session', async () => {
    const user = await double.createUser('late@example.test', 'pw-late-123');
    const expired = double.sign({ sub: user.id, role: 'authenticated', exp: Math.floor(Date.now() / 1000) - 10 });
    const store = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: expired, retry: false });
    // a token that expired on its way (omvee refreshes before expiry): worth another try, which
    // carries a fresh token; not "run omvee login" first
    await assert.rejects(store.list('projects'), expectError((e) => {
      assert.equal(e.code, 'store');
      assert.match(e.message, /access token had expired/);
      assert.match(e.hint ?? '', /refreshes the session by itself.*omvee login/);
    }));
  });

  it('missing tables and functions: run supabase db push', async () => {
    const store = await openSupabaseStore({ url: bare.url, key: bare.serviceKey, retry: false });
    for (const attempt of [store.list('projects'), store.insert('projects', { name: 'x' }), store.claimJob({ workerId: 'w', leaseSeconds: 60 })]) {
      await assert.rejects(attempt, expectError((e) => {
        assert.equal(e.code, 'store');
        assert.match(e.hint ?? '', /supabase db push/);
      }));
    }
    assert.deepEqual(await store.schemaInfo(), { version: 0, latest: SUPABASE_SCHEMA_VERSION });
    assert.deepEqual(await (await openSupabaseStore({ url: double.url, key: double.serviceKey })).schemaInfo(), { version: SUPABASE_SCHEMA_VERSION, latest: SUPABASE_SCHEMA_VERSION });
  });

  it('missing bucket: run supabase db push (creates bucket project-files)', async () => {
    const blobs = openSupabaseBlobs({ url: bare.url, key: bare.serviceKey, retry: false });
    await assert.rejects(blobs.put('projects/p/a.txt', new Uint8Array([1])), expectError((e) => {
      assert.equal(e.code, 'store');
      assert.match(e.message, /bucket "project-files" does not exist/);
      assert.match(e.hint ?? '', /supabase db push.*project-files/);
    }));
  });

  it('5xx with an HTML body, and a dropped connection: clear errors, nothing half-written', async () => {
    const store = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    const before = await store.count('projects');
    double.injectFaults(1, { kind: 'html503', match: /^\/rest\/v1\// });
    await assert.rejects(store.insert('projects', { name: 'during outage' }), expectError((e) => {
      assert.equal(e.code, 'store');
      assert.match(e.message, /HTTP 503/);
    }));
    double.injectFaults(1, { kind: 'drop', match: /^\/rest\/v1\// });
    await assert.rejects(store.list('projects'), expectError((e) => assert.equal(e.code, 'network')));
    double.injectFaults(1, { kind: 'html500', match: /^\/storage\/v1\// });
    await assert.rejects(openSupabaseBlobs({ url: double.url, key: double.serviceKey }).get('projects/p/a.txt'), expectError((e) => assert.match(e.message, /HTTP 500/)));
    assert.equal(await store.count('projects'), before, 'the failed insert left nothing behind');

    // reads are retried by supabase-js when retry is on (the default): one 503 is absorbed
    const retrying = await openSupabaseStore({ url: double.url, key: double.serviceKey });
    double.injectFaults(1, { kind: 'html503', match: /^\/rest\/v1\// });
    assert.equal(await retrying.count('projects'), before);
  });

  it('uploads above the single-upload limit fail before sending anything', async () => {
    const blobs = openSupabaseBlobs({ url: double.url, key: double.serviceKey, maxUploadBytes: 1024 });
    const served = double.requestCount;
    await assert.rejects(blobs.put('projects/p/clips/big.mp4', new Uint8Array(2048)), expectError((e) => {
      assert.equal(e.code, 'invalid_input');
      assert.match(e.message, /2\.0 KB.*at most 1\.0 KB.*OMVEE_MAX_UPLOAD_BYTES/);
    }));
    assert.equal(double.requestCount, served + 1, 'only the bucket was read (its file_size_limit): nothing was sent');
  });
});
