/**
 * Helpers for the end-to-end tests: they run the *built* binary (bin/omvee → dist/) as a subprocess,
 * the way a user or a CI script does, each test in a sandbox of its own (fresh OMVEE_HOME,
 * XDG_CONFIG_HOME, HOME and working directory, CI=true, no provider keys inherited from the
 * developer's shell), and make small media files with the real ffmpeg.
 *
 * Run `npm run build` first: the binary loads dist/src/cli/entry.js.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'omvee');

if (!existsSync(path.join(REPO, 'dist', 'src', 'cli', 'entry.js'))) {
  throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment variables (added to the sandbox's; `undefined` removes one). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; the test then fails on the exit code. */
  timeoutMs?: number;
  input?: string;
}

/** A running omvee child with its output so far, for kill/resume tests. */
export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<RunResult>;
  /** Resolves once stderr matches `re` (rejects if the process ends first). */
  waitFor: (re: RegExp) => Promise<void>;
}

/** Only what omvee and ffmpeg need: no provider keys, no user config, no colours forced. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', CI: 'true' };
  for (const key of ['LANG', 'LC_ALL', 'TZ', 'FFMPEG_PATH', 'FFPROBE_PATH']) {
    const v = process.env[key];
    if (v !== undefined) env[key] = v;
  }
  return env;
}

/**
 * Starts `bin/omvee ...args` without waiting for it: the launcher itself (its shell part picks
 * the Node and execs it), the way a user or CI starts it; `child.pid` is omvee's own pid.
 */
