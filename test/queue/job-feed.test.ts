/**
 * Following jobs (Store.subscribeJobs + core/jobs/watch.ts) on both stores: the local store
 * (polling the rows updated since the last look) and Supabase through the test double — live
 * over Realtime, polling only, falling back when the socket is refused, and coming back live
 * after the server drops it. The case that used to fail: 6 jobs that each run in well under
 * 100 ms, between two 1 s polls, must all be counted.
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchJobs } from '../../src/core/jobs/watch.ts';
import type { Job } from '../../src/core/model.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { JobFeedMode, Store } from '../../src/store/port.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';
import { runShortJob } from '../support/postgrest-double/short-job.ts';
import { tempHome } from './support/helpers.ts';

interface Stores {
  /** what the watcher uses (on Supabase: a signed-in user, so RLS applies) */
  watcher: Store;
  /** what the worker uses (another connection; on Supabase the service key) */
  worker: Store;
  /** a project the watcher owns */
  projectId: string;
  /** runs one short job: queued, claimed, at 50 %, completed — four separate commits */
  shortJob: (projectId: string, n: number) => Promise<Job>;
  /** a project nobody watches (warming up the database's plans before timing anything) */
  scratchProjectId: string;
}

/** one short job through a store's queue calls */
async function storeShortJob(worker: Store, projectId: string, n: number): Promise<Job> {
  const queued = await worker.insert('jobs', { type: 'generate_images', project_id: projectId, payload: { n } });
  const claimed = (await worker.claimJob({ workerId: 'quick', leaseSeconds: 60, jobId: queued.id }))!;
  const lease = { id: claimed.id, workerId: 'quick', attempt: claimed.attempts };
  await worker.updateJobProgress(lease, 50);
  return (await worker.completeJob(lease, { n }))!;
}

/** how long a job lived in the database: queued → completed */
const lifetimeMs = (job: Job): number => Date.parse(String(job.finished_at)) - Date.parse(job.created_at);

