/**
 * Band levels and waveform of a song per video frame, for the audio-reactive layer: ffmpeg decodes
 * the first audio stream to mono 32-bit float PCM on a pipe (back-pressure keeps memory flat) and
 * the LevelMeter of src/core/video/visualizer.ts measures it chunk by chunk.
 */
import { spawn } from 'node:child_process';
import { endianness } from 'node:os';
import { OmveeError } from '../core/errors.ts';
import { LevelMeter, type AudioLevels } from '../core/video/visualizer.ts';
import { TailBuffer, stderrSummary } from './run.ts';

/** 22.05 kHz: the bands reach 7 kHz, under its Nyquist frequency. */
export const LEVELS_SAMPLE_RATE = 22050;

export function audioLevelsOf(ffmpeg: string, audioPath: string, fps: number, signal?: AbortSignal): Promise<AudioLevels> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new OmveeError('aborted', 'the audio was not read: the operation was cancelled'));
      return;
    }
    const meter = new LevelMeter({ sampleRate: LEVELS_SAMPLE_RATE, fps, bands: 20, wavePoints: 48 });
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', audioPath, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(LEVELS_SAMPLE_RATE), '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'];
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const tail = new TailBuffer(4000);
    let carry = Buffer.alloc(0);
    const little = endianness() === 'LE';
    child.stdout.on('data', (chunk: Buffer) => {
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 4);
      carry = Buffer.from(bytes.subarray(whole));
      const floats = new Float32Array(whole / 4);
      if (little) new Uint8Array(floats.buffer).set(bytes.subarray(0, whole));
      else for (let i = 0; i < floats.length; i++) floats[i] = bytes.readFloatLE(i * 4);
      meter.push(floats);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => tail.push(c));
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new OmveeError('ffmpeg_missing', `ffmpeg could not be started: ${err.message}`, { hint: 'Install ffmpeg or set FFMPEG_PATH.', cause: err }));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(new OmveeError('aborted', 'reading the audio was stopped: the operation was cancelled'));
      else if (code !== 0) reject(new OmveeError('media', `ffmpeg could not decode ${audioPath}: ${stderrSummary(tail.toString()) || `exit code ${code}`}`));
      else resolve(meter.result());
    });
  });
}
