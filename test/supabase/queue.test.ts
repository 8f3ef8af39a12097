/**
 * The SQL job queue under concurrency: claim_job's FOR UPDATE SKIP LOCKED through supabase.rpc,
 * 8 claimers over 200 jobs, expired leases, stale workers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import type { Store } from '../../src/store/port.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';

let double: PostgrestDouble;
let store: Store;
before(async () => {
  double = await startPostgrestDouble();
  store = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
});
after(async () => {
  await double.close();
});

describe('job queue on Supabase', () => {
  it('8 concurrent claimers over 200 jobs: every job claimed and completed exactly once', async () => {
    await resetDouble(double);
    const jobs = await store.insertMany('jobs', Array.from({ length: 200 }, (_, i) => ({ type: 'generate_images' as const, payload: { n: i } })));
    const claims = new Map<string, string[]>();
    const worker = async (name: string): Promise<void> => {
      // each worker opens its own client, as separate machines would
      const own = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
      for (;;) {
        const job = await own.claimJob({ workerId: name, leaseSeconds: 60 });
        if (!job) return;
        claims.set(job.id, [...(claims.get(job.id) ?? []), name]);
        const done = await own.completeJob({ id: job.id, workerId: name, attempt: job.attempts }, { by: name });
        assert.ok(done, `${name} completes the job it holds`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => worker(`w${i}`)));
    assert.equal(claims.size, 200);
    for (const [id, by] of claims) assert.equal(by.length, 1, `job ${id} claimed by ${by.join(', ')}`);
    assert.equal(await store.count('jobs', { status: 'completed' }), 200);
    const spread = new Set([...claims.values()].map((by) => by[0]));
    assert.ok(spread.size > 1, 'more than one worker got work');
    const all = await store.list('jobs', { where: { id: { in: jobs.map((j) => j.id) } } });
    assert.ok(all.every((j) => j.attempts === 1));
  });

  it('an expired lease is recovered and the stale worker cannot complete the re-claimed job', async () => {
    await resetDouble(double);
    const job = await store.insert('jobs', { type: 'generate_clips' });
    const a = await store.claimJob({ workerId: 'machine-a', leaseSeconds: 30 });
    assert.equal(a?.id, job.id);
    assert.equal(await store.recoverExpiredJobs(30), 0);
    // machine-a dies: its heartbeat stops
    const dead = new Date(Date.now() - 60_000).toISOString();
    await store.update('jobs', job.id, { heartbeat_at: dead, lease_expires_at: dead });
    assert.equal(await store.recoverExpiredJobs(30), 1);
    const b = await store.claimJob({ workerId: 'machine-b', leaseSeconds: 30 });
    assert.equal(b?.id, job.id);
    assert.ok(a && b);
    const stale = { id: a.id, workerId: 'machine-a', attempt: a.attempts };
    assert.equal(await store.completeJob(stale, { from: 'a' }), null);
    assert.equal(await store.heartbeatJob(stale, 99), false);
    const done = await store.completeJob({ id: b.id, workerId: 'machine-b', attempt: b.attempts }, { from: 'b' });
    assert.deepEqual(done?.result, { from: 'b' });
  });

  it('lists page past the 1000-row cap of PostgREST', async () => {
    await resetDouble(double);
    await store.insertMany('jobs', Array.from({ length: 1203 }, () => ({ type: 'transcribe' as const })));
    const all = await store.list('jobs');
    assert.equal(all.length, 1203);
    assert.equal(new Set(all.map((j) => j.id)).size, 1203);
    assert.equal((await store.list('jobs', { limit: 1100, offset: 200 })).length, 1003);
    assert.equal(await store.count('jobs'), 1203);
  });
});
