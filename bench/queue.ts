/**
 * Queue throughput: 200 jobs with a fixed simulated provider latency, drained by 1, 2, 4 and 8
 * worker PROCESSES (each its own store connection) on one local store. Prints throughput,
 * scaling efficiency = throughput(N) / (N × throughput(1)), and the queue overhead per job
 * (claim + complete + scheduling) as a share of a 1-second step.
 * Targets: efficiency ≥ 0.9 at 8 workers; overhead < 5 % of a 1 s step.
 *
 * Run: node bench/queue.ts   (BENCH_JOBS=200, BENCH_LATENCY_MS=100, BENCH_WORKERS=1,2,4,8,
 *                             BENCH_SLOW=1 adds a run with a 1 s latency, ~1 minute more)
 * Timing starts when every worker process is up (process start-up is not queue work).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '../src/core/jobs/worker.ts';
import { openLocalStore } from '../src/store/local/local-store.ts';

const SELF = fileURLToPath(import.meta.url);

interface RunResult {
  workers: number;
  jobs: number;
  latencyMs: number;
  seconds: number;
  throughput: number;
  late: number;
}

async function child(home: string, workerId: string, latencyMs: number, startAt: number): Promise<void> {
  const store = await openLocalStore({ home });
  const worker = new Worker({
    store,
    workerId,
    once: true,
    leaseSeconds: 60,
    handlers: {
      generate_images: async (_job, control) => {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, latencyMs);
          control.signal.addEventListener('abort', () => (clearTimeout(timer), reject(control.signal.reason)), { once: true });
        });
        return { result: {} };
      },
    },
  });
  const late = Date.now() > startAt;
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const summary = await worker.run();
  await store.close();
  process.stdout.write(`${JSON.stringify({ ...summary, late })}\n`);
}

async function measure(workers: number, jobs: number, latencyMs: number): Promise<RunResult> {
  const home = await mkdtemp(join(tmpdir(), 'omvee-bench-queue-'));
  try {
    const store = await openLocalStore({ home });
    await store.insertMany('jobs', Array.from({ length: jobs }, (_, i) => ({ type: 'generate_images' as const, payload: { i } })));
    // every process must be up before the clock starts
    const startAt = Date.now() + 800 + 350 * workers;
    const children = Array.from({ length: workers }, (_, i) =>
      new Promise<{ completed: number; late: boolean }>((resolve, reject) => {
        const p = spawn(process.execPath, ['--no-warnings', SELF, '--child', home, `${hostname()}:bench:${i}`, String(latencyMs), String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { completed: number; late: boolean }) : reject(new Error(`worker ${i} exited ${code}`))));
      }),
    );
    const summaries = await Promise.all(children);
    const rows = await store.list('jobs');
    await store.close();
    const completed = rows.filter((r) => r.status === 'completed');
    if (completed.length !== jobs) throw new Error(`only ${completed.length} of ${jobs} jobs completed`);
    const end = Math.max(...completed.map((r) => Date.parse(r.finished_at!)));
    const seconds = (end - startAt) / 1000;
    return { workers, jobs, latencyMs, seconds, throughput: jobs / seconds, late: summaries.filter((s) => s.late).length };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function report(title: string, results: RunResult[]): void {
  const base = results.find((r) => r.workers === 1)!;
  console.log(`\n${title}`);
  console.log('workers  jobs  seconds  jobs/s   efficiency  ideal jobs/s');
  for (const r of results) {
    const efficiency = r.throughput / (r.workers * base.throughput);
    const ideal = (r.workers * 1000) / r.latencyMs;
    console.log(
      `${String(r.workers).padStart(7)}  ${String(r.jobs).padStart(4)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.throughput.toFixed(2).padStart(6)}   ${efficiency.toFixed(3).padStart(10)}  ${ideal.toFixed(1).padStart(12)}${r.late ? `   (${r.late} worker(s) started late)` : ''}`,
    );
  }
  const perJobMs = (base.seconds * 1000) / base.jobs;
  const overheadMs = perJobMs - base.latencyMs;
  console.log(`queue overhead per job (1 worker): ${overheadMs.toFixed(1)} ms = ${((overheadMs / 1000) * 100).toFixed(2)} % of a 1 s step (target < 5 %)`);
}

async function main(): Promise<void> {
  const jobs = Number(process.env.BENCH_JOBS ?? 200);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100);
  const counts = (process.env.BENCH_WORKERS ?? '1,2,4,8').split(',').map(Number);
  console.log(`queue bench: local store, worker processes, node ${process.version}, ${cpus().length} CPUs`);
  const fast: RunResult[] = [];
  for (const n of counts) {
    fast.push(await measure(n, jobs, latencyMs));
    process.stderr.write(`  ${n} worker(s) done\n`);
  }
  report(`${jobs} jobs, ${latencyMs} ms simulated provider latency`, fast);
  if (process.env.BENCH_SLOW === '1') {
    // a 1 s step: fewer jobs for one worker so the whole bench stays within a few minutes
    const slow = [await measure(1, 30, 1000), await measure(8, jobs, 1000)];
    report(`1 s simulated provider latency (1 worker: 30 jobs, 8 workers: ${jobs} jobs)`, slow);
  }
}

if (process.argv[2] === '--child') {
  const [home, workerId, latency, startAt] = process.argv.slice(3);
  await child(home!, workerId!, Number(latency), Number(startAt));
} else {
  await main();
}