export function start(args: string[], env: Record<string, string>, opts: RunOptions = {}): Running {
  const fullEnv: Record<string, string> = { ...env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete fullEnv[k];
    else fullEnv[k] = v;
  }
  const child = spawn(BIN, args, {
    cwd: opts.cwd,
    env: fullEnv,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ re: RegExp; resolve: () => void; reject: (e: Error) => void }> = [];
  const check = () => {
    for (const w of [...watchers]) {
      if (w.re.test(stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    check();
  });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of watchers.splice(0)) w.reject(new Error(`process ended before stderr matched ${w.re}\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor: (re) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(stderr)) return resolve();
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`process already ended; stderr:\n${stderr}`));
        watchers.push({ re, resolve, reject });
      }),
  };
}

export interface Sandbox {
  /** The temp folder holding everything below. */
  dir: string;
  /** OMVEE_HOME: database and project-files/. */
  home: string;
  /** XDG_CONFIG_HOME (omvee reads $XDG_CONFIG_HOME/omvee/config.json). */
  xdg: string;
  /** Working directory of the child (a `.env` here is read). */
  cwd: string;
  env: Record<string, string>;
  /** Runs omvee to completion. */
  run: (args: string[], opts?: RunOptions) => Promise<RunResult>;
  /** Runs omvee, asserts exit 0, and parses stdout as JSON (`--json` is added). */
  json: <T = any>(args: string[], opts?: RunOptions) => Promise<T>;
  start: (args: string[], opts?: RunOptions) => Running;
  /** A path inside the sandbox (for inputs and outputs). */
  file: (name: string) => string;
}

type TestLike = { after: (fn: () => Promise<void> | void) => void };

/** A fresh home/config/cwd for one test (or one file, with `before`/`after`), removed afterwards. */
export async function sandbox(t?: TestLike): Promise<Sandbox & { cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'omvee-e2e-'));
  const home = path.join(dir, 'home');
  const xdg = path.join(dir, 'xdg');
  const cwd = path.join(dir, 'cwd');
  await Promise.all([mkdir(home), mkdir(xdg), mkdir(cwd)]);
  const env = { ...baseEnv(), HOME: dir, OMVEE_HOME: home, XDG_CONFIG_HOME: xdg, TMPDIR: dir };
  const sb: Sandbox & { cleanup: () => Promise<void> } = {
    dir,
    home,
    xdg,
    cwd,
    env,
    start: (args, opts = {}) => start(args, env, { cwd, ...opts }),
    run: (args, opts = {}) => start(args, env, { cwd, ...opts }).done,
    json: async (args, opts = {}) => {
      const r = await start([...args, '--json'], env, { cwd, ...opts }).done;
      if (r.code !== 0) throw new Error(`omvee ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
      try {
        return JSON.parse(r.stdout);
      } catch {
        throw new Error(`omvee ${args.join(' ')} --json printed no JSON:\n${r.stdout}`);
      }
    },
    file: (name) => path.join(dir, name),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  t?.after(sb.cleanup);
  return sb;
}

// ---------------------------------------------------------------------------------------------
// Media

export async function ffmpeg(...args: string[]): Promise<void> {
  await execFileP('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args]);
}

/** A small stereo WAV: a chord of sines lasting `seconds`. */
export async function makeSong(file: string, seconds: number): Promise<string> {
  await ffmpeg(
    '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}`,
    '-filter_complex', '[0:a][1:a]amerge=inputs=2[a]', '-map', '[a]', '-ar', '44100', file,
  );
  return file;
}

/** A short video with no audio track. */
export async function makeSilentVideo(file: string): Promise<string> {
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=duration=2:size=160x120:rate=10', '-an', '-pix_fmt', 'yuv420p', file);
  return file;
}

/** A PNG picture saved under whatever name is given (e.g. `cover.wav`). */
export async function makePicture(file: string): Promise<string> {
  const png = `${file}.tmp.png`;
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:size=64x64', '-frames:v', '1', png);
  await rename(png, file);
  return file;
}

/** Deterministic pseudo-random bytes (no media header), e.g. a fake .mp3. */
export async function makeNoise(file: string, size = 8192): Promise<string> {
  const buf = Buffer.alloc(size);
  let x = 0x2545f491;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  buf[0] = 0x00; // make sure it is not text
  await writeFile(file, buf);
  return file;
}

export interface Probe {
  width?: number;
  height?: number;
  videoFrames: number;
  videoDuration: number;
  audioDuration: number;
  hasVideo: boolean;
  hasAudio: boolean;
  fps: number;
}

/** ffprobe with counted frames (not the container's claim). */
export async function probe(file: string): Promise<Probe> {
  const { stdout } = await execFileP('ffprobe', [
    '-v', 'error', '-count_frames',
    '-show_entries', 'stream=codec_type,width,height,nb_read_frames,duration,r_frame_rate',
    '-of', 'json', file,
  ]);
  const streams = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams;
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  const [num, den] = String(v?.r_frame_rate ?? '0/1').split('/').map(Number);
  return {
    width: v ? Number(v.width) : undefined,
    height: v ? Number(v.height) : undefined,
    videoFrames: Number(v?.nb_read_frames ?? 0),
    videoDuration: Number(v?.duration ?? 0),
    audioDuration: Number(a?.duration ?? 0),
    hasVideo: Boolean(v),
    hasAudio: Boolean(a),
    fps: den ? num! / den : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Assertions helpers

/** True when text contains a JavaScript stack frame line. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+/m.test(text);
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[/;

/** Every file under `dir` (relative path → size), for before/after comparisons. */
export async function fileTree(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  async function walk(d: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[path.relative(dir, p)] = (await stat(p)).size;
    }
  }
  await walk(dir);
  return out;
}

/** Extracts the first UUID in a text. */
export function firstUuid(text: string): string | undefined {
  return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(text)?.[0];
}

/**
 * Every row of the embedded store, read directly (read-only) from OMVEE_HOME/omvee.db:
 * table → rows keyed by id (or by rowid for tables without one). Used to prove that a failed
 * command changed nothing. Reads only; the binary stays the only writer.
 */
export async function storeRows(home: string): Promise<Record<string, Record<string, unknown>>> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(path.join(home, 'omvee.db'), { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    const out: Record<string, Record<string, unknown>> = {};
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT rowid AS _rowid, * FROM "${name}"`).all() as Array<Record<string, unknown>>;
      out[name] = Object.fromEntries(rows.map((r) => [String(r.id ?? r._rowid), { ...r }]));
    }
    return out;
  } finally {
    db.close();
  }
}

/** Every file under `dir` with a content hash (relative path → sha256). */
export async function fileHashes(dir: string): Promise<Record<string, string>> {
  const { createHash } = await import('node:crypto');
  const { readFile } = await import('node:fs/promises');
  const sizes = await fileTree(dir);
  const out: Record<string, string> = {};
  for (const rel of Object.keys(sizes).sort()) {
    out[rel] = createHash('sha256').update(await readFile(path.join(dir, rel))).digest('hex');
  }
  return out;
}
