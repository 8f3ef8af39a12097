/**
 * The "floor": what ffmpeg alone needs to encode a song-long video from one still plus the song
 * (libx264 veryfast, AAC). The offline pipeline is judged against it (target ≤ 2x).
 * Run: node bench/floor.ts  (BENCH_SECONDS=180, BENCH_SIZE=1280x720, BENCH_FPS=30)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveBinaries } from '../src/media/binaries.ts';
import { createFfmpegMedia } from '../src/media/ffmpeg-media.ts';
import { synthesizeSong } from '../src/media/synth.ts';

const run = promisify(execFile);

export interface FloorInput {
  ffmpeg: string;
  stillPath: string;
  songPath: string;
  durationS: number;
  width: number;
  height: number;
  fps: number;
  outDir: string;
}

function floorArgs(i: FloorInput): string[] {
  return [
    '-v', 'error', '-y', '-loop', '1', '-framerate', String(i.fps), '-i', i.stillPath, '-i', i.songPath,
    '-t', String(i.durationS), '-vf', `scale=${i.width}:${i.height}`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-r', String(i.fps), '-c:a', 'aac', '-shortest', path.join(i.outDir, 'floor.mp4'),
  ];
}

/** Seconds taken by one plain encode: still looped for durationS + the song. */
export async function measureFloor(i: FloorInput): Promise<number> {
  const t = performance.now();
  await run(i.ffmpeg, floorArgs(i));
  return (performance.now() - t) / 1000;
}

/**
 * CPU seconds (user + system) of the same encode, measured by GNU time: a figure that other work
 * on a shared machine does not inflate the way it inflates wall-clock time. Null without /usr/bin/time.
 */
export async function measureFloorCpu(i: FloorInput): Promise<number | null> {
  try {
    const { stderr } = await run('/usr/bin/time', ['-f', 'cpu_s=%U+%S', i.ffmpeg, ...floorArgs(i)]);
    return cpuSeconds(stderr);
  } catch {
    return null;
  }
}

/** Reads "cpu_s=U+S" (GNU time) from a stderr text. */
export function cpuSeconds(stderr: string): number | null {
  const m = /cpu_s=([\d.]+)\+([\d.]+)/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) : null;
}

export function benchSettings(): { durationS: number; width: number; height: number; fps: number } {
  const [w, h] = (process.env['BENCH_SIZE'] ?? '1280x720').split('x').map(Number);
  return { durationS: Number(process.env['BENCH_SECONDS'] ?? 180), width: w ?? 1280, height: h ?? 720, fps: Number(process.env['BENCH_FPS'] ?? 30) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = benchSettings();
  const bins = await resolveBinaries(process.env);
  const media = createFfmpegMedia(bins);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-bench-floor-'));
  try {
    const song = path.join(dir, 'song.mp3');
    await synthesizeSong(bins.ffmpeg, song, s.durationS);
    const still = path.join(dir, 'still.png');
    await media.renderStill({ width: s.width, height: s.height, seed: 1, palette: ['#0b132b', '#3a506b', '#5bc0be', '#ffd166'], composition: 'horizon' }, still);
    const secs = await measureFloor({ ffmpeg: bins.ffmpeg, stillPath: still, songPath: song, outDir: dir, ...s });
    console.log(`floor: ${s.durationS} s of ${s.width}x${s.height}@${s.fps} from one still + song: ${secs.toFixed(2)} s (${((s.durationS * s.fps) / secs).toFixed(0)} fps)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
