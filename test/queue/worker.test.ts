/**
 * The Worker and the runner in one process on a real local store: recovery of abandoned
 * leases, stale workers refused, cancel, retry backoff, graceful and immediate shutdown,
 * filters and --once draining.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { OmveeError } from '../../src/core/errors.ts';
import { backoffWithJitter, runClaimedJob, type JobHandler } from '../../src/core/jobs/runner.ts';
import { Worker, type WorkerEvent } from '../../src/core/jobs/worker.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';
import { tempHome } from './support/helpers.ts';

/** A handler that waits for `ms` or for its signal; records what it saw. */
function slowHandler(ms: number, seen: { started: string[]; aborted: string[]; finished: string[] }): JobHandler {
  return async (job, control) => {
    seen.started.push(job.id);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      control.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        seen.aborted.push(job.id);
        reject(control.signal.reason);
      }, { once: true });
    });
    seen.finished.push(job.id);
    return { result: { ok: true } };
  };
}

const newSeen = () => ({ started: [] as string[], aborted: [] as string[], finished: [] as string[] });

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('worker and runner', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  let store: Store;
  beforeEach(async () => {
    home = await tempHome();
    store = await openLocalStore({ home: home.dir });
  });
  afterEach(async () => {
    await store.close();
    await home.cleanup();
  });

  it('recovers a job whose heartbeat was backdated, and refuses the stale worker', async () => {
    const job = await store.insert('jobs', { type: 'generate_images', payload: {} });
    const claimed = await store.claimJob({ workerId: 'stale', leaseSeconds: 60 });
    assert.equal(claimed?.id, job.id);
    // the stale worker went quiet two minutes ago
    await store.update('jobs', job.id, { heartbeat_at: new Date(Date.now() - 120_000).toISOString(), lease_expires_at: new Date(Date.now() - 60_000).toISOString() });

    const events: WorkerEvent[] = [];
    const seen = newSeen();
    const worker = new Worker({ store, handlers: { generate_images: slowHandler(10, seen) }, workerId: 'fresh', once: true, leaseSeconds: 60, onEvent: (e) => events.push(e) });
    const summary = await worker.run();
    assert.equal(summary.completed, 1);
    assert.ok(events.some((e) => e.type === 'recovered' && e.count === 1));
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'completed');
    assert.equal(row?.attempts, 2);

    const staleLease = { id: job.id, workerId: 'stale', attempt: 1 };
    assert.equal(await store.completeJob(staleLease, { by: 'stale' }), null);
    assert.equal(await store.heartbeatJob(staleLease), false);
    assert.equal(await store.failJob(staleLease, 'late', { retry: true }), null);
    assert.deepEqual((await store.get('jobs', job.id))?.result, { ok: true });
  });

  it('a heartbeat within the lease is not recovered', async () => {
    await store.insert('jobs', { type: 'generate_images', payload: {} });
    await store.claimJob({ workerId: 'alive', leaseSeconds: 60 });
    assert.equal(await store.recoverExpiredJobs(60), 0);
  });

  it('cancel stops a running job: the handler sees its signal abort', async () => {
    const job = await store.insert('jobs', { type: 'generate_clips', payload: {} });
    const seen = newSeen();
    const events: WorkerEvent[] = [];
    const worker = new Worker({ store, handlers: { generate_clips: slowHandler(30_000, seen) }, workerId: 'w', leaseSeconds: 1, idleMinMs: 20, onEvent: (e) => events.push(e) });
    const running = worker.run();
    await until(() => seen.started.length === 1);
    const canceledAt = Date.now();
    await store.cancelJob(job.id, 'operator said so');
    await until(() => seen.aborted.length === 1);
    // the runner notices at its next heartbeat: a third of the 1 s lease
    assert.ok(Date.now() - canceledAt < 1500, `took ${Date.now() - canceledAt} ms`);
    await until(() => events.some((e) => e.type === 'finish'));
    worker.stop();
    const summary = await running;
    assert.equal(summary.canceled, 1);
    assert.equal(summary.completed, 0);
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'canceled');
    assert.equal(row?.error, 'operator said so');
    assert.deepEqual(seen.finished, []);
  });

  it('backoffWithJitter grows exponentially, stays within [ceiling/2, ceiling] and is capped', () => {
    const ceiling = (n: number) => Math.min(300, 5 * 2 ** (n - 1));
    let previousHigh = 0;
    for (let attempt = 1; attempt <= 12; attempt++) {
      const low = backoffWithJitter(attempt, { random: () => 0 });
      const high = backoffWithJitter(attempt, { random: () => 0.999999 });
      assert.equal(low, Math.max(1, Math.round(ceiling(attempt) / 2)));
      assert.equal(high, ceiling(attempt));
      assert.ok(high >= previousHigh, 'never shrinks');
      previousHigh = high;
      for (let i = 0; i < 50; i++) {
        const b = backoffWithJitter(attempt);
        assert.ok(b >= low && b <= high, `attempt ${attempt}: ${b} outside [${low}, ${high}]`);
      }
    }
    assert.equal(backoffWithJitter(30, { random: () => 0.999999 }), 300);
    assert.equal(backoffWithJitter(3, { baseSeconds: 2, capSeconds: 5, random: () => 0.999999 }), 5);
  });

  it('a retryable failure goes back to the queue after the backoff; a permanent one fails at once', async () => {
    const retryable = await store.insert('jobs', { type: 'generate_images', payload: {}, max_attempts: 3 });
    const permanent = await store.insert('jobs', { type: 'generate_clips', payload: {}, max_attempts: 3 });
    const asked: number[] = [];
    const worker = new Worker({
      store,
      handlers: {
        generate_images: async () => {
          throw new OmveeError('provider', 'replicate said 503');
        },
        generate_clips: async () => {
          throw new OmveeError('provider_auth', 'bad token');
        },
      },
      workerId: 'w',
      once: true,
      backoffSeconds: (attempt) => {
        asked.push(attempt);
        return 120 * attempt;
      },
    });
    const before = Date.now();
    const summary = await worker.run();
    assert.equal(summary.retried, 1);
    assert.equal(summary.failed, 1);
    const r = await store.get('jobs', retryable.id);
    assert.equal(r?.status, 'pending');
    assert.equal(r?.error, 'replicate said 503');
    const delay = Date.parse(r!.run_after) - before;
    assert.ok(delay >= 119_000 && delay <= 125_000, `run_after is ${delay} ms away`);
    assert.deepEqual(asked, [1, 1]);
    assert.equal((await store.get('jobs', permanent.id))?.status, 'failed');
    // not runnable before its run_after
    assert.equal(await store.claimJob({ workerId: 'x', leaseSeconds: 60 }), null);
  });

  it('graceful stop lets a running job finish within the grace period', async () => {
    const job = await store.insert('jobs', { type: 'generate_images', payload: {} });
    await store.insert('jobs', { type: 'generate_images', payload: {} });
    const seen = newSeen();
    // concurrency 1: the second job must not be claimed once stop() was called
    const worker = new Worker({ store, handlers: { generate_images: slowHandler(300, seen) }, workerId: 'w', graceMs: 5000 });
    const running = worker.run();
    await until(() => seen.started.length === 1);
    const stoppedAt = Date.now();
    worker.stop();
    const summary = await running;
    assert.ok(Date.now() - stoppedAt < 2000);
    assert.equal(summary.completed, 1);
    assert.equal((await store.get('jobs', job.id))?.status, 'completed');
    assert.equal(await store.count('jobs', { status: 'pending' }), 1);
    assert.deepEqual(seen.aborted, []);
  });

  it('after the grace period a running job is released to the queue, attempt not spent', async () => {
    const job = await store.insert('jobs', { type: 'generate_images', payload: {} });
    const seen = newSeen();
    const worker = new Worker({ store, handlers: { generate_images: slowHandler(60_000, seen) }, workerId: 'w', graceMs: 300 });
    const running = worker.run();
    await until(() => seen.started.length === 1);
    const stoppedAt = Date.now();
    worker.stop();
    const summary = await running;
    const took = Date.now() - stoppedAt;
    assert.ok(took >= 250 && took < 2000, `released after ${took} ms`);
    assert.equal(summary.released, 1);
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 0);
    assert.equal(row?.locked_by, null);
    assert.deepEqual(seen.aborted, [job.id]);
  });

  it('a second stop releases at once, without waiting for the grace period', async () => {
    await store.insert('jobs', { type: 'generate_images', payload: {} });
    const seen = newSeen();
    const worker = new Worker({ store, handlers: { generate_images: slowHandler(60_000, seen) }, workerId: 'w', graceMs: 60_000 });
    const running = worker.run();
    await until(() => seen.started.length === 1);
    const stoppedAt = Date.now();
    worker.stop();
    await sleep(100);
    assert.equal(seen.aborted.length, 0, 'still within the grace period');
    worker.stop();
    const summary = await running;
    assert.ok(Date.now() - stoppedAt < 1000);
    assert.equal(summary.released, 1);
    assert.equal(await store.count('jobs', { status: 'pending' }), 1);
  });

  it('--once drains everything runnable with several slots, honouring type and project filters', async () => {
    const project = await store.insert('projects', { name: 'p' });
    const other = await store.insert('projects', { name: 'q' });
    await store.insertMany('jobs', Array.from({ length: 6 }, () => ({ type: 'generate_images' as const, project_id: project.id, payload: {} })));
    await store.insert('jobs', { type: 'generate_images', project_id: other.id, payload: {} });
    await store.insert('jobs', { type: 'generate_clips', project_id: project.id, payload: {} });
    const seen = newSeen();
    let peak = 0;
    const worker = new Worker({
      store,
      handlers: { generate_images: slowHandler(50, seen), generate_clips: slowHandler(50, seen) },
      types: ['generate_images'],
      projectId: project.id,
      workerId: 'w',
      concurrency: 3,
      once: true,
      onEvent: () => (peak = Math.max(peak, worker.running.length)),
    });
    const summary = await worker.run();
    assert.equal(summary.completed, 6);
    assert.ok(peak >= 2 && peak <= 3, `peak concurrency ${peak}`);
    assert.equal(await store.count('jobs', { status: 'pending' }), 2);
    assert.equal(await store.count('jobs', { status: 'pending', type: 'generate_clips' }), 1);
    assert.equal(await store.count('jobs', { status: 'pending', project_id: other.id }), 1);
  });

  it('runClaimedJob reports a lost lease instead of completing over a re-claimed job', async () => {
    const job = await store.insert('jobs', { type: 'generate_images', payload: {} });
    const claimed = (await store.claimJob({ workerId: 'first', leaseSeconds: 60 }))!;
    const outcome = await runClaimedJob(claimed, async () => {
      // meanwhile the lease expired and another worker took the job
      await store.update('jobs', job.id, { heartbeat_at: new Date(Date.now() - 120_000).toISOString(), lease_expires_at: new Date(Date.now() - 60_000).toISOString() });
      await store.recoverExpiredJobs(60);
      await store.claimJob({ workerId: 'second', leaseSeconds: 60 });
      return { result: { by: 'first' } };
    }, { store, workerId: 'first', leaseSeconds: 60 });
    assert.equal(outcome.status, 'lost');
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'running');
    assert.equal(row?.locked_by, 'second');
    assert.equal(row?.result, null);
  });

  it('runClaimedJob: a job canceled before a heartbeat noticed is reported canceled, not completed', async () => {
    const job = await store.insert('jobs', { type: 'generate_images', payload: {} });
    const claimed = (await store.claimJob({ workerId: 'w', leaseSeconds: 60 }))!;
    const outcome = await runClaimedJob(claimed, async () => {
      await store.cancelJob(job.id, 'changed my mind');
      return { result: { done: true } };
    }, { store, workerId: 'w', leaseSeconds: 60 });
    assert.equal(outcome.status, 'canceled');
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'canceled');
    assert.equal(row?.result, null);
  });

  it('progress writes are throttled to 2 a second per job; the last value is written before the job ends', async () => {
    const writes: { at: number; progress: number }[] = [];
    // the store as the runner sees it, recording each progress write
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'updateJobProgress') {
          return (lease: Parameters<Store['updateJobProgress']>[0], progress: number) => {
            writes.push({ at: Date.now(), progress });
            return target.updateJobProgress(lease, progress);
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const job = await store.insert('jobs', { type: 'generate_clips', payload: {}, max_attempts: 1 });
    const claimed = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: job.id }))!;
    const started = Date.now();
    // 80 progress reports over ~1.2 s, then a failure at 37 %
    const outcome = await runClaimedJob(claimed, async (_job, control) => {
      for (let p = 1; p <= 80; p++) {
        control.progress(p * 0.45);
        await sleep(15);
      }
      control.progress(37);
      throw new OmveeError('invalid_input', 'clip model refused the prompt');
    }, { store: counting, workerId: 'w', leaseSeconds: 60 });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(outcome.status, 'failed');
    assert.ok(writes.length >= 2, `progress was written (${writes.length} writes)`);
    assert.ok(writes.length <= Math.ceil(seconds * 2) + 1, `${writes.length} writes in ${seconds.toFixed(1)} s`);
    for (let i = 1; i < writes.length - 1; i++) assert.ok(writes[i]!.at - writes[i - 1]!.at >= 450, 'at least ~500 ms between throttled writes');
    assert.equal(writes.at(-1)!.progress, 37, 'the last reported progress is written');
    const row = await store.get('jobs', job.id);
    assert.equal(row?.status, 'failed');
    assert.equal(row?.progress, 37, 'the failed job shows how far it got');
  });
});
