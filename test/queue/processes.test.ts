/**
 * Real worker processes on one local store: work is shared with every job's effect happening
 * exactly once and no job held by two workers at once; a worker killed with SIGKILL mid-job
 * loses nothing — its job is finished by another worker once the lease runs out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { countBy, overlaps, readLogs, startWorkerChild, tempHome } from './support/helpers.ts';

describe('worker processes on one local store', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  before(async () => {
    home = await tempHome();
  });
  after(async () => {
    await home.cleanup();
  });

  it('4 workers over 100 jobs: each effect exactly once, never held by two workers at once', async () => {
    const dir = join(home.dir, 'share');
    const logDir = join(dir, 'logs');
    await mkdir(logDir, { recursive: true });
    const store = await openLocalStore({ home: dir });
    const jobs = await store.insertMany('jobs', Array.from({ length: 100 }, (_, i) => ({ type: 'generate_images' as const, payload: { i } })));
    await store.close();

    const children = ['w1', 'w2', 'w3', 'w4'].map((workerId) => startWorkerChild({ home: dir, workerId, logDir, leaseSeconds: 30, workMs: 15, mode: 'drain' }));
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) assert.equal(r.code, 0, r.stderr);

    const events = await readLogs(logDir);
    const effects = countBy(events.filter((e) => e.ev === 'effect'), (e) => e.job);
    const starts = countBy(events.filter((e) => e.ev === 'start'), (e) => e.job);
    for (const job of jobs) {
      assert.equal(effects.get(job.id), 1, `effect count of ${job.id}`);
      assert.equal(starts.get(job.id), 1, `start count of ${job.id}`);
    }
    assert.equal(effects.size, 100);
    assert.deepEqual(overlaps(events), []);
    // the work was actually shared
    const perWorker = countBy(events.filter((e) => e.ev === 'effect'), (e) => e.worker);
    assert.ok(perWorker.size >= 2, `only ${perWorker.size} worker(s) did work: ${JSON.stringify([...perWorker])}`);
    const completed = results.reduce((n, r) => n + (JSON.parse(r.stdout) as { completed: number }).completed, 0);
    assert.equal(completed, 100);

    const check = await openLocalStore({ home: dir });
    try {
      const rows = await check.list('jobs');
      assert.equal(rows.filter((j) => j.status === 'completed').length, 100);
      // the row says which worker completed it, and that is the worker whose effect we saw
      const effectBy = new Map(events.filter((e) => e.ev === 'effect').map((e) => [e.job, e.worker]));
      for (const row of rows) assert.equal(row.result?.worker, effectBy.get(row.id));
    } finally {
      await check.close();
    }
  });

  it('kill -9 mid-job: after the lease expires another worker finishes it, once', async () => {
    const dir = join(home.dir, 'kill');
    const logDir = join(dir, 'logs');
    await mkdir(logDir, { recursive: true });
    const store = await openLocalStore({ home: dir });
    try {
      const [slow] = await store.insertMany('jobs', [{ type: 'generate_clips', payload: { ms: 4000 } }]);
      const lease = 1;
      const victim = startWorkerChild({ home: dir, workerId: 'victim', logDir, leaseSeconds: lease, workMs: 4000, mode: 'drain' });
      // wait until the victim holds the job
      for (let i = 0; i < 100; i++) {
        const row = await store.get('jobs', slow!.id);
        if (row?.status === 'running' && row.locked_by === 'victim') break;
        await sleep(50);
      }
      assert.equal((await store.get('jobs', slow!.id))?.locked_by, 'victim');
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      const v = await victim.done;
      assert.equal(v.signal, 'SIGKILL');

      // the job is still "running" for a dead worker until its lease expires
      assert.equal((await store.get('jobs', slow!.id))?.status, 'running');
      await store.update('jobs', slow!.id, { payload: { ms: 100 } });
      const rescuer = startWorkerChild({ home: dir, workerId: 'rescuer', logDir, leaseSeconds: lease, workMs: 100, mode: 'drain' });
      const r = await rescuer.done;
      assert.equal(r.code, 0, r.stderr);

      const row = await store.get('jobs', slow!.id);
      assert.equal(row?.status, 'completed');
      assert.equal(row?.result?.worker, 'rescuer');
      assert.equal(row?.attempts, 2);
      const events = await readLogs(logDir);
      const effects = events.filter((e) => e.ev === 'effect');
      assert.deepEqual(effects.map((e) => e.worker), ['rescuer'], 'exactly one effect, by the rescuer');
      const rescue = events.find((e) => e.ev === 'start' && e.worker === 'rescuer')!;
      assert.ok(rescue.t >= killedAt, 'the rescuer started after the kill');
      assert.deepEqual(overlaps(events, new Map([['victim', killedAt]])), []);
      // a stale complete from the dead worker's lease is refused
      assert.equal(await store.completeJob({ id: slow!.id, workerId: 'victim', attempt: 1 }, { worker: 'victim' }), null);
    } finally {
      await store.close();
    }
  });
});
