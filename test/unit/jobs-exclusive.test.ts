import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { localWorkerAlive } from '../../src/app/worker-identity.ts';
import { assertExclusive, earlierHolder, isBusyConflict } from '../../src/core/jobs/exclusive.ts';
import { isRetryable, runClaimedJob } from '../../src/core/jobs/runner.ts';
import type { Job } from '../../src/core/model.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { stepHandlers } from '../../src/core/pipeline/handlers.ts';
import { runStep } from '../../src/core/pipeline/run-step.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { JobType, Store } from '../../src/store/port.ts';

let home: string;
let store: Store;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'omvee-exclusive-'));
  store = await openLocalStore({ home });
});
after(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

async function project(): Promise<string> {
  return (await store.insert('projects', { name: 'p' })).id;
}

async function enqueue(projectId: string, type: JobType = 'generate_clips', maxAttempts = 1): Promise<Job> {
  return store.insert('jobs', { type, project_id: projectId, payload: {}, max_attempts: maxAttempts, run_after: new Date().toISOString() });
}

async function claim(job: Job, workerId: string, leaseSeconds = 60): Promise<Job> {
  const claimed = await store.claimJob({ workerId, leaseSeconds, jobId: job.id });
  assert.ok(claimed, `job ${job.id} should be claimable`);
  return claimed;
}

/** Claim a job that already holds its step: claimed a few ms before anything that follows. */
async function claimHolder(job: Job, workerId: string): Promise<Job> {
  const claimed = await claim(job, workerId);
  await new Promise((r) => setTimeout(r, 5));
  return claimed;
}

/** What the exclusion check says for a job: 'ok' or the error code it throws. */
async function verdict(job: Job): Promise<string> {
  try {
    await assertExclusive(store, job);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof OmveeError);
    return error.code;
  }
}

/** Pipeline deps whose only real port is the store; any other port use fails the test loudly. */
function storeOnlyDeps(): PipelineDeps & { touched: string[] } {
  const touched: string[] = [];
  const trap = (name: string) =>
    new Proxy({}, {
      get(_t, prop) {
        if (prop === 'then') return undefined;
        touched.push(`${name}.${String(prop)}`);
        throw new Error(`${name}.${String(prop)} must not be used`);
      },
    });
  return { store, blobs: trap('blobs'), media: trap('media'), providers: trap('providers'), workDir: home, log: () => undefined, touched } as never;
}

