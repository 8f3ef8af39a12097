/** What only the local adapters promise: files on disk, WAL, migrations, reserved names. */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { LocalStore, openLocalStore } from '../../src/store/local/local-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/local/migrations.ts';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import { isOmveeError } from '../../src/core/errors.ts';

function assertOmvee(code: string, hint?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(isOmveeError(error), `expected OmveeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (hint) assert.match(error.hint ?? '', hint);
    return true;
  };
}

describe('local store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omvee-local-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the home folder and omvee.db in WAL mode with every migration recorded', async () => {
    const home = join(dir, 'nested', 'home');
    const store = await openLocalStore({ home });
    assert.ok(store instanceof LocalStore);
    assert.equal(store.kind, 'local');
    assert.equal(store.location, join(home, 'omvee.db'));
    await store.insert('projects', { name: 'kept' });
    await store.close();
    await store.close(); // idempotent

    const raw = new DatabaseSync(join(home, 'omvee.db'));
    try {
      assert.equal((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      const versions = (raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
      assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
    } finally {
      raw.close();
    }
    const reopened = await openLocalStore({ home });
    assert.equal(await reopened.count('projects', { name: 'kept' }), 1);
    assert.deepEqual(await reopened.schemaInfo(), { version: LATEST_SCHEMA_VERSION, latest: LATEST_SCHEMA_VERSION });
    await reopened.close();
  });

  it('migrations are ordered and unique', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    assert.deepEqual(versions, [...new Set(versions)].sort((a, b) => a - b));
    assert.equal(LATEST_SCHEMA_VERSION, versions.at(-1));
  });

  it('upgrades a version 1 database in place: jobs gain lease_expires_at, a job running from before is judged the old way', async () => {
    const raw = new DatabaseSync(join(dir, 'omvee.db'));
    const v1 = MIGRATIONS.find((m) => m.version === 1);
    assert.ok(v1);
    const stale = new Date(Date.now() - 120_000).toISOString();
    try {
      raw.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
      raw.exec(v1.sql);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, ?)').run(v1.name, stale);
      raw
        .prepare(
          `INSERT INTO jobs (id, type, status, attempts, run_after, locked_by, locked_at, heartbeat_at, started_at, created_at, updated_at)
           VALUES ('old-job', 'transcribe', 'running', 1, ?, 'old-worker', ?, ?, ?, ?, ?)`,
        )
        .run(stale, stale, stale, stale, stale, stale);
    } finally {
      raw.close();
    }
    const store = await openLocalStore({ home: dir });
    try {
      assert.deepEqual(await store.schemaInfo(), { version: LATEST_SCHEMA_VERSION, latest: LATEST_SCHEMA_VERSION });
      const job = await store.get('jobs', 'old-job');
      assert.equal(job?.status, 'running');
      assert.equal(job?.lease_expires_at, null);
      assert.equal(await store.recoverExpiredJobs(300), 0, 'two minutes is within a 300 s lease');
      assert.equal(await store.recoverExpiredJobs(60), 1);
      const claimed = await store.claimJob({ workerId: 'new-worker', leaseSeconds: 90 });
      assert.equal(claimed?.id, 'old-job');
      assert.ok(claimed?.lease_expires_at && Date.parse(claimed.lease_expires_at) > Date.now() + 80_000);
    } finally {
      await store.close();
    }
  });

  it('refuses a database written by a newer omvee', async () => {
    await (await openLocalStore({ home: dir })).close();
    const raw = new DatabaseSync(join(dir, 'omvee.db'));
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', new Date().toISOString());
    raw.close();
    await assert.rejects(openLocalStore({ home: dir }), assertOmvee('store', /upgrade omvee/));
  });

  it('guards against accidental mass deletes and bad queue input', async () => {
    const store = await openLocalStore({ home: dir });
    try {
      await store.insert('projects', { name: 'x' });
      await assert.rejects(store.deleteWhere('projects', {}), assertOmvee('invalid_input'));
      await assert.rejects(store.deleteWhere('projects', { name: undefined }), assertOmvee('invalid_input'));
      assert.equal(await store.count('projects'), 1);
      await assert.rejects(store.list('projects', { limit: -1 }), assertOmvee('invalid_input'));
      await assert.rejects(store.list('projects', { order: { column: 'nope' as never } }), assertOmvee('invalid_input'));
      // bad queue input (empty workerId, progress 101, negative backoff) is in test/contract/store.contract.ts
      const project = await store.insert('projects', { name: 'p' });
      await assert.rejects(store.update('projects', project.id, { id: 'other' } as never), assertOmvee('invalid_input'));
      await assert.rejects(store.replaceScenes('no-such-project', []), assertOmvee('not_found'));
    } finally {
      await store.close();
    }
  });

  it('names the missing parent in foreign-key errors', async () => {
    const store = await openLocalStore({ home: dir });
    try {
      await assert.rejects(
        store.insert('selected_scenes', { project_id: 'ghost', order_idx: 0, start_time_s: 0, end_time_s: 1 }),
        (error: unknown) => assertOmvee('invalid_input')(error) && /project not found: ghost/.test((error as Error).message),
      );
    } finally {
      await store.close();
    }
  });

  it('a closed store fails with a store error', async () => {
    const store = await openLocalStore({ home: dir });
    await store.close();
    await assert.rejects(store.count('projects'), assertOmvee('store'));
  });
});

describe('local blobs', () => {
  let root: string;
  beforeEach(async () => {
    root = join(await mkdtemp(join(tmpdir(), 'omvee-blobs-')), 'project-files');
  });
  afterEach(async () => {
    await rm(join(root, '..'), { recursive: true, force: true });
  });

  it('stores objects at root/key, readable through localPath and a file:// URL', async () => {
    const blobs = openLocalBlobs({ root });
    await blobs.put('projects/p1/audio/song.mp3', new TextEncoder().encode('ID3'));
    const path = blobs.localPath('projects/p1/audio/song.mp3');
    assert.equal(path, join(root, 'projects', 'p1', 'audio', 'song.mp3'));
    assert.equal(await readFile(path!, 'utf8'), 'ID3');
    const url = await blobs.signedUrl('projects/p1/audio/song.mp3', 60);
    assert.ok(url.startsWith('file://'));
    assert.equal(fileURLToPath(url), path);
    assert.equal((await blobs.stat('projects/p1/audio/song.mp3'))?.contentType, 'audio/mpeg', 'inferred from the extension');
    assert.throws(() => blobs.localPath('../x'), assertOmvee('invalid_input'));
  });

  it('keeps sidecars and temp files out of listings and prunes emptied folders', async () => {
    const blobs = openLocalBlobs({ root });
    await blobs.put('projects/p1/final/out.bin', new Uint8Array([1]), { contentType: 'video/mp4' });
    await blobs.put('projects/p2/a.txt', new Uint8Array([2]));
    assert.deepEqual((await blobs.list('')).map((b) => b.key), ['projects/p1/final/out.bin', 'projects/p2/a.txt']);
    await assert.rejects(blobs.put('.omvee-meta/x', new Uint8Array([1])), assertOmvee('invalid_input'));
    assert.deepEqual(await readdir(join(root, 'projects', 'p1', 'final')), ['out.bin'], 'no temp files left behind');
    await assert.rejects(blobs.removePrefix(''), assertOmvee('invalid_input'));
    assert.equal(await blobs.removePrefix('projects/p1/'), 1);
    assert.equal(existsSync(join(root, 'projects', 'p1')), false);
    assert.equal(existsSync(join(root, '.omvee-meta', 'projects', 'p1')), false);
    await blobs.remove(['projects/p2/a.txt']);
    assert.equal(existsSync(join(root, 'projects')), false);
  });
});
