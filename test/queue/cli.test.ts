/**
 * The operator commands: `jobs watch --exit-status` exit codes and `worker` signals through
 * the built binary (run `npm run build` first; `npm test` does), and `jobs list` / `retry` /
 * `cancel` through their handlers with fake streams (a TTY and a pipe).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliContext, type IO, type OutStream } from '../../src/cli/context.ts';
import { OmveeError } from '../../src/core/errors.ts';
import type { CommandModule } from '../../src/cli/action.ts';
import { parseOptions } from '../../src/cli/parse.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { Store } from '../../src/store/port.ts';
import type { Job } from '../../src/core/model.ts';
import { tempHome } from './support/helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/omvee', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/commands/worker/run.js', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function omvee(home: string, args: string[], timeoutMs = 20_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: envFor(home), timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function envFor(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, CI: 'true', OMVEE_HOME: home, OMVEE_BACKEND: 'local', NO_COLOR: '1' };
}

class Capture implements OutStream {
  text = '';
  isTTY: boolean;
  columns = 160;
  constructor(isTTY: boolean) {
    this.isTTY = isTTY;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function fakeContext(home: string, options: { tty: boolean; json?: boolean }): { ctx: CliContext; stdout: Capture; stderr: Capture } {
  const stdout = new Capture(options.tty);
  const stderr = new Capture(options.tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty });
  const io: IO = { stdout, stderr, stdin, env: { HOME: home, XDG_CONFIG_HOME: home, OMVEE_HOME: home, OMVEE_BACKEND: 'local' }, cwd: home };
  const ctx = new CliContext(io, { json: options.json === true, yes: false, quiet: false, debug: false, color: false });
  return { ctx, stdout, stderr };
}

async function runHandler(mod: Promise<CommandModule>, ctx: CliContext, args: string[], options: Record<string, unknown> = {}): Promise<void> {
  const { run, Options } = await mod;
  try {
    // as the action wrapper does: the options go through the handler's schema first
    await run(ctx, { args, options: parseOptions(Options, options), command: undefined as never });
  } finally {
    await ctx.close();
  }
}

async function finished(store: Store, status: 'completed' | 'failed' | 'canceled', projectId?: string): Promise<Job> {
  const job = await store.insert('jobs', { type: 'generate_images', payload: {}, max_attempts: 1, ...(projectId ? { project_id: projectId } : {}) });
  if (status === 'canceled') return store.cancelJob(job.id);
  const claimed = (await store.claimJob({ workerId: 'setup', leaseSeconds: 60, jobId: job.id }))!;
  const lease = { id: claimed.id, workerId: 'setup', attempt: claimed.attempts };
  return status === 'completed' ? (await store.completeJob(lease, { ok: true }))! : (await store.failJob(lease, 'boom', { retry: false }))!;
}

describe('operator commands', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  let store: Store;
  before(async () => {
    assert.ok(existsSync(BUILT), 'the CLI is not built: run `npm run build` first');
    home = await tempHome('omvee-cli-');
    store = await openLocalStore({ home: home.dir });
  });
  after(async () => {
    await store.close();
    await home.cleanup();
  });

  it('jobs watch --exit-status: 0 for completed, 1 for failed or canceled; 0 without the flag', async () => {
    const ok = await finished(store, 'completed');
    const bad = await finished(store, 'failed');
    const gone = await finished(store, 'canceled');
    const r1 = await omvee(home.dir, ['jobs', 'watch', ok.id, '--exit-status']);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stderr, /completed/);
    const r2 = await omvee(home.dir, ['jobs', 'watch', bad.id.slice(0, 8), '--exit-status']);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /did not complete: .* failed \(boom\)/);
    assert.match(r2.stderr, /hint: .*jobs retry/);
    const r3 = await omvee(home.dir, ['jobs', 'watch', gone.id, '--exit-status']);
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /canceled/);
    const r4 = await omvee(home.dir, ['jobs', 'watch', bad.id]);
    assert.equal(r4.code, 0, r4.stderr);
    const r5 = await omvee(home.dir, ['jobs', 'watch', 'ffffffff-0000-4000-8000-000000000000', '--exit-status']);
    assert.equal(r5.code, 1);
    assert.match(r5.stderr, /job not found/);
  });

  it('jobs watch --project follows running jobs until they end, printing progress lines', async () => {
    const project = await store.insert('projects', { name: 'watched' });
    const a = await store.insert('jobs', { type: 'generate_images', project_id: project.id, payload: {} });
    const b = await store.insert('jobs', { type: 'generate_clips', project_id: project.id, payload: {} });
    const watch = spawn(process.execPath, [BIN, 'jobs', 'watch', '--project', 'watched', '--exit-status', '--interval', '100', '--json'], { env: envFor(home.dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    watch.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    watch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => watch.on('close', (code) => resolve(code)));
    const seen = async (text: string) => {
      for (let i = 0; i < 200 && !stderr.includes(text); i++) await sleep(50);
      assert.ok(stderr.includes(text), `watch never printed "${text}": ${stderr}`);
    };
    await seen(`${b.id.slice(0, 8)} generate_clips pending 0%`);
    const ca = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: a.id }))!;
    const la = { id: a.id, workerId: 'w', attempt: ca.attempts };
    await store.updateJobProgress(la, 50);
    await seen(`${a.id.slice(0, 8)} generate_images running 50%`);
    await store.completeJob(la, {});
    await seen(`${a.id.slice(0, 8)} generate_images completed 100%`);
    const cb = (await store.claimJob({ workerId: 'w', leaseSeconds: 60, jobId: b.id }))!;
    await store.failJob({ id: b.id, workerId: 'w', attempt: cb.attempts }, 'clip model refused', { retry: false });
    const r = { code: await exited, stdout, stderr };
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${a.id.slice(0, 8)} generate_images running 50%`));
    assert.match(r.stderr, new RegExp(`${a.id.slice(0, 8)} generate_images completed 100%`));
    assert.match(r.stderr, /clip model refused/);
    // --json: one object per change as it happens (newline-delimited), then a summary
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; job?: Job; jobs?: Job[]; completed?: number; failed?: number });
    const changes = lines.filter((l) => l.event === 'job').map((l) => `${l.job!.id}:${l.job!.status}:${l.job!.progress}`);
    for (const expected of [`${a.id}:pending:0`, `${b.id}:pending:0`, `${a.id}:running:50`, `${a.id}:completed:100`, `${b.id}:failed:0`]) {
      assert.ok(changes.includes(expected), `no change line ${expected} in ${changes.join(' ')}`);
    }
    const summary = lines.at(-1)!;
    assert.equal(summary.event, 'summary');
    assert.equal(summary.completed, 1);
    assert.equal(summary.failed, 1);
    // both jobs may share a created_at millisecond: compare without relying on their order
    assert.deepEqual(new Map(summary.jobs!.map((j) => [j.id, j.status])), new Map([[a.id, 'completed'], [b.id, 'failed']]));
  });

  it('jobs list: an aligned table on a TTY, TSV without a header otherwise, an array with --json', async () => {
    const project = await store.insert('projects', { name: 'listed' });
    const done = await finished(store, 'completed', project.id);
    const failed = await finished(store, 'failed', project.id);
    const list = () => import('../../src/commands/jobs/list.ts');
    const opts = { project: 'listed', limit: '100' };

    const tty = fakeContext(home.dir, { tty: true });
    await runHandler(list(), tty.ctx, [], opts);
    const lines = tty.stdout.text.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+TYPE\s+STATUS\s+PROGRESS\s+ATTEMPTS\s+PROJECT/);
    assert.equal(lines.length, 3);
    assert.ok(!tty.stdout.text.includes('\t'));
    const statusAt = lines[0]!.indexOf('STATUS');
    assert.deepEqual(lines.slice(1).map((l) => l.slice(statusAt).split(/\s+/)[0]).sort(), ['completed', 'failed']);

    const pipe = fakeContext(home.dir, { tty: false });
    await runHandler(list(), pipe.ctx, [], opts);
    const rows = pipe.stdout.text.trimEnd().split('\n').map((l) => l.split('\t'));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r[0]).sort(), [done.id, failed.id].sort());
    for (const r of rows) assert.equal(r.length, 8);
    assert.ok(rows.every((r) => r[5] === project.id));

    const json = fakeContext(home.dir, { tty: true, json: true });
    await runHandler(list(), json.ctx, [], { ...opts, status: 'failed' });
    const parsed = JSON.parse(json.stdout.text) as Job[];
    assert.deepEqual(parsed.map((j) => [j.id, j.status, j.error]), [[failed.id, 'failed', 'boom']]);
  });

  it('jobs retry: failed or canceled only, optionally resetting attempts', async () => {
    const retry = () => import('../../src/commands/jobs/retry.ts');
    const failed = await finished(store, 'failed');
    const one = fakeContext(home.dir, { tty: false });
    await runHandler(retry(), one.ctx, [failed.id], { resetAttempts: true });
    assert.equal(one.stdout.text.trim(), failed.id);
    const row = await store.get('jobs', failed.id);
    assert.deepEqual([row?.status, row?.attempts, row?.error], ['pending', 0, null]);

    const done = await finished(store, 'completed');
    const two = fakeContext(home.dir, { tty: false });
    await assert.rejects(runHandler(retry(), two.ctx, [done.id]), (error: unknown) => {
      assert.ok(error instanceof OmveeError);
      assert.equal(error.code, 'conflict');
      assert.match(error.message, /is completed; only failed or canceled jobs can be retried/);
      assert.ok(error.hint);
      return true;
    });
    assert.equal((await store.get('jobs', done.id))?.status, 'completed');
  });

  it('jobs cancel: pending → canceled; finished jobs are refused with a hint', async () => {
    const cancel = () => import('../../src/commands/jobs/cancel.ts');
    const pending = await store.insert('jobs', { type: 'generate_clips', payload: {} });
    const c = fakeContext(home.dir, { tty: false, json: true });
    await runHandler(cancel(), c.ctx, [pending.id]);
    assert.equal((JSON.parse(c.stdout.text) as Job).status, 'canceled');
    assert.equal((await store.get('jobs', pending.id))?.status, 'canceled');
    const failed = await finished(store, 'failed');
    await assert.rejects(runHandler(cancel(), fakeContext(home.dir, { tty: false }).ctx, [failed.id]), /already failed/);
  });

  it('worker --once drains through the binary with JSON lines; SIGTERM stops an idle worker with exit 0', async () => {
    // a job without a project fails for good in the real handler: quick, and no provider needed
    const orphan = await store.insert('jobs', { type: 'generate_prompts', payload: {}, max_attempts: 1 });
    const r = await omvee(home.dir, ['worker', '--once', '--types', 'generate_prompts', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => e.event), ['start', 'finish', 'summary']);
    assert.equal(events[1]!.job_id, orphan.id);
    assert.equal(events[1]!.status, 'failed');
    assert.equal(events[2]!.failed, 1);
    assert.equal((await store.get('jobs', orphan.id))?.status, 'failed');

    const child = spawn(process.execPath, [BIN, 'worker', '--types', 'generate_prompts', '--grace', '1'], { env: envFor(home.dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 100 && !stderr.includes('lease'); i++) await sleep(50);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /stopping/);
    assert.match(stderr, /stopped: 0 completed/);
  });

  it('jobs watch on a terminal draws one bar per job and redraws in place', async () => {
    const project = await store.insert('projects', { name: 'bars' });
    const a = await finished(store, 'completed', project.id);
    const b = await store.insert('jobs', { type: 'generate_clips', project_id: project.id, payload: {} });
    const tty = fakeContext(home.dir, { tty: true });
    const watching = runHandler(import('../../src/commands/jobs/watch.ts'), tty.ctx, [], { project: 'bars', interval: '50' });
    await sleep(200);
    await store.cancelJob(b.id);
    await watching;
    const err = tty.stderr.text;
    assert.match(err, /\u001b\[2K/, 'clears lines to redraw them');
    assert.match(err, /\u001b\[1A/, 'moves the cursor back up over the previous frame');
    assert.match(err, new RegExp(`${b.id.slice(0, 8)} generate_clips\\s+░{20}\\s+0% pending`));
    assert.match(err, new RegExp(`${b.id.slice(0, 8)} generate_clips\\s+░{20}\\s+0% canceled`));
    assert.ok(!err.includes(a.id.slice(0, 8)), 'a job already finished before watching is not watched');
  });

  it('the worker takes over SIGINT/SIGTERM while it runs and gives them back', async () => {
    const { takeOverSignals } = await import('../../src/commands/worker/signals.ts');
    let previousCalls = 0;
    const previous = () => void (previousCalls += 1);
    process.on('SIGTERM', previous);
    try {
      const abort = new AbortController();
      let releases = 0;
      const restore = takeOverSignals(abort, () => void (releases += 1));
      process.emit('SIGTERM', 'SIGTERM');
      assert.equal(abort.signal.aborted, true);
      assert.equal(releases, 0);
      process.emit('SIGTERM', 'SIGTERM');
      assert.equal(releases, 1);
      assert.equal(previousCalls, 0, 'the entry handler (which would exit) is not called meanwhile');
      restore();
      process.emit('SIGTERM', 'SIGTERM');
      assert.equal(previousCalls, 1);
      assert.equal(releases, 1);
    } finally {
      process.off('SIGTERM', previous);
    }
  });
});
