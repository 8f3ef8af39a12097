/**
 * Supabase Realtime (postgres_changes) through the real client: @supabase/supabase-js's
 * `channel().on('postgres_changes', …).subscribe()` over a real WebSocket to the test double's
 * `/realtime/v1/websocket`, fed by the double's Postgres (PGlite) with the project's migrations,
 * so the publication of supabase/migrations and the row level security of the jobs table decide
 * what each subscriber hears.
 *
 * Subscribers call `realtime.setAuth()` before subscribing, as Supabase advises: supabase-js sets
 * the socket's token asynchronously, and a channel joined before that carries no access_token, so
 * Realtime would authorise it with the apikey (anon) — see supabase/supabase-js#1304.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { WebSocket } from 'ws';
import { startPostgrestDouble, type DoubleUser, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';
import { closeRealtime } from '../../src/store/supabase/job-feed.ts';

type Change = { schema: string; table: string; eventType: string; commit_timestamp: string; new: Record<string, unknown>; old: Record<string, unknown>; errors: string[] | null };
type SystemMessage = { extension: string; status: string; message: string; channel: string };

let double: PostgrestDouble;
let alice: DoubleUser;
let bob: DoubleUser;
const clients: SupabaseClient[] = [];

function client(d: PostgrestDouble, token: string | (() => string), realtime: Record<string, unknown> = {}): SupabaseClient {
  const c = createClient(d.url, d.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    accessToken: async () => (typeof token === 'function' ? token() : token),
    realtime,
  });
  clients.push(c);
  return c;
}

/** leave every channel and close the socket (without realtime-js's lingering disconnect timers) */
async function shut(c: SupabaseClient): Promise<void> {
  for (const ch of c.getChannels()) await c.removeChannel(ch);
  await closeRealtime(c.realtime);
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Subscription {
  channel: RealtimeChannel;
  changes: Change[];
  system: SystemMessage[];
  statuses: { status: string; error?: string | undefined }[];
}

/** subscribe to postgres_changes of public.jobs; resolves once Realtime says "Subscribed to PostgreSQL" (or refused) */
async function watch(c: SupabaseClient, options: { filter?: string; event?: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; table?: string; expect?: 'subscribed' | 'error' | 'channel_error' } = {}): Promise<Subscription> {
  await c.realtime.setAuth();
  const sub: Subscription = { channel: null as never, changes: [], system: [], statuses: [] };
  sub.channel = c
    .channel(`jobs-${Math.random().toString(36).slice(2)}`)
    .on('postgres_changes', { event: options.event ?? '*', schema: 'public', table: options.table ?? 'jobs', ...(options.filter ? { filter: options.filter } : {}) } as never, (p: Change) => sub.changes.push(p))
    .on('system', {}, (p: SystemMessage) => sub.system.push(p))
    .subscribe((status, error) => sub.statuses.push({ status, error: error?.message }));
  const expect = options.expect ?? 'subscribed';
  if (expect === 'channel_error') await waitFor('CHANNEL_ERROR', () => sub.statuses.some((s) => s.status === 'CHANNEL_ERROR'));
  else await waitFor(`the postgres_changes system message (${expect})`, () => sub.system.some((m) => m.extension === 'postgres_changes' && m.status === (expect === 'subscribed' ? 'ok' : 'error')));
  return sub;
}

const onlyChanges = (sub: Subscription, eventType: string) => sub.changes.filter((c) => c.eventType === eventType);

before(async () => {
  double = await startPostgrestDouble();
  alice = await double.createUser('alice@example.test', 'alice-password');
  bob = await double.createUser('bob@example.test', 'bob-password');
});
after(async () => {
  for (const c of clients.splice(0)) await shut(c);
  await double.close();
});
beforeEach(async () => {
  for (const c of clients.splice(0)) await shut(c);
  await resetDouble(double);
});

async function projectOf(c: SupabaseClient, name: string): Promise<string> {
  const { data, error } = await c.from('projects').insert({ name }).select('id').single();
  assert.equal(error, null);
  return (data as { id: string }).id;
}

async function jobIn(c: SupabaseClient, projectId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await c.from('jobs').insert({ project_id: projectId, type: 'generate_images', payload: { scenes: [1, 2] }, ...extra }).select('id').single();
  assert.equal(error, null);
  return (data as { id: string }).id;
}

describe('Realtime postgres_changes with the real client', () => {
  it('INSERT, UPDATE and DELETE arrive with the payload Realtime sends (typed values, old only as the replica identity gives it)', async () => {
    const a = client(double, alice.accessToken);
    const sub = await watch(a);
    assert.deepEqual(sub.statuses.map((s) => s.status), ['SUBSCRIBED']);
    assert.deepEqual(sub.system.at(-1), { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: sub.channel.subTopic });

    const project = await projectOf(a, 'song');
    const id = await jobIn(a, project);
    await waitFor('the INSERT', () => onlyChanges(sub, 'INSERT').length === 1);
    const ins = onlyChanges(sub, 'INSERT')[0]!;
    assert.equal(ins.schema, 'public');
    assert.equal(ins.table, 'jobs');
    assert.equal(ins.errors, null);
    assert.match(ins.commit_timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(ins.old, {});
    assert.equal(ins.new.id, id);
    assert.equal(ins.new.project_id, project);
    assert.equal(ins.new.status, 'pending');
    assert.equal(ins.new.progress, 0, 'int4 arrives as a number');
    assert.deepEqual(ins.new.payload, { scenes: [1, 2] }, 'jsonb arrives as an object');
    assert.equal(ins.new.locked_by, null);
    // every column of the row, as the subscriber may select them
    const { data: row } = await a.from('jobs').select('*').eq('id', id).single();
    assert.deepEqual(Object.keys(ins.new).sort(), Object.keys(row as object).sort());

    // a worker's progress through the queue function (service role), heard by the owner
    const service = client(double, double.serviceKey);
    const claimed = await service.rpc('claim_job', { p_worker_id: 'w1', p_types: null, p_project_id: null, p_job_id: id, p_lease_seconds: 60 });
    assert.equal(claimed.error, null);
    const progressed = await service.rpc('update_job_progress', { p_job_id: id, p_worker_id: 'w1', p_attempt: 1, p_progress: 42, p_result: null });
    assert.equal(progressed.error, null);
    await waitFor('two UPDATEs', () => onlyChanges(sub, 'UPDATE').length === 2);
    const [running, at42] = onlyChanges(sub, 'UPDATE');
    assert.equal(running!.new.status, 'running');
    assert.equal(running!.new.locked_by, 'w1');
    assert.equal(at42!.new.progress, 42);
    assert.deepEqual(at42!.old, {}, 'default replica identity: no old values unless the key changed');
    assert.ok(Date.parse(String(at42!.new.updated_at)) >= Date.parse(String(running!.new.updated_at)));

    await a.from('projects').delete().eq('id', project);
    await waitFor('the DELETE (cascade)', () => onlyChanges(sub, 'DELETE').length === 1);
    const del = onlyChanges(sub, 'DELETE')[0]!;
    assert.deepEqual(del.old, { id }, 'with RLS on, a DELETE carries only the primary key');
    assert.deepEqual(del.new, {});
  });

  it('filters: project_id=eq, id=eq, in, an event type; other rows are not sent', async () => {
    const a = client(double, alice.accessToken);
    const p1 = await projectOf(a, 'one');
    const p2 = await projectOf(a, 'two');
    const byProject = await watch(a, { filter: `project_id=eq.${p1}` });
    const known = await jobIn(a, p2);
    const byId = await watch(a, { filter: `id=eq.${known}` });
    const finals = await watch(a, { filter: 'status=in.(completed,failed)' });
    const updatesOnly = await watch(a, { event: 'UPDATE', filter: `project_id=eq.${p2}` });

    const inP1 = await jobIn(a, p1);
    await jobIn(a, p2);
    // queue columns are the queue's (a worker with the service key writes them), not the user's
    const worker = client(double, double.serviceKey);
    for (const [patch, id] of [[{ status: 'completed' }, known], [{ progress: 3 }, inP1]] as const) {
      const { error } = await worker.from('jobs').update(patch).eq('id', id);
      assert.equal(error, null);
    }
    await double.realtime.flush();
    await waitFor('the filtered events', () => byProject.changes.length === 2 && byId.changes.length === 1 && finals.changes.length === 1 && updatesOnly.changes.length === 1);
    await new Promise((r) => setTimeout(r, 100)); // nothing else is on its way
    assert.deepEqual(byProject.changes.map((c) => [c.eventType, c.new.id]), [['INSERT', inP1], ['UPDATE', inP1]]);
    assert.deepEqual(byId.changes.map((c) => [c.eventType, c.new.id, c.new.status]), [['UPDATE', known, 'completed']]);
    assert.deepEqual(finals.changes.map((c) => c.new.id), [known]);
    assert.deepEqual(updatesOnly.changes.map((c) => [c.eventType, c.new.id]), [['UPDATE', known]]);
  });

  it("two users each hear only their own jobs' changes; the service role hears both", async () => {
    const a = client(double, alice.accessToken);
    const b = client(double, bob.accessToken);
    const s = client(double, double.serviceKey);
    const [subA, subB, subS] = [await watch(a), await watch(b), await watch(s)];
    const jobA = await jobIn(a, await projectOf(a, 'alice song'));
    const jobB = await jobIn(b, await projectOf(b, 'bob song'));
    await waitFor('both inserts at the service role', () => subS.changes.length === 2);
    await double.realtime.flush();
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(subA.changes.map((c) => c.new.id), [jobA]);
    assert.deepEqual(subB.changes.map((c) => c.new.id), [jobB]);
    assert.deepEqual(new Set(subS.changes.map((c) => c.new.id)), new Set([jobA, jobB]));
    assert.ok(double.realtime.rlsChecksFor(alice.id) >= 2, 'each change was checked against alice’s policies');

    // a filter naming bob's project does not let alice hear it either
    const { data } = await b.from('projects').select('id').single();
    const sneaky = await watch(a, { filter: `project_id=eq.${(data as { id: string }).id}` });
    await jobIn(b, (data as { id: string }).id);
    await waitFor('bob hears his job', () => subB.changes.length === 2);
    await double.realtime.flush();
    assert.deepEqual(sneaky.changes, []);
  });

  it('a new access_token on the channel changes whose rows it hears', async () => {
    let token = alice.accessToken;
    const c = client(double, () => token);
    const sub = await watch(c);
    const bobProject = await projectOf(client(double, bob.accessToken), 'bob');
    const asBob = client(double, bob.accessToken);
    await jobIn(asBob, bobProject);
    await double.realtime.flush();
    assert.equal(sub.changes.length, 0);
    token = bob.accessToken;
    await c.realtime.setAuth(); // pushes `access_token` to the joined channel
    await waitFor('the subscription made again with bob’s claims', () => sub.system.filter((m) => m.message === 'Subscribed to PostgreSQL').length === 2);
    const second = await jobIn(asBob, bobProject);
    await waitFor('bob’s job heard on the same channel', () => sub.changes.length === 1);
    assert.equal(sub.changes[0]!.new.id, second);
  });

  it('refuses bad tokens: at connect (HTTP 401), at join (reasons as Realtime gives them), and when the token expires', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = double.sign({ role: 'authenticated', sub: alice.id, exp: now + 3600 }).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    const expired = double.sign({ role: 'authenticated', sub: alice.id, exp: now - 30 });
    const noExp = double.sign({ role: 'authenticated', sub: alice.id });

    const forgedSub = await watch(client(double, forged), { expect: 'channel_error' });
    assert.equal(forgedSub.statuses.find((s) => s.status === 'CHANNEL_ERROR')?.error, 'JwtSignatureError: Failed to validate JWT signature');
    const expiredSub = await watch(client(double, expired), { expect: 'channel_error' });
    assert.match(expiredSub.statuses.find((s) => s.status === 'CHANNEL_ERROR')?.error ?? '', /^InvalidJWTToken: Token has expired (3\d) seconds ago$/);
    const noExpSub = await watch(client(double, noExp), { expect: 'channel_error' });
    assert.equal(noExpSub.statuses.find((s) => s.status === 'CHANNEL_ERROR')?.error, 'InvalidJWTToken: Fields `role` and `exp` are required in JWT');
    const garbage = await watch(client(double, 'not-a-jwt'), { expect: 'channel_error' });
    assert.equal(garbage.statuses.find((s) => s.status === 'CHANNEL_ERROR')?.error, 'MalformedJWT: The token provided is not a valid JWT');
    for (const s of [forgedSub, expiredSub, noExpSub, garbage]) assert.deepEqual(s.changes, []);

    // the WebSocket handshake itself needs a valid apikey (user_socket.ex: HTTP 401 {"error": …})
    const handshake = (apikey: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(`${double.url.replace('http', 'ws')}/realtime/v1/websocket?vsn=2.0.0&apikey=${apikey}`);
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.on('open', () => reject(new Error('the socket opened')));
        ws.on('error', () => undefined);
      });
    assert.deepEqual(await handshake(forged), { status: 401, body: JSON.stringify({ error: 'Failed to validate JWT signature' }) });
    assert.deepEqual(await handshake(expired), { status: 401, body: JSON.stringify({ error: 'Token has expired' }) });
    const badKey = createClient(double.url, forged, { auth: { persistSession: false, autoRefreshToken: false } });
    clients.push(badKey);
    const refusedBefore = double.realtime.stats.refused;
    await watch(badKey, { expect: 'channel_error' });
    assert.ok(double.realtime.stats.refused > refusedBefore);

    // a token that runs out while subscribed: a system error, then the channel is closed
    const shortLived = double.sign({ role: 'authenticated', sub: alice.id, aud: 'authenticated', exp: now + 2 });
    const brief = await watch(client(double, shortLived));
    await waitFor('the channel to close at expiry', () => brief.statuses.some((s) => s.status === 'CLOSED'), 5000);
    const last = brief.system.at(-1)!;
    assert.equal(last.extension, 'system');
    assert.equal(last.status, 'error');
    assert.match(last.message, /^Token has expired \d+ seconds ago$/);
  });

  it('refuses what Realtime refuses: bad filters, unknown columns, tables outside the publication', async () => {
    const a = client(double, alice.accessToken);
    const badOp = await watch(a, { filter: 'status=foo.bar', expect: 'error' });
    assert.equal(badOp.system.at(-1)!.message, 'Error parsing `filter` params: ["foo", "bar"]');
    const noColumn = await watch(a, { filter: 'nope=eq.1', expect: 'error' });
    assert.match(noColumn.system.at(-1)!.message, /^Unable to subscribe to changes with given parameters\. An exception happened .*filters: \[\{"nope", "eq", "1", false\}\].*Exception: ERROR P0001 \(raise_exception\) invalid column for filter nope$/);
    const badUuid = await watch(a, { filter: 'id=eq.not-a-uuid', expect: 'error' });
    assert.match(badUuid.system.at(-1)!.message, /Exception: ERROR 22P02 \(invalid_text_representation\) invalid input syntax for type uuid: "not-a-uuid"$/);
    const unpublished = await watch(a, { table: 'projects', expect: 'error' });
    assert.equal(
      unpublished.system.at(-1)!.message,
      'Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: *, schema: public, table: projects, filters: [], select: nil]',
    );
    // the join itself succeeded: the client reports SUBSCRIBED and no event is ever sent
    for (const s of [badOp, noColumn, badUuid, unpublished]) assert.deepEqual(s.statuses.map((x) => x.status), ['SUBSCRIBED']);
    await jobIn(a, await projectOf(a, 'x'));
    await double.realtime.flush();
    for (const s of [badOp, noColumn, badUuid, unpublished]) assert.deepEqual(s.changes, []);
  });

  it('only committed changes of published tables emit', async () => {
    const s = client(double, double.serviceKey);
    const sub = await watch(s);
    const a = client(double, alice.accessToken);
    const project = await projectOf(a, 'p');
    await double.db.asOwner(async (tx) => {
      await tx.query(`insert into public.jobs (project_id, type) values ($1, 'transcribe')`, [project]);
      await tx.rollback();
    });
    await double.realtime.flush();
    assert.deepEqual(sub.changes, [], 'a rolled-back insert is never heard');
    await double.db.asOwner((tx) => tx.exec('alter publication supabase_realtime drop table public.jobs'));
    try {
      await jobIn(a, project);
      await double.realtime.flush();
      assert.deepEqual(sub.changes, [], 'a table out of the publication is silent');
    } finally {
      await double.db.asOwner((tx) => tx.exec('alter publication supabase_realtime add table public.jobs'));
    }
    await jobIn(a, project);
    await waitFor('the insert once published again', () => sub.changes.length === 1);
  });

  it('the migration is idempotent and puts jobs (only) in the publication', async () => {
    const { readFile } = await import('node:fs/promises');
    const { MIGRATIONS_DIR } = await import('../support/postgrest-double/database.ts');
    const sql = await readFile(`${MIGRATIONS_DIR}/20250401000000_realtime_publication.sql`, 'utf8');
    await double.db.asOwner((tx) => tx.exec(sql));
    await double.db.asOwner((tx) => tx.exec(sql));
    const tables = await double.db.asOwner((tx) => tx.query<{ t: string }>(`select schemaname || '.' || tablename as t from pg_publication_tables where pubname = 'supabase_realtime'`));
    assert.deepEqual(tables.rows.map((r) => r.t), ['public.jobs']);
  });
});

