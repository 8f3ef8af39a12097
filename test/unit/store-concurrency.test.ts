/**
 * Several omvee processes on one home at once: no "database is locked", nothing lost,
 * every job claimed exactly once. Children are spawned with process.execPath.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalStore } from '../../src/store/local/local-store.ts';

const CHILD = fileURLToPath(new URL('../support/store-child.ts', import.meta.url));

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start `count` children that all begin work at the same instant. */
async function runTogether(count: number, argsFor: (i: number, startAt: string) => string[]): Promise<ChildResult[]> {
  const startAt = String(Date.now() + 1000);
  const results = await Promise.all(Array.from({ length: count }, (_, i) => runChild(argsFor(i, startAt))));
  for (const result of results) {
    assert.equal(result.code, 0, `child failed: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /locked|busy/i);
  }
  return results;
}

describe('local store across processes', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'omvee-concurrency-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('two processes opening a brand-new home at once both migrate it safely', async () => {
    const results = await runTogether(2, (_, startAt) => ['open', home, startAt]);
    for (const result of results) {
      const info = JSON.parse(result.stdout) as { version: number; latest: number };
      assert.ok(info.version >= 1);
      assert.equal(info.version, info.latest);
    }
  });

  it('4 processes creating 50 projects each store exactly 200', async () => {
    const results = await runTogether(4, (_, startAt) => ['create-projects', home, startAt, '50']);
    for (const result of results) assert.deepEqual(JSON.parse(result.stdout), { created: 50 });
    const store = await openLocalStore({ home });
    try {
      assert.equal(await store.count('projects'), 200);
      const names = new Set((await store.list('projects')).map((p) => p.name));
      assert.equal(names.size, 200);
    } finally {
      await store.close();
    }
  });

  it('4 processes draining 100 jobs claim and complete each exactly once', async () => {
    const setup = await openLocalStore({ home });
    const jobs = await setup.insertMany(
      'jobs',
      Array.from({ length: 100 }, (_, i) => ({ type: 'generate_images' as const, payload: { i } })),
    );
    await setup.close();

    const results = await runTogether(4, (i, startAt) => ['claim-jobs', home, startAt, `worker-${i}`]);
    const claimedBy = new Map<string, string>();
    results.forEach((result, i) => {
      for (const id of (JSON.parse(result.stdout) as { claimed: string[] }).claimed) {
        assert.ok(!claimedBy.has(id), `job ${id} claimed twice`);
        claimedBy.set(id, `worker-${i}`);
      }
    });
    assert.equal(claimedBy.size, 100);
    assert.deepEqual([...claimedBy.keys()].sort(), jobs.map((j) => j.id).sort());

    const store = await openLocalStore({ home });
    try {
      const stored = await store.list('jobs');
      assert.equal(stored.length, 100);
      for (const job of stored) {
        assert.equal(job.status, 'completed');
        assert.equal(job.attempts, 1, 'claimed once');
        assert.deepEqual(job.result, { worker: claimedBy.get(job.id) });
      }
    } finally {
      await store.close();
    }
  });
});
