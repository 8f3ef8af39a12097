/**
 * Signals through the real binary (bin/omvee, started the way a shell starts it):
 *  (a) the launcher where `node` is an older Node: the pid it starts IS omvee on Node 24 (one
 *      process), so `kill -9` and SIGTERM of that pid leave no omvee behind (read from /proc)
 *      and nothing blocks `run --project`; an old Node running the file itself gets a clear error;
 *  (b) Ctrl-C (the byte 0x03 typed into a real pseudo-terminal, via util-linux `script`, with
 *      the spinner showing) stops `run` and `render` with 130 and the resume hint; closing the
 *      terminal (SIGHUP from the kernel) stops and records too;
 *  (c) SIGTERM → 143 during the final render and SIGHUP → 129 during the clips: the stop is
 *      recorded, nothing half-written is kept (no final video, no temp files, no rows pointing at
 *      missing files), and `run --project` finishes without duplicates;
 *  (d) the `--out` of the interrupted run is remembered: the resume delivers there without it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { BIN, fileTree, firstUuid, hasStackTrace, makeSong, probe, sandbox, storeRows, type RunResult, type Sandbox } from './helpers.ts';
import { olderNode, type OldNode } from './old-node.ts';

const FPS = 30;
const SONG_S = 10;
const ARGS = ['--scene-min', '2', '--scene-max', '3'];
const LINUX = process.platform === 'linux';

async function prepare(sb: Sandbox): Promise<{ song: string; lrc: string }> {
  const song = await makeSong(sb.file('song.wav'), SONG_S);
  const lrc = sb.file('song.lrc');
  await writeFile(lrc, '[00:00.50]one\n[00:02.60]two\n[00:04.70]three\n[00:06.80]four\n[00:08.90]five\n');
  return { song, lrc };
}

// ---------------------------------------------------------------------------------------------
// /proc: which processes exist, their parents and programs

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  exe: string;
  cmdline: string[];
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // a zombie or a process of another user
    }
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, ppid: Number(ppid), state: state!, exe, cmdline };
  } catch {
    return undefined;
  }
}

function allProcesses(): Proc[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined);
}

function descendants(pid: number): Proc[] {
  const all = allProcesses();
  const out: Proc[] = [];
  const walk = (parent: number) => {
    for (const p of all) {
      if (p.ppid === parent) {
        out.push(p);
        walk(p.pid);
      }
    }
  };
  walk(pid);
  return out;
}

const living = (p: Proc): boolean => {
  const now = readProc(p.pid);
  return now !== undefined && now.state !== 'Z' && now.cmdline.join(' ') === p.cmdline.join(' ');
};
const isNode = (p: Proc): boolean => /(^|\/)node$/.test(p.exe) || /(^|\/)node$/.test(p.cmdline[0] ?? '');
const describeProc = (p: Proc): string => `${p.pid} (${p.exe || '?'}): ${p.cmdline.join(' ')}`;

/** Every process that mentions this sandbox (omvee's arguments, ffmpeg's files), but not this test. */
function sandboxProcesses(sb: Sandbox): Proc[] {
  return allProcesses().filter((p) => p.pid !== process.pid && p.state !== 'Z' && p.cmdline.some((a) => a.includes(sb.dir)));
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * After the process the test killed has ended: nothing of it may be left. Its node processes
 * (an omvee child of a launcher) must be gone at once; an ffmpeg it had started may finish the
 * few frames it was given, so it gets a moment.
 */
async function assertNothingSurvives(sb: Sandbox, tree: Proc[]): Promise<void> {
  const nodes = tree.filter((p) => isNode(p) && living(p));
  assert.deepEqual(nodes.map(describeProc), [], 'an omvee process survived the signal');
  const gone = await until(() => sandboxProcesses(sb).length === 0, 20_000);
  assert.ok(gone, `processes of the stopped run are still running:\n${sandboxProcesses(sb).map(describeProc).join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// What an interrupted run must leave behind

interface Row {
  [key: string]: unknown;
}

/** The stop is recorded and nothing half-written is kept. Returns the interrupted job. */
async function assertCleanStop(sb: Sandbox, id: string, stepType: string): Promise<Row> {
  const rows = await storeRows(sb.home);
  const jobs = Object.values(rows.jobs ?? {}) as Row[];
  const stopped = jobs.filter((j) => j.type === stepType && j.project_id === id);
  assert.equal(stopped.length, 1, `one ${stepType} job: ${JSON.stringify(stopped)}`);
  assert.equal(stopped[0]!.status, 'canceled', `the interrupted ${stepType} job is recorded as stopped: ${JSON.stringify(stopped[0])}`);
  assert.match(String(stopped[0]!.error), /interrupted/);
  assert.deepEqual(jobs.filter((j) => j.status === 'running' || j.status === 'pending').map((j) => j.type), [], 'no job is left running or queued');

  const finals = Object.values(rows.final_videos ?? {}) as Row[];
  assert.deepEqual(finals.filter((f) => f.status === 'completed').map((f) => f.video_path), [], 'no final video recorded as completed');
  const project = rows.projects?.[id] as Row;
  assert.notEqual(project.status, 'rendered');

  const files = path.join(sb.home, 'project-files');
  const tree = Object.keys(await fileTree(files));
  assert.deepEqual(tree.filter((f) => /\.omvee-tmp-|\.tmp$|\.part$/.test(f)), [], 'no temp files left in storage');
  assert.deepEqual(tree.filter((f) => f.includes('/final/')), [], 'no final video file left in storage');
  const scratch = Object.keys(await fileTree(path.join(sb.home, 'work', 'tmp')));
  assert.deepEqual(scratch, [], 'no scratch files left');
  for (const [table, key] of [['generated_images', 'image_path'], ['video_clips', 'clip_path']] as const) {
    for (const r of Object.values(rows[table] ?? {}) as Row[]) {
      if (r.status !== 'completed') continue;
      assert.ok(r[key] && existsSync(path.join(files, String(r[key]))), `completed ${table} ${String(r.id)} points at a missing file`);
    }
  }
  return stopped[0]!;
}

/** `run --project` finishes: one completed image and clip per scene, a full-length video. */
async function assertResumes(sb: Sandbox, id: string, extra: string[] = [], cwd?: string): Promise<Record<string, unknown>> {
  const r = await sb.run(['run', '--project', id, '--json', ...extra], { timeoutMs: 120_000, ...(cwd ? { cwd } : {}) });
  assert.doesNotMatch(r.stderr, /another omvee is already running/, 'the stopped run does not block the resume');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!hasStackTrace(r.stderr));
  const summary = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(summary.project_id, id);
  assert.equal(summary.resumed, true);
  assert.equal(summary.frame_count, SONG_S * FPS);
  const scenes = await sb.json(['scenes', 'list', id]);
  for (const kind of ['images', 'clips']) {
    const rows = await sb.json([kind, 'list', id]);
    for (const s of scenes) {
      const done = rows.filter((x: any) => x.scene_id === s.id && x.status === 'completed');
      assert.equal(done.length, 1, `scene ${s.order_idx + 1}: ${done.length} completed ${kind}`);
    }
  }
  assert.equal((await sb.json(['project', 'list'])).length, 1, 'resuming created no second project');
  return summary;
}

// ---------------------------------------------------------------------------------------------
// (a) the launcher where `node` is an older Node

describe('launcher started where node is an older Node', { skip: !LINUX && 'reads /proc (Linux only)' }, () => {
  let old: OldNode | string;
  before(async () => {
    old = await olderNode();
  });

  /** A sandbox whose PATH finds the older Node first (as on this machine, whose node is v20). */
  async function oldNodeSandbox(t: Parameters<typeof sandbox>[0]): Promise<Sandbox | undefined> {
    if (typeof old === 'string') return undefined;
    const sb = await sandbox(t);
    const shim = path.join(sb.dir, 'old-node-bin');
    await mkdir(shim);
    await symlink(old.bin, path.join(shim, 'node'));
    sb.env.PATH = `${shim}${path.delimiter}${sb.env.PATH}`;
    const seen = spawnSync('sh', ['-c', 'node -p process.versions.node'], { env: sb.env, encoding: 'utf8' });
    assert.equal(seen.stdout.trim(), old.version, 'node on the PATH of the test is the older one');
    return sb;
  }

  /** Start a run and wait until it works on `stage`; returns it with its process tree. */
  async function startRun(sb: Sandbox, stage: RegExp, extra: string[] = []) {
    const { song, lrc } = await prepare(sb);
    const running = sb.start(['run', song, '--lyrics', lrc, ...ARGS, ...extra], { timeoutMs: 90_000 });
    await running.waitFor(stage);
    const pid = running.child.pid!;
    const self = readProc(pid);
    assert.ok(self, 'the started process exists');
    const tree = [self, ...descendants(pid)];
    // one process: the pid the shell got is omvee itself, on Node 24, with no node child
    assert.ok(isNode(self) && self.cmdline.includes(BIN) && self.cmdline.includes('run'), `pid ${pid} is omvee itself: ${describeProc(self)}`);
    const major = Number(spawnSync(self.exe, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0]);
    assert.ok(major >= 24, `omvee runs on Node ${major} (${self.exe})`);
    assert.deepEqual(tree.slice(1).filter(isNode).map(describeProc), [], 'no second node process');
    return { running, pid, tree };
  }

  test('an older Node running bin/omvee itself: a clear error, exit 1, no child started', async (t) => {
    const sb = await oldNodeSandbox(t);
    if (!sb) return t.skip(String(old));
    const o = old as OldNode;
    const direct = spawnSync(o.bin, [BIN, '--version'], { env: sb.env, encoding: 'utf8' });
    assert.equal(direct.status, 1);
    assert.match(direct.stderr, new RegExp(`^error: omvee needs Node.js 24 or newer \\(this is v${o.version.replace(/\./g, '\\.')}`));
    assert.match(direct.stderr, /^hint: start it as `.*bin\/omvee …`/m);
    assert.equal(direct.stdout, '', 'nothing ran (no Node 24 child printed the version)');
    assert.ok(!hasStackTrace(direct.stderr));

    const chosen = spawnSync(BIN, ['--version'], { env: { ...sb.env, OMVEE_NODE: o.bin }, encoding: 'utf8' });
    assert.equal(chosen.status, 1);
    assert.match(chosen.stderr, /needs Node.js 24 or newer[^]*hint: OMVEE_NODE names this Node/);

    const missing = spawnSync(BIN, ['--version'], { env: { ...sb.env, OMVEE_NODE: path.join(sb.dir, 'nope') }, encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: OMVEE_NODE is not a program: .*nope\nhint: /);

    // the launcher itself picks Node 24; opening the store (node:sqlite) prints no ExperimentalWarning
    const launched = spawnSync(BIN, ['project', 'list', '--json'], { env: sb.env, encoding: 'utf8' });
    assert.equal(launched.status, 0, launched.stderr);
    assert.equal(launched.stdout, '[]\n');
    assert.equal(launched.stderr, '', 'nothing on stderr');
    assert.ok(existsSync(path.join(sb.home, 'omvee.db')), 'the store was opened');
  });

  test('kill -9 of the pid the launcher got: no omvee survives, and run --project is not blocked', async (t) => {
    const sb = await oldNodeSandbox(t);
    if (!sb) return t.skip(String(old));
    const { running, tree } = await startRun(sb, /images 1\/\d+/);
    running.child.kill('SIGKILL');
    const killed = await running.done;
    assert.equal(killed.signal, 'SIGKILL', `the run ended by itself (code ${killed.code})`);
    await assertNothingSurvives(sb, tree);
    const id = firstUuid(killed.stderr);
    assert.ok(id, killed.stderr);
    // at once, well inside the killed job's lease: the holder is known dead, so no waiting
    await assertResumes(sb, id);
  });

  test('SIGTERM of the pid the launcher got: omvee stops, records, exits 143; nothing survives; it resumes', async (t) => {
    const sb = await oldNodeSandbox(t);
    if (!sb) return t.skip(String(old));
    const { running, tree } = await startRun(sb, /images 1\/\d+/);
    running.child.kill('SIGTERM');
    const stopped = await running.done;
    assert.equal(stopped.code, 143, `exit ${stopped.code} / ${stopped.signal}\n${stopped.stderr}`);
    await assertNothingSurvives(sb, tree);
    const id = firstUuid(stopped.stderr);
    assert.ok(id);
    assert.match(stopped.stderr, new RegExp(`^hint: finished work is kept; resume with: omvee run --project ${id}$`, 'm'));
    await assertCleanStop(sb, id, 'generate_images');
    await assertResumes(sb, id);
  });
});

// ---------------------------------------------------------------------------------------------
// (b) a real terminal: the spinner shows, Ctrl-C is typed

const HAVE_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\u001b\[39m /;

const shellQuote = (args: string[]): string => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

interface PtyRun {
  pid: number;
  output: () => string;
  waitFor: (re: RegExp) => Promise<void>;
  type: (text: string) => void;
  kill: (signal: NodeJS.Signals) => void;
  done: Promise<RunResult>;
}

/**
 * omvee in a pseudo-terminal of 100x30 (util-linux `script`: what it reads on stdin is typed
 * into the terminal; the terminal's output comes out on its stdout). Not CI, a colour TERM: the
 * spinner shows. `script -e` exits with omvee's exit code.
 */
function startInPty(sb: Sandbox, args: string[]): PtyRun {
  const env: Record<string, string> = { ...sb.env, TERM: 'xterm-256color' };
  delete env.CI;
  const child = spawn('script', ['-qfec', `stty cols 100 rows 30 && exec ${shellQuote([BIN, ...args])}`, '/dev/null'], {
    cwd: sb.cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const watchers: Array<{ re: RegExp; resolve: () => void; reject: (e: Error) => void }> = [];
  const onData = (d: string) => {
    out += d;
    for (const w of [...watchers]) if (w.re.test(out)) watchers.splice(watchers.indexOf(w), 1) && w.resolve();
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<RunResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of watchers.splice(0)) w.reject(new Error(`the terminal closed before it showed ${w.re}\n${out}`));
      resolve({ code, signal, stdout: out, stderr: out });
    }),
  );
  return {
    pid: child.pid!,
    output: () => out,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        if (re.test(out)) return resolve();
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`the terminal already closed:\n${out}`));
        watchers.push({ re, resolve, reject });
      }),
    type: (text) => child.stdin!.write(text),
    kill: (signal) => child.kill(signal),
    done,
  };
}

describe('Ctrl-C in a real terminal while the spinner shows', { skip: !HAVE_SCRIPT && 'needs util-linux `script` for a pseudo-terminal' }, () => {
  test('run: Ctrl-C exits 130 with the resume hint, the stop is recorded, run --project finishes', async (t) => {
    const sb = await sandbox(t);
    const { song, lrc } = await prepare(sb);
    const pty = startInPty(sb, ['run', song, '--lyrics', lrc, ...ARGS]);
    await pty.waitFor(new RegExp(`${SPINNER.source}images \\d+/\\d+`));
    pty.type('\u0003');
    const r = await pty.done;
    assert.equal(r.code, 130, `exit ${r.code}\n${r.stdout.slice(-2000)}`);
    const id = firstUuid(r.stdout);
    assert.ok(id);
    assert.match(r.stdout, /error: interrupted/);
    assert.match(r.stdout, new RegExp(`hint: finished work is kept; resume with: omvee run --project ${id}`));
    assert.ok(!hasStackTrace(r.stdout), r.stdout);
    assert.doesNotMatch(r.stdout, /✔ \d+ images/, 'stopped before the images were done');
    await assertCleanStop(sb, id, 'generate_images');
    await assertResumes(sb, id);
  });

  test('render: Ctrl-C exits 130 with the resume hint, and keeps no half-rendered video', async (t) => {
    const sb = await sandbox(t);
    const { song, lrc } = await prepare(sb);
    const first = await sb.run(['run', song, '--lyrics', lrc, ...ARGS, '--json'], { timeoutMs: 90_000 });
    assert.equal(first.code, 0, first.stderr);
    const { project_id: id, final_video_id: finalId } = JSON.parse(first.stdout);
    const out = path.join(sb.cwd, 'render.mp4');

    // --force: nothing changed since the run's cut, which render would otherwise only copy
    const pty = startInPty(sb, ['render', id, '--yes', '--force', '--out', out]);
    await pty.waitFor(new RegExp(`${SPINNER.source}rendering \\d+%`));
    pty.type('\u0003');
    const r = await pty.done;
    assert.equal(r.code, 130, `exit ${r.code}\n${r.stdout.slice(-2000)}`);
    assert.match(r.stdout, /error: interrupted\r?\nhint: finished work is kept; run the command again/);
    assert.ok(!hasStackTrace(r.stdout), r.stdout);
    assert.ok(!existsSync(out), 'nothing delivered to --out');
    assert.deepEqual(readdirSync(sb.cwd).filter((f) => f.includes('.tmp')), [], 'no temp file next to --out');
    const rows = await storeRows(sb.home);
    const finals = Object.values(rows.final_videos ?? {}) as Row[];
    assert.deepEqual(finals.filter((f) => f.status === 'completed').map((f) => f.id), [finalId], 'only the first video is completed');
    const renders = (Object.values(rows.jobs ?? {}) as Row[]).filter((j) => j.type === 'assemble_video');
    assert.deepEqual(renders.map((j) => j.status).sort(), ['canceled', 'completed'], 'the interrupted render is recorded as stopped');
    const files = Object.keys(await fileTree(path.join(sb.home, 'project-files')));
    assert.deepEqual(files.filter((f) => /\.omvee-tmp-/.test(f)), [], 'no temp files left in storage');
    assert.equal(files.filter((f) => f.includes('/final/')).length, 1, 'only the first final video file');

    const again = await sb.run(['render', id, '--yes', '--out', out, '--json'], { timeoutMs: 90_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await probe(out)).videoFrames, SONG_S * FPS);
  });

  test('closing the terminal (SIGHUP from the kernel) stops run and records it', { skip: !LINUX && 'reads /proc (Linux only)' }, async (t) => {
    const sb = await sandbox(t);
    const { song, lrc } = await prepare(sb);
    const pty = startInPty(sb, ['run', song, '--lyrics', lrc, ...ARGS]);
    await pty.waitFor(new RegExp(`${SPINNER.source}clips \\d+/\\d+`));
    const omvee = descendants(pty.pid).find((p) => isNode(p) && p.cmdline.includes(BIN));
    assert.ok(omvee, 'omvee runs in the terminal');
    const id = firstUuid(pty.output());
    assert.ok(id);
    // the terminal's other end goes away: the kernel hangs up omvee's terminal
    pty.kill('SIGKILL');
    await pty.done;
    assert.ok(await until(() => !living(omvee), 30_000), 'omvee stopped after the hang-up');
    await assertNothingSurvives(sb, [omvee]);
    await assertCleanStop(sb, id, 'generate_clips');
    await assertResumes(sb, id);
  });
});

// ---------------------------------------------------------------------------------------------
// (c) SIGTERM and SIGHUP on run; (d) --out remembered

test('SIGTERM during the final render: exit 143, no half video kept, and the resume delivers to the remembered --out', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  await mkdir(path.join(sb.cwd, 'videos'));
  const running = sb.start(['run', song, '--lyrics', lrc, ...ARGS, '--out', 'videos/clip.mp4'], { timeoutMs: 90_000 });
  await running.waitFor(/rendering \d+%/);
  running.child.kill('SIGTERM');
  const stopped = await running.done;
  assert.equal(stopped.code, 143, `exit ${stopped.code} / ${stopped.signal}\n${stopped.stderr}`);
  assert.ok(!hasStackTrace(stopped.stderr), stopped.stderr);
  const id = firstUuid(stopped.stderr);
  assert.ok(id);
  const out = path.join(sb.cwd, 'videos', 'clip.mp4');
  assert.match(stopped.stderr, new RegExp(`^hint: finished work is kept; resume with: omvee run --project ${id} \\(it delivers to ${out.replace(/[.]/g, '\\.')}\\)$`, 'm'));
  assert.ok(!existsSync(out), 'nothing delivered yet');
  assert.deepEqual(readdirSync(path.dirname(out)), [], 'no temp file next to --out');
  await assertCleanStop(sb, id, 'assemble_video');

  // resumed from another folder, without --out: the video goes where the first run was told
  const elsewhere = path.join(sb.dir, 'elsewhere');
  await mkdir(elsewhere);
  const summary = await assertResumes(sb, id, [], elsewhere);
  assert.equal(summary.output, out);
  const p = await probe(out);
  assert.ok(p.hasVideo && p.hasAudio);
  assert.equal(p.videoFrames, SONG_S * FPS);
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing written where the resume ran');
  assert.ok(!existsSync(path.join(sb.home, 'resume', `${id}.json`)), 'forgotten once delivered');
});

test('SIGHUP during the clips: exit 129, the stop recorded, nothing half-written, run --project finishes', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  const running = sb.start(['run', song, '--lyrics', lrc, ...ARGS], { timeoutMs: 90_000 });
  await running.waitFor(/clips 1\/\d+/);
  running.child.kill('SIGHUP');
  const stopped = await running.done;
  assert.equal(stopped.code, 129, `exit ${stopped.code} / ${stopped.signal}\n${stopped.stderr}`);
  assert.ok(!hasStackTrace(stopped.stderr), stopped.stderr);
  const id = firstUuid(stopped.stderr);
  assert.ok(id);
  assert.match(stopped.stderr, /^error: interrupted$/m);
  await assertCleanStop(sb, id, 'generate_clips');
  const clipsBefore = (await sb.json(['clips', 'list', id])).filter((c: any) => c.status === 'completed').length;
  const scenes = (await sb.json(['scenes', 'list', id])).length;
  assert.ok(clipsBefore < scenes, 'stopped before all clips were done');
  await assertResumes(sb, id);
});

test('--json errors carry the exit code of the signal', async (t) => {
  const sb = await sandbox(t);
  const { song, lrc } = await prepare(sb);
  const running = sb.start(['run', song, '--lyrics', lrc, ...ARGS, '--json'], { timeoutMs: 90_000 });
  await running.waitFor(/images 1\/\d+/);
  running.child.kill('SIGTERM');
  const stopped = await running.done;
  assert.equal(stopped.code, 143);
  const line = stopped.stderr.trim().split('\n').pop()!;
  const { error } = JSON.parse(line);
  assert.equal(error.code, 'interrupted');
  assert.equal(error.exitCode, 143);
});