describe('the Realtime socket', () => {
  let strict: PostgrestDouble;
  before(async () => {
    strict = await startPostgrestDouble({ realtime: { idleTimeoutMs: 2000 } });
  });
  after(async () => {
    for (const c of clients.splice(0)) await shut(c);
    await strict.close();
  });

  it('heartbeats keep the socket open; a silent socket is closed by the server', async () => {
    // generous timings: phoenix.js gives a heartbeat reply one interval before it reconnects, and
    // this process (client and server) may stall on a loaded machine
    const beating = client(strict, strict.serviceKey, { heartbeatIntervalMs: 500 });
    const sub = await watch(beating);
    const heartbeats = strict.realtime.stats.heartbeats;
    await new Promise((r) => setTimeout(r, 5000)); // two and a half idle timeouts
    assert.ok(strict.realtime.stats.heartbeats - heartbeats >= 6, `heartbeats were answered (${strict.realtime.stats.heartbeats - heartbeats})`);
    assert.equal(strict.realtime.stats.connections, 1, 'the beating socket was never closed');
    assert.deepEqual(sub.statuses.map((s) => s.status), ['SUBSCRIBED'], 'the channel stayed joined');
    await shut(beating);

    const silent = client(strict, strict.serviceKey, { heartbeatIntervalMs: 60_000 });
    const closes: number[] = [];
    await watch(silent);
    const before = strict.realtime.stats.connections;
    (silent.realtime as unknown as { socketAdapter: { onClose(cb: (e: { code?: number }) => void): void } }).socketAdapter.onClose((e: { code?: number }) => closes.push(e?.code ?? 0));
    await waitFor('the server to close the silent socket', () => closes.length > 0, 6000);
    // phoenix.js reconnects by itself (1 s): the client comes back
    await waitFor('the reconnect', () => strict.realtime.stats.connections > before, 4000);
  });
});

describe('reconnecting', () => {
  it('when the server closes the socket the client reconnects, rejoins and hears changes again', async () => {
    const s = client(double, double.serviceKey);
    const sub = await watch(s);
    const a = client(double, alice.accessToken);
    const project = await projectOf(a, 'p');
    await jobIn(a, project);
    await waitFor('the first insert', () => sub.changes.length === 1);
    const connections = double.realtime.stats.connections;
    const joins = double.realtime.stats.joins;
    double.realtime.dropConnections();
    await waitFor('CHANNEL_ERROR after the drop', () => sub.statuses.some((x) => x.status === 'CHANNEL_ERROR'));
    await waitFor('a new connection and join', () => double.realtime.stats.connections > connections && double.realtime.stats.joins > joins, 5000);
    await waitFor('subscribed again', () => sub.system.filter((m) => m.message === 'Subscribed to PostgreSQL').length === 2);
    await jobIn(a, project);
    await waitFor('the insert after reconnecting', () => sub.changes.length === 2);
    assert.equal(sub.statuses.at(-1)!.status, 'SUBSCRIBED');
  });
});
