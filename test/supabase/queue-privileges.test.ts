/**
 * The queue columns of `jobs` are written by the queue functions only, and anon/authenticated
 * hold no TRUNCATE, REFERENCES or TRIGGER on omvee's tables — on real Postgres semantics: PGlite
 * with supabase/migrations applied, each statement run as the API role with the JWT claims
 * PostgREST would set (test/support/postgrest-double/database.ts).
 *
 * The attacks come from issue 12: a user resets their running job to pending (a second worker
 * runs it again on the operator's keys), zeroes its cost, backdates created_at to jump the queue,
 * truncates every user's projects; and the same through the queue functions with the
 * operator's worker id (readable in jobs.locked_by).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Transaction } from '@electric-sql/pglite';
import { openDoubleDatabase, type DbRole, type DoubleDatabase } from '../support/postgrest-double/database.ts';

let db: DoubleDatabase;
const ALICE = randomUUID();
const BOB = randomUUID();
const bob = { sub: BOB, role: 'authenticated' };
const alice = { sub: ALICE, role: 'authenticated' };
const serviceClaims = { role: 'service_role' };

const OMVEE_TABLES = ['projects', 'artists', 'selected_scenes', 'scene_prompts', 'generated_images', 'video_clips', 'user_approvals', 'final_videos', 'jobs'];

type Row = Record<string, unknown>;
const as = <T = Row>(role: DbRole, claims: Record<string, unknown>, sql: string, params: unknown[] = []): Promise<T[]> =>
  db.asRole(role, claims, async (tx: Transaction) => (await tx.query<T>(sql, params)).rows);
const asBob = <T = Row>(sql: string, params: unknown[] = []) => as<T>('authenticated', bob, sql, params);
const asService = <T = Row>(sql: string, params: unknown[] = []) => as<T>('service_role', serviceClaims, sql, params);
const owner = async <T = Row>(sql: string, params: unknown[] = []): Promise<T[]> => db.asOwner(async (tx) => (await tx.query<T>(sql, params)).rows);

const denied = /permission denied/;

let bobProject: string;
let aliceProject: string;

/** a job of bob's that the operator's service-key worker is running, with a recorded cost */
async function runningJob(): Promise<Row> {
  const [job] = await asBob<{ id: string }>(`insert into public.jobs (type, project_id, payload) values ('generate_clips', $1, '{}') returning id`, [bobProject]);
  const [claimed] = await asService<Row>(`select * from public.claim_job('operator-worker', null, null, $1, 300)`, [job!.id]);
  assert.equal(claimed?.['status'], 'running');
  await asService(`select public.update_job_progress($1, 'operator-worker', $2, 40, '{"partial": true}')`, [job!.id, claimed!['attempts']]);
  await owner(`update public.jobs set cost_usd = 1.5 where id = $1`, [job!.id]);
  return (await owner(`select * from public.jobs where id = $1`, [job!.id]))[0]!;
}

before(async () => {
  db = await openDoubleDatabase();
  await owner(`insert into auth.users (id, email) values ($1, 'alice@example.test'), ($2, 'bob@example.test')`, [ALICE, BOB]);
  [{ id: bobProject }] = (await asBob<{ id: string }>(`insert into public.projects (name) values ('bob song') returning id`)) as [{ id: string }];
  [{ id: aliceProject }] = (await as<{ id: string }>('authenticated', alice, `insert into public.projects (name) values ('alice song') returning id`)) as [{ id: string }];
});
after(async () => {
  await db?.close();
});

