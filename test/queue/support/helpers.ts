/** Shared helpers for the queue tests: temp homes, worker child processes, their logs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

export async function tempHome(prefix = 'omvee-queue-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface ChildRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export interface WorkerChildArgs {
  home: string;
  workerId: string;
  logDir: string;
  leaseSeconds: number;
  concurrency?: number;
  workMs: number;
  mode: 'drain' | 'once';
}

export function startWorkerChild(a: WorkerChildArgs): ChildRun {
  const child = spawn(
    process.execPath,
    ['--no-warnings', WORKER_CHILD, a.home, a.workerId, join(a.logDir, `${a.workerId}.jsonl`), String(a.leaseSeconds), String(a.concurrency ?? 1), String(a.workMs), a.mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export interface LogEvent {
  ev: 'start' | 'effect' | 'abort';
  job: string;
  worker: string;
  t: number;
}

export async function readLogs(logDir: string): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  for (const name of await readdir(logDir)) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(join(logDir, name), 'utf8');
    for (const line of text.split('\n')) if (line.trim()) events.push(JSON.parse(line) as LogEvent);
  }
  return events.sort((a, b) => a.t - b.t);
}

/**
 * Holding intervals per job: from a worker's 'start' to its 'effect'/'abort', or to `deadAt`
 * for a worker that was killed (it never wrote the end). Returns pairs of intervals of one job
 * held by two different workers at the same time.
 */
export function overlaps(events: readonly LogEvent[], killed: ReadonlyMap<string, number> = new Map()): string[] {
  const open = new Map<string, { worker: string; from: number }>();
  const intervals = new Map<string, { worker: string; from: number; to: number }[]>();
  const key = (e: LogEvent) => `${e.job}|${e.worker}`;
  for (const e of events) {
    if (e.ev === 'start') open.set(key(e), { worker: e.worker, from: e.t });
    else {
      const o = open.get(key(e));
      if (!o) continue;
      open.delete(key(e));
      const list = intervals.get(e.job) ?? [];
      list.push({ worker: o.worker, from: o.from, to: e.t });
      intervals.set(e.job, list);
    }
  }
  for (const [k, o] of open) {
    const job = k.split('|')[0]!;
    const list = intervals.get(job) ?? [];
    list.push({ worker: o.worker, from: o.from, to: killed.get(o.worker) ?? Number.POSITIVE_INFINITY });
    intervals.set(job, list);
  }
  const clashes: string[] = [];
  for (const [job, list] of intervals) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.from < list[i - 1]!.to) clashes.push(`${job}: ${list[i - 1]!.worker} and ${list[i]!.worker}`);
    }
  }
  return clashes;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