async function until(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Watch a project while a long job runs; meanwhile 6 short jobs start and end between two polls.
 * Returns what the watch returned and every change it reported.
 */
async function sixShortJobs(s: Stores, options: { live?: boolean; awaitLive?: boolean; during?: () => Promise<void> } = {}) {
  await s.shortJob(s.scratchProjectId, -1);
  const long = await s.worker.insert('jobs', { type: 'assemble_video', project_id: s.projectId });
  const claimedLong = (await s.worker.claimJob({ workerId: 'slow', leaseSeconds: 60, jobId: long.id }))!;
  const changes: Job[] = [];
  const modes: JobFeedMode[] = [];
  let updates = 0;
  const watching = watchJobs(s.watcher, { projectId: s.projectId }, {
    intervalMs: 1000,
    ...(options.live === false ? { live: false } : {}),
    onChange: (job) => changes.push(job),
    onUpdate: () => updates++,
    onMode: (m) => modes.push(m),
  });
  await until('the watch to start', () => updates > 0);
  if (options.awaitLive) await until('the feed to go live', () => modes.includes('live'));
  await options.during?.();
  const started = Date.now();
  const quick: Job[] = [];
  for (let n = 0; n < 6; n++) quick.push(await s.shortJob(s.projectId, n));
  const burstMs = Date.now() - started;
  await s.worker.completeJob({ id: long.id, workerId: 'slow', attempt: claimedLong.attempts }, {});
  const jobs = await watching;
  return { jobs, changes, modes, quick, burstMs, long };
}

/**
 * Every job counted and reported. The jobs' lifetimes are reported, not asserted: they are
 * ~10–20 ms on an idle machine, but a loaded one stretches them; what matters is asserted where it
 * can be (Supabase polling: each job was first seen already completed, i.e. its whole life fell
 * between two polls — the case that polling for active jobs missed).
 */
function assertAllCounted(out: Awaited<ReturnType<typeof sixShortJobs>>, t: { diagnostic(message: string): void }): void {
  t.diagnostic(`short job lifetimes (queued → completed): ${out.quick.map((q) => `${lifetimeMs(q)} ms`).join(', ')}; burst ${out.burstMs} ms`);
  assert.equal(out.jobs.length, 7, `watched ${out.jobs.length} jobs: ${out.jobs.map((j) => j.type).join(', ')}`);
  assert.ok(out.jobs.every((j) => j.status === 'completed'));
  assert.deepEqual(new Set(out.jobs.map((j) => j.id)), new Set([out.long.id, ...out.quick.map((q) => q.id)]));
  // every short job was reported as a change, and its last report is its final state
  for (const job of out.quick) {
    const seen = out.changes.filter((c) => c.id === job.id);
    assert.ok(seen.length >= 1, `job ${job.payload?.n} was never reported`);
    assert.equal(seen.at(-1)!.status, 'completed');
  }
}

describe('following jobs on the local store', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  let s: Stores;
  beforeEach(async () => {
    home = await tempHome('omvee-feed-');
    const watcher = await openLocalStore({ home: home.dir });
    const worker = await openLocalStore({ home: home.dir });
    const project = await worker.insert('projects', { name: 'feed' });
    const scratch = await worker.insert('projects', { name: 'scratch' });
    s = { watcher, worker, projectId: project.id, shortJob: (p, n) => storeShortJob(worker, p, n), scratchProjectId: scratch.id };
  });
  afterEach(async () => {
    await s.watcher.close();
    await s.worker.close();
    await home.cleanup();
  });

  it('6 jobs that each finish in < 100 ms between two 1 s polls are all counted', async (t) => {
    const out = await sixShortJobs(s);
    assertAllCounted(out, t);
    assert.deepEqual(out.modes, [], 'the local store only polls');
  });

  it('a feed delivers rows changed after it started, once per version, and nothing from before', async () => {
    const before = await s.worker.insert('jobs', { type: 'transcribe', project_id: s.projectId });
    const seen: Job[] = [];
    const feed = await s.watcher.subscribeJobs({ projectId: s.projectId }, { onChange: (j) => seen.push(j), pollMs: 50 });
    try {
      const after1 = await s.worker.insert('jobs', { type: 'transcribe', project_id: s.projectId });
      const other = await s.worker.insert('projects', { name: 'other' });
      await s.worker.insert('jobs', { type: 'transcribe', project_id: other.id });
      await until('the new job', () => seen.some((j) => j.id === after1.id));
      await sleep(200);
      assert.deepEqual(seen.map((j) => j.id), [after1.id], 'not the job from before, not another project’s, not twice');
      await s.worker.cancelJob(before.id);
      await until('the old job’s change', () => seen.some((j) => j.id === before.id && j.status === 'canceled'));
    } finally {
      await feed.close();
    }
  });
});

