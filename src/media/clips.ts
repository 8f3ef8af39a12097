/**
 * Clips in the "house format": H.264 (libx264 veryfast), yuv420p, the project's size, constant
 * frame rate, one timescale for every clip, no audio, exactly the requested number of frames.
 * Clips in this format join with the concat demuxer and `-c copy`, without re-encoding or drift.
 */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { finishFilters, prepareFinish } from './finish.ts';
import type { ClipFinish, ClipFormat, EncodeSpeed, Motion, ProgressFn } from './port.ts';
import { runFfmpeg } from './run.ts';

/** The mp4 timescale of every house clip: fps*512 for whole frame rates (so each frame is an exact tick count). */
export function houseTimescale(fps: number): number {
  return Number.isInteger(fps) ? fps * 512 : 90000;
}

export function validateFormat(format: ClipFormat, frameCount: number): void {
  const { width, height, fps } = format;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 || height % 2) {
    throw new OmveeError('invalid_input', `clip size ${width}x${height} is not supported: width and height must be even numbers between 16 and 7680x4320`);
  }
  if (!(fps > 0 && fps <= 120)) throw new OmveeError('invalid_input', `frame rate ${fps} is not supported (0 < fps ≤ 120)`);
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new OmveeError('invalid_input', `a clip needs a whole number of frames ≥ 1 (got ${frameCount})`);
}

/** Encoder and muxer arguments shared by every house-format clip. */
export function houseEncodeArgs(format: ClipFormat, frameCount: number, speed: EncodeSpeed = 'final'): string[] {
  return [
    '-frames:v', String(frameCount),
    '-r', String(format.fps),
    '-c:v', 'libx264',
    '-preset', speed === 'draft' ? 'ultrafast' : 'veryfast',
    // drafts are small and made two at a time: one encoder thread each wastes less CPU on threading
    ...(speed === 'draft' ? ['-threads', '1'] : []),
    '-pix_fmt', 'yuv420p',
    '-profile:v', 'high',
    '-bf', String(HOUSE_BFRAMES),
    '-video_track_timescale', String(houseTimescale(format.fps)),
    // the concat demuxer places each next clip at the previous one's *container* duration;
    // with the default 1/1000 movie timescale that is rounded up to the millisecond, which
    // drifts the joins by a fraction of a frame each time. Same timescale as the track: exact.
    '-movie_timescale', String(houseTimescale(format.fps)),
    '-an', '-sn', '-dn',
    '-map_metadata', '-1',
    '-f', 'mp4',
  ];
}

/** No B-frames: they make mp4 clips start at a negative dts, which complicates exact joins. */
const HOUSE_BFRAMES = 0;

const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);

/**
 * The filter chain for a still → moving clip. Work is done in yuv420p after a one-time scale
 * and `loop`, so each frame costs one cheap scale or crop:
 * - zoom: `scale` with eval=frame to an even size that grows/shrinks, then a centred exact crop
 *   (even sizes keep the centre fixed, so the picture does not wobble);
 * - pan: a crop window moving across a picture held at twice the output size, then a downscale,
 *   which gives half-pixel steps (smooth slow pans without integer judder).
 */
export function motionFilter(format: ClipFormat, frameCount: number, motion: Motion): string {
  const { width: W, height: H, fps } = format;
  const strength = Math.min(1, Math.max(0, Number.isFinite(motion.strength) ? motion.strength : 0.5));
  const p = progressExpression(frameCount, motion.pace);
  const hold = [
    `scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic`,
    `crop=${W}:${H}`,
    'setsar=1',
  ];
  const loop = [`loop=loop=${frameCount - 1}:size=1:start=0`, `setpts=N/(${fps}*TB)`];
  const kind = motion.kind;
  if (kind === 'zoom_in' || kind === 'zoom_out') {
    const s = 0.04 + 0.16 * strength; // 4 % … 20 % zoom over the clip
    const z = kind === 'zoom_in' ? `(1+${s.toFixed(4)}*${p})` : `(1+${s.toFixed(4)}*(1-${p}))`;
    return [
      ...hold,
      'format=yuv420p',
      ...loop,
      `scale=w='2*trunc(${W}*${z}/2+0.5)':h='2*trunc(${H}*${z}/2+0.5)':eval=frame:flags=bilinear`,
      `crop=${W}:${H}:exact=1`,
    ].join(',');
  }
  if (kind === 'pan_left' || kind === 'pan_right' || kind === 'pan_up' || kind === 'pan_down') {
    const s = 0.04 + 0.14 * strength; // travel as a fraction of the frame
    const BW = even(2 * W * (1 + s));
    const BH = even(2 * H * (1 + s));
    const fwd = p;
    const back = `(1-${p})`;
    const x = kind === 'pan_right' ? `(iw-ow)*${fwd}` : kind === 'pan_left' ? `(iw-ow)*${back}` : '(iw-ow)/2';
    const y = kind === 'pan_down' ? `(ih-oh)*${fwd}` : kind === 'pan_up' ? `(ih-oh)*${back}` : '(ih-oh)/2';
    return [
      `scale=${BW}:${BH}:force_original_aspect_ratio=increase:flags=bicubic`,
      `crop=${BW}:${BH}`,
      'setsar=1',
      'format=yuv420p',
      ...loop,
      `crop=${2 * W}:${2 * H}:x='${x}':y='${y}':exact=1`,
      `scale=${W}:${H}:flags=bilinear`,
    ].join(',');
  }
  // 'none' or an unknown kind: a still held for the clip
  return [...hold, 'format=yuv420p', ...loop].join(',');
}

