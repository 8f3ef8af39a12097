/**
 * Runs ffmpeg / ffprobe as child processes with argument arrays (never a shell string),
 * reports progress from `-progress pipe:1`, keeps only the tail of stderr for error messages
 * and kills the child when the caller aborts.
 */
import { execFile, spawn } from 'node:child_process';
import { OmveeError } from '../core/errors.ts';

/** How much of stderr is kept (the end is where ffmpeg says what went wrong). */
const STDERR_TAIL_CHARS = 8_000;

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** frames the output will have; progress = frame / totalFrames */
  totalFrames?: number;
  /** seconds the output will last; used for progress when totalFrames is not given */
  durationS?: number;
  onProgress?: (fraction: number) => void;
  /** working directory (lets filter arguments name files without path escaping) */
  cwd?: string;
}

/** Keeps the last `max` characters of a growing text. */
export class TailBuffer {
  #text = '';
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.max * 2) this.#text = this.#text.slice(-this.max);
  }
  toString(): string {
    return this.#text.length > this.max ? this.#text.slice(-this.max) : this.#text;
  }
}

/** The last few meaningful stderr lines, for an error message. */
export function stderrSummary(stderr: string, lines = 6): string {
  const useful = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('frame=') && !l.startsWith('size='));
  return useful
    .slice(-lines)
    .map((l) => (l.length > 300 ? l.slice(0, 300) + '…' : l))
    .join('\n');
}

/**
 * Parses ffmpeg `-progress` key=value output and reports a fraction in [0, 1].
 * Returns a function to feed chunks of stdout to.
 */
export function progressParser(opts: Pick<RunFfmpegOptions, 'totalFrames' | 'durationS' | 'onProgress'>): (chunk: string) => void {
  let pending = '';
  let last = -1;
  const report = (fraction: number): void => {
    const f = Math.max(0, Math.min(1, fraction));
    if (f > last) {
      last = f;
      opts.onProgress?.(f);
    }
  };
  return (chunk: string) => {
    if (!opts.onProgress) return;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === 'frame' && opts.totalFrames && opts.totalFrames > 0) {
        const n = Number(value);
        if (Number.isFinite(n)) report(n / opts.totalFrames);
      } else if (key === 'out_time_us' && !opts.totalFrames && opts.durationS && opts.durationS > 0) {
        const us = Number(value);
        if (Number.isFinite(us)) report(us / 1e6 / opts.durationS);
      } else if (key === 'progress' && value === 'end') {
        report(1);
      }
    }
  };
}

/** Runs ffmpeg; resolves with the stderr tail, rejects with OmveeError('media' | 'aborted'). */
export function runFfmpeg(bin: string, args: string[], opts: RunFfmpegOptions = {}): Promise<{ stderr: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new OmveeError('aborted', 'ffmpeg was not started: the operation was cancelled'));
      return;
    }
    const fullArgs = ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:1', '-loglevel', 'error', ...args];
    const child = spawn(bin, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd, windowsHide: true });
    const tail = new TailBuffer(STDERR_TAIL_CHARS);
    const feed = progressParser(opts);
    let aborted = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => feed(c));
    child.stderr.on('data', (c: string) => tail.push(c));
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') {
        reject(new OmveeError('ffmpeg_missing', `ffmpeg could not be started: ${bin} not found`, {
          hint: 'Install ffmpeg (e.g. `apt-get install -y ffmpeg`) or set FFMPEG_PATH.',
          cause: err,
        }));
      } else {
        reject(new OmveeError('media', `ffmpeg could not be started: ${err.message}`, { cause: err }));
      }
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const stderr = tail.toString();
      if (aborted) {
        reject(new OmveeError('aborted', 'ffmpeg was stopped: the operation was cancelled'));
      } else if (code === 0) {
        resolve({ stderr });
      } else {
        const why = stderrSummary(stderr) || (sig ? `killed by ${sig}` : `exit code ${code}`);
        reject(new OmveeError('media', `ffmpeg failed: ${why}`, {
          hint: 'Run with --debug for the full ffmpeg command; check that the input files are valid media.',
          details: { exitCode: code, signal: sig, args: fullArgs },
        }));
      }
    });
  });
}

/** Runs ffprobe with JSON output and parses it. Rejects with OmveeError('media') and the stderr tail. */
export function runFfprobeJson(bin: string, args: string[], opts: { signal?: AbortSignal } = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      ['-v', 'error', '-print_format', 'json', ...args],
      { maxBuffer: 64 * 1024 * 1024, signal: opts.signal, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { code?: unknown };
          if (e.code === 'ENOENT') {
            reject(new OmveeError('ffmpeg_missing', `ffprobe could not be started: ${bin} not found`, {
              hint: 'Install ffmpeg (e.g. `apt-get install -y ffmpeg`) or set FFPROBE_PATH.',
              cause: err,
            }));
            return;
          }
          if (e.name === 'AbortError') {
            reject(new OmveeError('aborted', 'ffprobe was stopped: the operation was cancelled'));
            return;
          }
          reject(new OmveeError('media', `ffprobe failed: ${stderrSummary(String(stderr)) || err.message}`, { cause: err }));
          return;
        }
        try {
          resolve(JSON.parse(String(stdout)));
        } catch (parseErr) {
          reject(new OmveeError('media', 'ffprobe printed output that is not JSON', { cause: parseErr }));
        }
      },
    );
  });
}

/** `ffmpeg -version` / `ffprobe -version` first line, e.g. "ffmpeg version 5.1.6-0+deb12u1". */
export function binaryVersion(bin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, ['-version'], { windowsHide: true }, (err, stdout) => {
      if (err) {
        reject(new OmveeError('ffmpeg_missing', `${bin} -version failed: ${err.message}`, {
          hint: 'Install ffmpeg (e.g. `apt-get install -y ffmpeg`) or set FFMPEG_PATH / FFPROBE_PATH.',
          cause: err,
        }));
        return;
      }
      const first = String(stdout).split('\n')[0] ?? '';
      const m = /version\s+(\S+)/.exec(first);
      resolve(m?.[1] ?? first.trim());
    });
  });
}