describe('following jobs on Supabase', () => {
  let double: PostgrestDouble;
  let alice: DoubleUser;
  let bob: DoubleUser;
  let s: Stores;
  let bobStore: Store;
  let bobProject: string;
  before(async () => {
    double = await startPostgrestDouble();
    alice = await double.createUser('alice@example.test', 'alice-password');
    bob = await double.createUser('bob@example.test', 'bob-password');
  });
  after(async () => {
    await double.close();
  });
  beforeEach(async () => {
    await resetDouble(double);
    double.realtime.refuseConnections(0);
    const watcher = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: alice.accessToken, retry: false });
    const worker = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
    const project = await watcher.insert('projects', { name: 'feed' });
    bobStore = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: bob.accessToken, retry: false });
    bobProject = (await bobStore.insert('projects', { name: 'bob' })).id;
    s = { watcher, worker, projectId: project.id, shortJob: (p, n) => runShortJob(double, p, n), scratchProjectId: bobProject };
  });
  afterEach(async () => {
    await s.watcher.close();
    await s.worker.close();
    await bobStore.close();
  });

  it('live over Realtime: the 6 short jobs are counted and each of their changes is heard', async (t) => {
    const out = await sixShortJobs(s, { awaitLive: true });
    assert.deepEqual(out.modes, ['live']);
    assertAllCounted(out, t);
    for (const job of out.quick) {
      const statuses = out.changes.filter((c) => c.id === job.id).map((c) => `${c.status}:${c.progress}`);
      assert.deepEqual(statuses, ['pending:0', 'running:0', 'running:50', 'completed:100'], `every change of job ${job.payload?.n}`);
    }
  });

  it('polling only (live: false): the 6 short jobs are still counted', async (t) => {
    const connections = double.realtime.stats.connections;
    const out = await sixShortJobs(s, { live: false });
    assertAllCounted(out, t);
    for (const job of out.quick) {
      assert.deepEqual(out.changes.filter((c) => c.id === job.id).map((c) => c.status), ['completed'], 'no poll ever saw it pending or running');
    }
    assert.equal(double.realtime.stats.connections, connections, 'no socket was opened');
  });

  it('Realtime refused: the feed polls, counts everything, and goes live once the socket is accepted', async () => {
    double.realtime.refuseConnections(Number.POSITIVE_INFINITY);
    const reasons: string[] = [];
    const seen: Job[] = [];
    const modes: JobFeedMode[] = [];
    const feed = await s.watcher.subscribeJobs({ projectId: s.projectId }, { onChange: (j) => seen.push(j), onMode: (m, r) => (modes.push(m), reasons.push(r ?? '')), pollMs: 100 });
    try {
      await until('the feed to give up on Realtime for now', () => modes.length > 0);
      assert.equal(feed.mode, 'polling');
      assert.match(reasons[0]!, /Realtime/);
      const a = await s.shortJob(s.projectId, 1);
      await until('the job by polling', () => seen.some((j) => j.id === a.id && j.status === 'completed'));
      double.realtime.refuseConnections(0);
      await until('live again (phoenix.js reconnects by itself)', () => feed.mode === 'live', 15_000);
      const b = await s.shortJob(s.projectId, 2);
      await until('the job live', () => seen.some((j) => j.id === b.id && j.status === 'completed'));
      assert.deepEqual(modes, ['polling', 'live']);
    } finally {
      await feed.close();
    }
  });

  it('the socket dropped mid-watch: nothing is lost while polling, and the feed goes live again', async (t) => {
    const out = await sixShortJobs(s, {
      awaitLive: true,
      during: async () => {
        double.realtime.refuseConnections(2); // the first reconnects fail too
        double.realtime.dropConnections();
      },
    });
    assertAllCounted(out, t);
    assert.equal(out.modes[0], 'live');
    assert.ok(out.modes.includes('polling'), `modes: ${out.modes.join(' → ')}`);
  });

  it("RLS: a user's feed hears only their own jobs, even unfiltered", async () => {
    const seen: Job[] = [];
    const feed = await s.watcher.subscribeJobs({}, { onChange: (j) => seen.push(j) });
    try {
      await until('live', () => feed.mode === 'live');
      await storeShortJob(s.worker, bobProject, 1);
      const mine = await storeShortJob(s.worker, s.projectId, 2);
      await until('alice’s job', () => seen.some((j) => j.id === mine.id && j.status === 'completed'));
      await double.realtime.flush();
      assert.ok(seen.every((j) => j.project_id === s.projectId), 'never a job of bob’s');
    } finally {
      await feed.close();
    }
  });

  it('one job by id; a deleted job ends the watch with an error; the store closes its feeds', async () => {
    const job = await s.worker.insert('jobs', { type: 'transcribe', project_id: s.projectId });
    const watching = watchJobs(s.watcher, { jobId: job.id }, { intervalMs: 1000 });
    await sleep(300);
    await s.worker.delete('jobs', job.id);
    await assert.rejects(watching, /was deleted while watching/);
    const feed = await s.watcher.subscribeJobs({ jobId: job.id }, { onChange: () => undefined });
    await until('live', () => feed.mode === 'live');
    const sockets = double.realtime.openSockets;
    await s.watcher.close();
    await until('the socket to close', () => double.realtime.openSockets < sockets);
  });
});