/**
 * The camera's progress 0..1 at frame n as an ffmpeg expression: n/(N−1), or with a pace curve
 * (knots 0..1 at evenly spaced moments) the piecewise-linear curve through them, written as a sum
 * of clipped ramps: Σ (c[k+1] − c[k]) · clip(n·K/(N−1) − k, 0, 1).
 */
export function progressExpression(frameCount: number, pace?: readonly number[]): string {
  const span = Math.max(1, frameCount - 1);
  const knots = pace && pace.length >= 2 && pace.every((v) => Number.isFinite(v)) ? pace : null;
  if (!knots) return `(n/${span})`;
  const K = knots.length - 1;
  const terms: string[] = [];
  for (let k = 0; k < K; k++) {
    const d = Math.max(0, knots[k + 1]! - knots[k]!);
    if (d > 0) terms.push(`${d.toFixed(4)}*clip(n*${K}/${span}-${k},0,1)`);
  }
  const total = Math.max(0, knots[K]! - knots[0]!);
  return terms.length > 0 && total > 0 ? `((${terms.join('+')})/${total.toFixed(4)})` : `(n/${span})`;
}

async function encodeTo(ffmpeg: string, args: string[], outPath: string, frameCount: number, progress?: ProgressFn, cwd?: string): Promise<void> {
  const tmp = tempSibling(outPath);
  try {
    await runFfmpeg(ffmpeg, ['-y', ...args, tmp], {
      totalFrames: frameCount,
      ...(progress ? { onProgress: progress } : {}),
      ...(cwd ? { cwd } : {}),
    });
    await rename(tmp, outPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A temporary path next to the target, so the final rename is atomic on the same file system. */
export function tempSibling(outPath: string): string {
  const dir = path.dirname(path.resolve(outPath));
  return path.join(dir, `.${path.basename(outPath)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.partial`);
}

/** Runs an encode whose video filter chain may end with a finish (captions etc.) burned in. */
async function encodeFinished(ffmpeg: string, input: string[], chain: string, format: ClipFormat, frameCount: number, outPath: string, progress: ProgressFn | undefined, finish: ClipFinish | undefined, speed: EncodeSpeed): Promise<void> {
  const out = path.resolve(outPath);
  if (!finish) {
    await encodeTo(ffmpeg, [...input, '-vf', chain, ...houseEncodeArgs(format, frameCount, speed)], out, frameCount, progress);
    return;
  }
  const prepared = await prepareFinish(finish);
  try {
    const vf = [chain, ...finishFilters(format, finish)].join(',');
    await encodeTo(ffmpeg, [...input, '-vf', vf, ...houseEncodeArgs(format, frameCount, speed)], out, frameCount, progress, prepared.cwd);
  } finally {
    await prepared.cleanup();
  }
}

export async function makeMotionClip(ffmpeg: string, imagePath: string, format: ClipFormat, frameCount: number, motion: Motion, outPath: string, progress?: ProgressFn, finish?: ClipFinish, speed: EncodeSpeed = 'final'): Promise<void> {
  validateFormat(format, frameCount);
  const input = ['-f', 'image2', '-pattern_type', 'none', '-i', path.resolve(imagePath)];
  await encodeFinished(ffmpeg, input, motionFilter(format, frameCount, motion), format, frameCount, outPath, progress, finish, speed);
}

/**
 * Any clip → house format: frame rate converted, scaled to cover and centre-cropped, trimmed to
 * frameCount frames or, when short, the last frame held (tpad clone) until it has them.
 */
export async function normalizeToHouse(ffmpeg: string, inPath: string, format: ClipFormat, frameCount: number, outPath: string, progress?: ProgressFn, finish?: ClipFinish): Promise<void> {
  validateFormat(format, frameCount);
  const { width: W, height: H, fps } = format;
  const vf = [
    'setpts=PTS-STARTPTS',
    `fps=${fps}`,
    `scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic`,
    `crop=${W}:${H}`,
    'setsar=1',
    'format=yuv420p',
    'tpad=stop_mode=clone:stop=-1',
    // frames numbered from 0 at the house rate, as the finish expects
    `setpts=N/(${fps}*TB)`,
  ].join(',');
  await encodeFinished(ffmpeg, ['-i', path.resolve(inPath), '-map', '0:v:0'], vf, format, frameCount, outPath, progress, finish, 'final');
}
