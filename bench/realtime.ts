/**
 * Live progress: the delay from a worker's progress write to a watcher's callback, Supabase
 * Realtime vs polling, against the Supabase test double (PGlite + its Realtime endpoint), and
 * the database work each watcher causes per minute.
 *
 * A worker (service key) writes a running job's progress every ~500 ms (±100 ms jitter: the
 * runner's throttle allows 2 writes a second); a watcher signed in as the job's owner follows the
 * job through Store.subscribeJobs — live (Realtime) in one phase, polling (live: false) in the
 * next. The delay of a write is the time from the worker's call (updateJobProgress, a REST call
 * to the queue function) until the watcher first holds progress at least that high; a polling
 * watcher that skips a value is late until it shows a newer one. Everything runs in this process
 * on one event loop.
 *
 * Database work per watcher, while progress is written and then while nothing changes: its REST
 * requests (baseline, catch-up and fallback polls; counted by its own fetch), and for Realtime
 * the RLS checks the Realtime server runs for it (one per change it may hear: Realtime's
 * apply_rls runs `select exists(…)` as the subscriber). Not counted: Realtime's WAL polling,
 * which is per project, shared by every watcher.
 *
 * Run: node bench/realtime.ts   (BENCH_SECONDS=30 of writes and BENCH_IDLE_SECONDS=30 of quiet
 *                                per watcher, BENCH_POLL_MS=1000)
 */
import { startPostgrestDouble } from '../test/support/postgrest-double/server.ts';
import { openSupabaseStore } from '../src/store/supabase/supabase-store.ts';
import type { JobFeedMode, Store } from '../src/store/port.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);

interface Work {
  restPerMin: number;
  rlsPerMin: number;
}

interface Phase {
  name: string;
  mode: JobFeedMode;
  delays: number[];
  writes: number;
  /** how long the worker's write call itself took (part of every delay) */
  writeCalls: number[];
  busy: Work;
  idle: Work;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const double = await startPostgrestDouble();
try {
  const alice = await double.createUser('alice@example.test', 'alice-password');
  const worker = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
  const owner = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: alice.accessToken, retry: false });
  const project = await owner.insert('projects', { name: 'bench' });

  async function phase(name: string, live: boolean): Promise<Phase> {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const watcher: Store = await openSupabaseStore({ url: double.url, key: double.anonKey, accessToken: alice.accessToken, retry: false, fetch: counting });
    const job = await worker.insert('jobs', { type: 'generate_clips', project_id: project.id, max_attempts: 1 });
    const claimed = (await worker.claimJob({ workerId: 'bench', leaseSeconds: 600, jobId: job.id }))!;
    const lease = { id: job.id, workerId: 'bench', attempt: claimed.attempts };

    let shown = 0;
    const firstShown = new Map<number, number>(); // progress → when the watcher first held ≥ it
    const feed = await watcher.subscribeJobs({ jobId: job.id }, {
      live,
      pollMs: POLL_MS,
      onChange: (j) => {
        const now = performance.now();
        for (let p = shown + 1; p <= j.progress; p++) firstShown.set(p, now);
        shown = Math.max(shown, j.progress);
      },
    });
    for (let i = 0; live && feed.mode !== 'live' && i < 100; i++) await sleep(100);
    await sleep(500);
    const work = () => ({ requests, rls: double.realtime.rlsChecksFor(alice.id), at: performance.now() });
    const per = (a: ReturnType<typeof work>, b: ReturnType<typeof work>): Work => {
      const minutes = (b.at - a.at) / 60_000;
      return { restPerMin: (b.requests - a.requests) / minutes, rlsPerMin: (b.rls - a.rls) / minutes };
    };
    const busyStart = work();
    const written = new Map<number, number>();
    const writeCalls: number[] = [];
    let p = 0;
    while (performance.now() - busyStart.at < SECONDS * 1000 && p < 99) {
      await sleep(400 + Math.random() * 200);
      p++;
      const issued = performance.now();
      written.set(p, issued);
      await worker.updateJobProgress(lease, p);
      writeCalls.push(performance.now() - issued);
    }
    const busyEnd = work();
    const mode = feed.mode;
    await sleep(IDLE_SECONDS * 1000);
    const idleEnd = work();
    await feed.close();
    await watcher.close();
    await worker.completeJob(lease, {});
    const delays = [...written].filter(([q]) => firstShown.has(q)).map(([q, at]) => firstShown.get(q)! - at);
    if (delays.length < written.size) console.error(`${name}: ${written.size - delays.length} writes never shown`);
    return { name, mode, delays: delays.sort((a, b) => a - b), writes: written.size, writeCalls: writeCalls.sort((a, b) => a - b), busy: per(busyStart, busyEnd), idle: per(busyEnd, idleEnd) };
  }

  console.log(`progress write → watcher callback; per watcher: ${SECONDS} s with a write every ~500 ms, then ${IDLE_SECONDS} s without changes; polling every ${POLL_MS} ms`);
  const phases = [await phase('Realtime', true), await phase(`polling ${POLL_MS} ms`, false)];
  console.log('watcher          mode     writes   p50 ms   p95 ms   max ms  write call p50 | DB queries/min while writing (REST + RLS) | idle (REST + RLS)');
  const f = (w: Work) => `${(w.restPerMin + w.rlsPerMin).toFixed(1).padStart(6)} (${w.restPerMin.toFixed(1)} + ${w.rlsPerMin.toFixed(1)})`;
  for (const ph of phases) {
    console.log(
      `${ph.name.padEnd(16)} ${ph.mode.padEnd(8)} ${String(ph.writes).padStart(6)} ${pct(ph.delays, 50).toFixed(0).padStart(8)} ${pct(ph.delays, 95).toFixed(0).padStart(8)} ${ph.delays.at(-1)!.toFixed(0).padStart(8)} ${pct(ph.writeCalls, 50).toFixed(0).padStart(15)} | ${f(ph.busy).padEnd(40)} | ${f(ph.idle)}`,
    );
  }
  await owner.close();
  await worker.close();
} finally {
  await double.close();
}