describe('queue columns are not user-writable', () => {
  it('a user cannot reset a running job to pending, release it, or clear its lease', async () => {
    const job = await runningJob();
    await assert.rejects(asBob(`update public.jobs set status = 'pending', locked_by = null, lease_expires_at = null where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set status = 'pending' where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set attempts = 0 where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set lease_expires_at = now() - interval '1 hour', heartbeat_at = now() - interval '1 hour' where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set locked_by = 'bob-worker' where id = $1`, [job['id']]), denied);
    // the same through the queue functions, naming the operator's worker (visible in locked_by)
    const [released] = await asBob<{ ok: boolean }>(`select public.release_job($1, 'operator-worker', $2) as ok`, [job['id'], job['attempts']]);
    assert.equal(released!.ok, false, "bob cannot release a job the operator's worker holds");
    const failed = await asBob(`select * from public.fail_job($1, 'operator-worker', $2, 'x', true, 0)`, [job['id'], job['attempts']]);
    assert.equal(failed.length, 0, "bob cannot fail (and so requeue) the operator's job");
    const [row] = await owner(`select status, locked_by, attempts from public.jobs where id = $1`, [job['id']]);
    assert.deepEqual(row, { status: 'running', locked_by: 'operator-worker', attempts: 1 });
  });

  it('a user cannot zero or change cost_usd, nor forge the result', async () => {
    const job = await runningJob();
    await assert.rejects(asBob(`update public.jobs set cost_usd = 0 where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set result = '{"forged": true}' where id = $1`, [job['id']]), denied);
    await assert.rejects(asBob(`update public.jobs set progress = 100 where id = $1`, [job['id']]), denied);
    const completed = await asBob(`select * from public.complete_job($1, 'operator-worker', $2, '{"forged": true}', 0)`, [job['id'], job['attempts']]);
    assert.equal(completed.length, 0, "bob cannot complete the operator's job with his own result and cost");
    const [row] = await owner(`select cost_usd, result, status from public.jobs where id = $1`, [job['id']]);
    assert.deepEqual(row, { cost_usd: 1.5, result: { partial: true }, status: 'running' });
    // and the operator's worker still completes it with the real cost
    const [done] = await asService<Row>(`select * from public.complete_job($1, 'operator-worker', $2, '{"ok": true}', 2.25)`, [job['id'], job['attempts']]);
    assert.deepEqual([done?.['status'], done?.['cost_usd']], ['completed', 2.25]);
  });

  it('a user cannot backdate created_at or run_after to jump the queue', async () => {
    await assert.rejects(asBob(`insert into public.jobs (type, project_id, created_at) values ('transcribe', $1, '2000-01-01')`, [bobProject]), denied);
    await assert.rejects(asBob(`insert into public.jobs (type, project_id, status, attempts) values ('transcribe', $1, 'running', 0)`, [bobProject]), denied);
    await assert.rejects(asBob(`insert into public.jobs (type, project_id, cost_usd) values ('transcribe', $1, 0)`, [bobProject]), denied);
    const [job] = await asBob<Row>(`insert into public.jobs (type, project_id, run_after) values ('transcribe', $1, '2000-01-01') returning *`, [bobProject]);
    assert.ok(new Date(job!['run_after'] as string).getFullYear() > 2020, 'run_after is never before the insert');
    assert.ok(new Date(job!['created_at'] as string).getFullYear() > 2020);
    await assert.rejects(asBob(`update public.jobs set created_at = '2000-01-01' where id = $1`, [job!['id']]), denied);
    await asBob(`update public.jobs set run_after = '2000-01-01' where id = $1`, [job!['id']]);
    const [after] = await owner(`select run_after from public.jobs where id = $1`, [job!['id']]);
    assert.ok(new Date(after!['run_after'] as string).getFullYear() > 2020, 'an update cannot move run_after into the past either');
    await assert.rejects(asBob(`insert into public.jobs (type, project_id, max_attempts) values ('transcribe', $1, 1000)`, [bobProject]), /max_attempts/);
  });

  it("what omvee itself does as a signed-in user still works: enqueue, claim, heartbeat, complete, defer, cancel, retry", async () => {
    const [job] = await asBob<Row>(`insert into public.jobs (id, type, project_id, payload, max_attempts, run_after) values ($1, 'generate_images', $2, '{"scenes": [1]}', 3, now()) returning *`, [randomUUID(), bobProject]);
    assert.deepEqual([job!['status'], job!['attempts'], job!['locked_by'], job!['cost_usd']], ['pending', 0, null, null]);
    const [claimed] = await asBob<Row>(`select * from public.claim_job('bob-laptop', null, $1, null, 60)`, [bobProject]);
    assert.equal(claimed?.['locked_by'], 'bob-laptop');
    const [beat] = await asBob<{ ok: boolean }>(`select public.heartbeat_job($1, 'bob-laptop', $2, 50) as ok`, [claimed!['id'], claimed!['attempts']]);
    assert.equal(beat!.ok, true);
    const [progressed] = await asBob<{ ok: boolean }>(`select public.update_job_progress($1, 'bob-laptop', $2, 60, '{"n": 1}') as ok`, [claimed!['id'], claimed!['attempts']]);
    assert.equal(progressed!.ok, true);
    const [done] = await asBob<Row>(`select * from public.complete_job($1, 'bob-laptop', $2, '{"ok": 1}', 0.5)`, [claimed!['id'], claimed!['attempts']]);
    assert.deepEqual([done?.['status'], done?.['cost_usd']], ['completed', 0.5]);

    // the runner's "another omvee holds this step": release, then a later run_after and a note
    const [second] = await asBob<Row>(`insert into public.jobs (type, project_id) values ('generate_clips', $1) returning *`, [bobProject]);
    const [held] = await asBob<Row>(`select * from public.claim_job('bob-laptop', null, null, $1, 60)`, [second!['id']]);
    assert.equal((await asBob<{ ok: boolean }>(`select public.release_job($1, 'bob-laptop', $2) as ok`, [held!['id'], held!['attempts']]))[0]!.ok, true);
    const later = new Date(Date.now() + 60_000).toISOString();
    const [deferred] = await asBob<Row>(`update public.jobs set run_after = $2, error = 'busy' where id = $1 and status = 'pending' returning *`, [second!['id'], later]);
    assert.equal(new Date(deferred!['run_after'] as string).toISOString(), later);
    const [canceled] = await asBob<Row>(`select * from public.cancel_job($1, 'no longer needed')`, [second!['id']]);
    assert.equal(canceled?.['status'], 'canceled');
    const [retried] = await asBob<Row>(`select * from public.retry_job($1, true)`, [second!['id']]);
    assert.deepEqual([retried?.['status'], retried?.['attempts']], ['pending', 0]);
    // an expired lease of bob's own job can be recovered by bob's worker
    const [third] = await asBob<Row>(`select * from public.claim_job('bob-laptop', null, null, $1, 1)`, [second!['id']]);
    await owner(`update public.jobs set lease_expires_at = now() - interval '1 minute' where id = $1`, [third!['id']]);
    assert.equal((await asBob<{ n: number }>(`select public.recover_expired_jobs(60) as n`))[0]!.n, 1);
  });

  it("a user still sees, claims and cancels none of another user's jobs", async () => {
    const [theirs] = await as<Row>('authenticated', alice, `insert into public.jobs (type, project_id) values ('transcribe', $1) returning *`, [aliceProject]);
    assert.equal((await asBob(`select * from public.claim_job('bob-laptop', null, null, $1, 60)`, [theirs!['id']])).length, 0);
    assert.equal((await asBob(`select * from public.cancel_job($1)`, [theirs!['id']])).length, 0);
    assert.equal((await asBob(`select * from public.jobs where id = $1`, [theirs!['id']])).length, 0);
    await owner(`update public.jobs set status = 'failed' where id = $1`, [theirs!['id']]);
    assert.equal((await asBob(`select * from public.retry_job($1, true)`, [theirs!['id']])).length, 0);
    await owner(`update public.jobs set status = 'running', locked_by = 'w', attempts = 1, lease_expires_at = now() - interval '1 minute' where id = $1`, [theirs!['id']]);
    assert.equal((await asBob<{ n: number }>(`select public.recover_expired_jobs(60) as n`))[0]!.n, 0);
    assert.equal((await owner(`select status from public.jobs where id = $1`, [theirs!['id']]))[0]!['status'], 'running');
  });

  it('the service role still writes queue columns directly (operators, tests)', async () => {
    const [job] = await asService<Row>(`insert into public.jobs (type, status, attempts, created_at) values ('transcribe', 'failed', 2, '2001-01-01') returning *`);
    assert.equal(job!['status'], 'failed');
    await asService(`update public.jobs set lease_expires_at = now(), cost_usd = 0 where id = $1`, [job!['id']]);
  });
});

describe('no TRUNCATE, REFERENCES or TRIGGER for anon and authenticated', () => {
  it('truncate projects cascade is refused as a signed-in user and as anon; nothing is lost', async () => {
    const before = (await owner<{ n: number }>(`select count(*)::int as n from public.projects`))[0]!.n;
    await assert.rejects(asBob(`truncate public.projects cascade`), denied);
    await assert.rejects(as('anon', { role: 'anon' }, `truncate public.jobs`), denied);
    assert.equal((await owner<{ n: number }>(`select count(*)::int as n from public.projects`))[0]!.n, before);
  });

  it('has_table_privilege says no for each omvee table', async () => {
    for (const role of ['anon', 'authenticated']) {
      for (const table of OMVEE_TABLES) {
        for (const privilege of ['TRUNCATE', 'REFERENCES', 'TRIGGER']) {
          const [row] = await owner<{ ok: boolean }>(`select has_table_privilege($1, $2, $3) as ok`, [role, `public.${table}`, privilege]);
          assert.equal(row!.ok, false, `${role} has ${privilege} on ${table}`);
        }
      }
    }
  });
});
