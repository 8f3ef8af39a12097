/**
 * Decodes a song once with ffmpeg to mono 32-bit float PCM at a fixed analysis rate and streams
 * it as chunks, so the caller (the audio analyser) never holds the whole song: ffmpeg writes to a
 * pipe, the pipe applies back-pressure, and at most one chunk plus the pipe buffer is in memory.
 *
 *   for await (const chunk of decodePcm(ffmpeg, 'song.mp3', { signal })) analyser.push(chunk);
 *
 * Aborting the signal (or leaving the loop early) kills ffmpeg. A file ffmpeg cannot read, or one
 * without an audio stream, fails with OmveeError('media') carrying ffmpeg's own words.
 */
import { spawn } from 'node:child_process';
import { endianness } from 'node:os';
import { ANALYSIS_SAMPLE_RATE } from '../core/analysis/features.ts';
import { OmveeError } from '../core/errors.ts';
import { TailBuffer, stderrSummary } from './run.ts';

export interface DecodePcmOptions {
  /** output sample rate (Hz); default 22050, the analysis rate */
  sampleRate?: number;
  signal?: AbortSignal;
}

/** Arguments for ffmpeg: first audio stream → mono f32le at `sampleRate` on stdout. */
export function decodePcmArgs(file: string, sampleRate: number): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-i',
    file,
    '-map',
    '0:a:0',
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(sampleRate),
    '-c:a',
    'pcm_f32le',
    '-f',
    'f32le',
    'pipe:1',
  ];
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Converts little-endian float bytes (length a multiple of 4) to a fresh Float32Array. */
function toFloats(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Streams the song's samples (mono, −1..1) as Float32Array chunks. */
export async function* decodePcm(ffmpegBin: string, file: string, opts: DecodePcmOptions = {}): AsyncGenerator<Float32Array, void, undefined> {
  const sampleRate = opts.sampleRate ?? ANALYSIS_SAMPLE_RATE;
  if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 384000) {
    throw new OmveeError('invalid_input', `the PCM sample rate must be an integer 4000–384000 Hz (got ${sampleRate})`);
  }
  if (opts.signal?.aborted) throw new OmveeError('aborted', 'decoding was not started: the operation was cancelled');
  const child = spawn(ffmpegBin, decodePcmArgs(file, sampleRate), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const tail = new TailBuffer(8000);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => tail.push(c));
  let aborted = false;
  let spawnError: NodeJS.ErrnoException | null = null;
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, sig) => resolve({ code, sig }));
  });
  child.on('error', (err: NodeJS.ErrnoException) => {
    spawnError = err;
  });
  const onAbort = (): void => {
    aborted = true;
    child.kill('SIGKILL');
    child.stdout.destroy();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let carry: Buffer | null = null;
  let done = false;
  try {
    try {
      for await (const piece of child.stdout as AsyncIterable<Buffer>) {
        let bytes: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        carry = null;
        const usable = bytes.length - (bytes.length % 4);
        if (usable < bytes.length) {
          carry = Buffer.from(bytes.subarray(usable));
          bytes = bytes.subarray(0, usable);
        }
        if (bytes.length > 0) yield toFloats(bytes);
      }
    } catch (err) {
      if (!aborted) throw err;
    }
    const { code, sig } = await exited;
    if (aborted || opts.signal?.aborted) throw new OmveeError('aborted', 'decoding was stopped: the operation was cancelled');
    const startErr = spawnError as NodeJS.ErrnoException | null;
    if (startErr) {
      if (startErr.code === 'ENOENT') {
        throw new OmveeError('ffmpeg_missing', `ffmpeg could not be started: ${ffmpegBin} not found`, {
          hint: 'Install ffmpeg (e.g. `apt-get install -y ffmpeg`) or set FFMPEG_PATH.',
          cause: startErr,
        });
      }
      throw new OmveeError('media', `ffmpeg could not be started: ${startErr.message}`, { cause: startErr });
    }
    if (code !== 0) {
      const why = stderrSummary(tail.toString()) || (sig ? `killed by ${sig}` : `exit code ${code}`);
      throw new OmveeError('media', `the song could not be decoded: ${why}`, {
        hint: 'Check that the file is an audio file ffmpeg can read (e.g. `ffprobe song.mp3`); convert it to WAV or MP3 if not.',
        details: { exitCode: code, signal: sig },
      });
    }
    done = true;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!done && child.exitCode === null && child.signalCode === null) {
      // the consumer stopped early or an error was thrown: do not leave ffmpeg running
      child.kill('SIGKILL');
      child.stdout.destroy();
      await exited;
    }
  }
}
