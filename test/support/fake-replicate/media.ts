/**
 * Small real media for the fake provider servers: a PNG built by hand (zlib) and an MP4 and
 * audio made with the system ffmpeg.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';

const run = promisify(execFile);

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid RGB PNG of the given size filled with one colour. */
export function makePng(width = 16, height = 9, rgb: [number, number, number] = [200, 80, 40]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid RGB PNG of random pixels (it does not compress: 1280×720 is about 2.7 MB). */
export function makeNoisePng(width: number, height: number, seed = 1): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  let x = seed >>> 0 || 1;
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let i = 0; i < raw.length; i++) {
    if (i % (1 + width * 3) === 0) continue; // filter byte 0
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    raw[i] = x & 0xff;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A tiny real H.264 MP4 (64×36, 24 fps) of the given length, made with ffmpeg in dir. */
export async function makeMp4(dir: string, seconds = 1): Promise<Buffer> {
  const out = join(dir, `fixture-${seconds}s.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=navy:s=64x36:r=24`, '-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', out]);
  return readFile(out);
}

/** A spoken-free test song: a sine tone as WAV (large) of the given length, made with ffmpeg. */
export async function makeToneWav(dir: string, seconds: number): Promise<string> {
  const out = join(dir, `tone-${seconds}s.wav`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`, '-ac', '2', out]);
  return out;
}

const videoCache = new Map<string, Promise<Buffer>>();

/**
 * A real H.264 MP4 of exactly `frames` frames at `fps` and width×height, made with ffmpeg in
 * dir (a moving test pattern, so frames differ); cached per size and length.
 */
export function makeVideo(dir: string, spec: { width: number; height: number; fps: number; frames: number }): Promise<Buffer> {
  const key = `${spec.width}x${spec.height}@${spec.fps}x${spec.frames}`;
  let made = videoCache.get(key);
  if (!made) {
    made = (async () => {
      const out = join(dir, `video-${key}.mp4`);
      await run('ffmpeg', [
        '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${spec.width}x${spec.height}:r=${spec.fps}`,
        '-frames:v', String(spec.frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', out,
      ]);
      return readFile(out);
    })();
    videoCache.set(key, made);
    made.catch(() => videoCache.delete(key));
  }
  return made;
}
