/**
 * `omvee jobs watch` through the built binary on the Supabase backend (the test double, with its
 * Realtime endpoint): live changes, `--json` as one object per change, every short job counted,
 * the fallback to polling when Realtime refuses the socket, and a prompt exit once the jobs end
 * (realtime-js keeps timers alive after a plain disconnect; the feed must not).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../src/core/model.ts';
import { openSupabaseStore } from '../../src/store/supabase/supabase-store.ts';
import type { Store } from '../../src/store/port.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { resetDouble } from '../support/postgrest-double/reset.ts';
import { runShortJob } from '../support/postgrest-double/short-job.ts';
import { BIN, serviceEnv, tempHome } from './helpers.ts';

type Line = { event: string; job?: Job; jobs?: Job[]; completed?: number; failed?: number; canceled?: number };

let double: PostgrestDouble;
let store: Store;
before(async () => {
  double = await startPostgrestDouble();
  store = await openSupabaseStore({ url: double.url, key: double.serviceKey, retry: false });
});
after(async () => {
  await store.close();
  await double.close();
});
beforeEach(async () => {
  await resetDouble(double);
  double.realtime.refuseConnections(0);
});

/** start `jobs watch --project … --json`, run 6 short jobs while a long one runs, then end it */
async function watchSixShortJobs(home: string, ready: RegExp): Promise<{ code: number | null; lines: Line[]; stderr: string; exitMs: number; quick: Job[] }> {
  const project = await store.insert('projects', { name: 'watched on supabase' });
  const long = await store.insert('jobs', { type: 'assemble_video', project_id: project.id });
  const claimed = (await store.claimJob({ workerId: 'slow', leaseSeconds: 60, jobId: long.id }))!;
  const child = spawn(process.execPath, [BIN, 'jobs', 'watch', '--project', project.id, '--json', '--exit-status', '--debug'], {
    env: serviceEnv(home, double) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // the watch has read the jobs once it printed the long job
  for (let i = 0; i < 600 && !(stdout.includes(long.id) && ready.test(stderr)); i++) await sleep(50);
  assert.ok(stdout.includes(long.id) && ready.test(stderr), `the watch never started (${ready}): ${stderr}`);
  const quick: Job[] = [];
  for (let n = 0; n < 6; n++) quick.push(await runShortJob(double, project.id, n));
  await sleep(300);
  await store.completeJob({ id: long.id, workerId: 'slow', attempt: claimed.attempts }, {});
  const ended = Date.now();
  const code = await Promise.race([exited, sleep(20_000).then(() => 'hung' as const)]);
  if (code === 'hung') {
    child.kill('SIGKILL');
    assert.fail(`jobs watch did not exit: ${stderr}`);
  }
  const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
  return { code, lines, stderr, exitMs: Date.now() - ended, quick };
}

describe('jobs watch on Supabase', () => {
  it('follows Realtime: one JSON line per change, all 7 jobs counted, and it exits promptly', async (t) => {
    const home = await tempHome(t);
    const out = await watchSixShortJobs(home, /following changes live \(Supabase Realtime\)/);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /7 completed/);
    const summary = out.lines.at(-1)!;
    assert.equal(summary.event, 'summary');
    assert.equal(summary.completed, 7);
    for (const job of out.quick) {
      const seen = out.lines.filter((l) => l.event === 'job' && l.job!.id === job.id).map((l) => `${l.job!.status}:${l.job!.progress}`);
      assert.deepEqual(seen, ['pending:0', 'running:0', 'running:50', 'completed:100'], `every change of short job ${job.payload?.n}`);
    }
    assert.ok(out.exitMs < 5000, `exited ${out.exitMs} ms after the last job ended`);
    t.diagnostic(`exit ${out.exitMs} ms after the last job ended`);
  });

  it('falls back to polling when Realtime refuses the socket, and still counts every job', async (t) => {
    double.realtime.refuseConnections(Number.POSITIVE_INFINITY);
    const home = await tempHome(t);
    const out = await watchSixShortJobs(home, /polling every 1000 ms: Realtime/);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /7 completed/);
    assert.equal(out.lines.at(-1)!.completed, 7);
    for (const job of out.quick) assert.ok(out.lines.some((l) => l.event === 'job' && l.job!.id === job.id && l.job!.status === 'completed'));
    assert.ok(out.exitMs < 5000, `exited ${out.exitMs} ms after the last job ended`);
  });
});