describe('one omvee per (project, step)', () => {
  it('two claimed jobs of the same step and project: exactly one may proceed, the other gets conflict', async () => {
    const p = await project();
    const a = await claim(await enqueue(p), 'worker-a');
    const b = await claim(await enqueue(p), 'worker-b');
    const verdicts = await Promise.all([verdict(a), verdict(b)]);
    assert.deepEqual([...verdicts].sort(), ['conflict', 'ok']);
    // the same answer however often they look
    assert.deepEqual(await Promise.all([verdict(a), verdict(b)]), verdicts);
  });

  it('the conflict names the holder, its worker, and how to wait for or cancel it', async () => {
    const p = await project();
    const first = await claim(await enqueue(p), 'worker-first');
    const second = await claim(await enqueue(p), 'worker-second');
    const [winner, loser] = (await verdict(first)) === 'ok' ? [first, second] : [second, first];
    const error = await assertExclusive(store, loser).then(() => null, (e: unknown) => e);
    assert.ok(isBusyConflict(error));
    assert.match(error.message, new RegExp(`already running generate clips for this project \\(job ${winner.id}, worker ${winner.locked_by}\\)`));
    assert.match(error.hint ?? '', new RegExp(`omvee jobs watch ${winner.id}`));
    assert.match(error.hint ?? '', new RegExp(`omvee jobs cancel ${winner.id}`));
  });

  it('the job claimed first keeps the step even when a later claimer was created earlier', async () => {
    const p = await project();
    const older = await enqueue(p); // e.g. a queued chain link a worker gets to late
    const newer = await claimHolder(await enqueue(p), 'in-process');
    const olderClaimed = await claim(older, 'worker');
    assert.equal(await verdict(newer), 'ok');
    assert.equal(await verdict(olderClaimed), 'conflict');
  });

  it('other steps, other projects, finished jobs and dead leases do not block', async () => {
    const p = await project();
    const mine = await claim(await enqueue(p, 'generate_images'), 'me');
    const otherStep = await claim(await enqueue(p, 'generate_clips'), 'other-step');
    const otherProject = await claim(await enqueue(await project(), 'generate_images'), 'other-project');
    const done = await claim(await enqueue(p, 'generate_images'), 'done');
    await store.completeJob({ id: done.id, workerId: 'done', attempt: done.attempts }, {});
    const dead = await claim(await enqueue(p, 'generate_images'), 'dead');
    await store.update('jobs', dead.id, { lease_expires_at: new Date(Date.now() - 1000).toISOString() });
    const oldStyle = await claim(await enqueue(p, 'generate_images'), 'old-style');
    // a row without a stored lease end is judged by its heartbeat
    await store.update('jobs', oldStyle.id, { lease_expires_at: null, heartbeat_at: new Date(Date.now() - 120_000).toISOString() });
    // all of the above were claimed after `mine`; make them look earlier so only liveness decides
    for (const id of [otherStep.id, otherProject.id, dead.id, oldStyle.id]) await store.update('jobs', id, { locked_at: new Date(Date.parse(mine.locked_at!) - 10_000).toISOString() });
    assert.equal(await earlierHolder(store, mine), null);
    // the same old-style row with a fresh heartbeat is alive and blocks
    await store.update('jobs', oldStyle.id, { heartbeat_at: new Date().toISOString() });
    assert.equal((await earlierHolder(store, mine))?.id, oldStyle.id);
  });

  it('a holder known to be gone (killed, lease not yet run out) does not block; an unknown one does', async () => {
    const p = await project();
    const holder = await claimHolder(await enqueue(p), 'host:123:abcd');
    const mine = await claim(await enqueue(p), 'me');
    assert.equal((await earlierHolder(store, mine, { holderAlive: () => undefined }))?.id, holder.id);
    assert.equal((await earlierHolder(store, mine, { holderAlive: () => true }))?.id, holder.id);
    assert.equal(await earlierHolder(store, mine, { holderAlive: (id) => (id === 'host:123:abcd' ? false : undefined) }), null);
  });

  it('localWorkerAlive: this process is alive, an exited one on this host is gone, other hosts are unknown', () => {
    assert.equal(localWorkerAlive(`${hostname()}:${process.pid}:abcd1234`), true);
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    assert.ok(exited);
    assert.equal(localWorkerAlive(`${hostname()}:${exited}:abcd1234`), false);
    assert.equal(localWorkerAlive(`not-${hostname()}:${process.pid}:abcd1234`), undefined);
    assert.equal(localWorkerAlive('garbage'), undefined);
  });

  it('runStep fails at once with the conflict, without running the step, while another omvee holds it', async () => {
    const p = await project();
    const holder = await claimHolder(await enqueue(p, 'generate_prompts'), 'worker-x');
    const deps = storeOnlyDeps();
    const error = await runStep(deps, 'generate_prompts', p, {}, { workerId: 'cli', leaseSeconds: 30, signal: new AbortController().signal }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof OmveeError, String(error));
    assert.equal(error.code, 'conflict');
    assert.match(error.message, new RegExp(`job ${holder.id}, worker worker-x`));
    assert.deepEqual(deps.touched, []);
    const mine = (await store.list('jobs', { where: { project_id: p } })).filter((j) => j.id !== holder.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.status, 'failed');
  });

  it('a queued job that finds its step busy waits for a later try without spending an attempt', async () => {
    const p = await project();
    const holder = await claimHolder(await enqueue(p, 'generate_prompts'), 'in-process');
    const queued = await claim(await enqueue(p, 'generate_prompts', 3), 'worker');
    const deps = storeOnlyDeps();
    const before = Date.now();
    const outcome = await runClaimedJob(queued, stepHandlers(deps).generate_prompts, { store, workerId: 'worker', leaseSeconds: 30, backoffSeconds: () => 7 });
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed' && outcome.willRetry, String(outcome.status === 'failed' && outcome.error));
    const row = await store.get('jobs', queued.id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 0);
    assert.ok(Date.parse(row!.run_after) >= before + 6000, `run_after ${row?.run_after} should be ~7 s ahead`);
    assert.match(row?.error ?? '', new RegExp(holder.id));
    assert.deepEqual(deps.touched, []);
    // any other conflict is worth another (counted) attempt too
    assert.equal(isRetryable(new OmveeError('conflict', 'x')), true);
    assert.equal(isRetryable(new OmveeError('invalid_input', 'x')), false);
  });
});

describe('interrupting an in-process step', () => {
  it('cancels its job instead of handing it back to the queue', async () => {
    const p = await project();
    const abort = new AbortController();
    abort.abort(new Error('received SIGINT'));
    const error = await runStep(storeOnlyDeps(), 'analyze_scenes', p, { scene_min: 3, scene_max: 8 }, { workerId: 'cli', leaseSeconds: 30, signal: abort.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof OmveeError, String(error));
    assert.equal(error.code, 'interrupted');
    const jobs = await store.list('jobs', { where: { project_id: p } });
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.status, 'canceled');
    assert.equal(jobs[0]?.error, 'interrupted');
    // nothing left for a worker to pick up
    assert.equal(await store.claimJob({ workerId: 'w', leaseSeconds: 30, projectId: p }), null);
  });
});
