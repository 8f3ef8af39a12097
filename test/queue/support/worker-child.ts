/**
 * A worker process for the queue tests and the bench: a real Worker on the local store with a
 * test-only handler that records what it does in its own log file (JSON lines):
 *   {ev:'start'|'effect'|'abort', job, worker, t}
 * 'effect' is the job's one visible side effect; it is written only when the work finished.
 *
 *   node worker-child.ts <home> <workerId> <logFile> <leaseSeconds> <concurrency> <workMs> <mode>
 * mode: 'drain'  run until the store has no pending or running job left, then stop
 *       'once'   Worker once: drain what is runnable now
 * A job's payload may set {ms} to override workMs. SIGTERM stops the worker gracefully.
 * Prints the worker summary as one JSON line on stdout.
 */
import { appendFileSync } from 'node:fs';
import { openLocalStore } from '../../../src/store/local/local-store.ts';
import { Worker } from '../../../src/core/jobs/worker.ts';
import type { JobHandler } from '../../../src/core/jobs/runner.ts';

const [home, workerId, logFile, leaseText, concurrencyText, workMsText, mode] = process.argv.slice(2);
if (!home || !workerId || !logFile || !mode) throw new Error('usage: worker-child.ts <home> <workerId> <logFile> <lease> <concurrency> <workMs> <mode>');

const log = (ev: string, job: string) => appendFileSync(logFile, `${JSON.stringify({ ev, job, worker: workerId, t: Date.now() })}\n`);

const work: JobHandler = async (job, control) => {
  log('start', job.id);
  const ms = typeof job.payload?.ms === 'number' ? job.payload.ms : Number(workMsText);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    control.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      log('abort', job.id);
      reject(control.signal.reason);
    }, { once: true });
  });
  log('effect', job.id);
  return { result: { worker: workerId } };
};

const store = await openLocalStore({ home });
const worker = new Worker({
  store,
  handlers: { generate_images: work, generate_clips: work },
  workerId,
  concurrency: Number(concurrencyText),
  leaseSeconds: Number(leaseText),
  once: mode === 'once',
  graceMs: 5000,
  idleMinMs: 20,
  idleMaxMs: 200,
});
process.on('SIGTERM', () => worker.stop());

let watcher: NodeJS.Timeout | undefined;
if (mode === 'drain') {
  watcher = setInterval(() => {
    void store.count('jobs', { status: { in: ['pending', 'running'] } }).then((n) => {
      if (n === 0) worker.stop();
    });
  }, 100);
}
const summary = await worker.run();
if (watcher) clearInterval(watcher);
await store.close();
process.stdout.write(`${JSON.stringify(summary)}\n`);
