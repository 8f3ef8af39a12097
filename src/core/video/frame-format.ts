/**
 * The frame of a video: aspect ratio × resolution (by the short side) → width × height, and the
 * frame rates omvee renders at. Pure; shared by project creation, every media step and the
 * caption layout (which needs the frame's shape for its title-safe area).
 *
 * Sizes are even (H.264 in yuv420p needs even dimensions) and rounded to the nearest even
 * number, so 16:9 720p is 1280×720, 9:16 720p is 720×1280, 4:5 1080p is 1080×1350.
 */
import { OmveeError } from '../errors.ts';

export const ASPECTS = ['16:9', '9:16', '1:1', '4:5'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const RESOLUTIONS = ['480p', '720p', '1080p'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const FRAME_RATES = [24, 25, 30] as const;
export type FrameRate = (typeof FRAME_RATES)[number];

export interface FrameSize {
  width: number;
  height: number;
}

export interface FrameFormat extends FrameSize {
  fps: number;
}

const RATIO: Record<Aspect, readonly [number, number]> = {
  '16:9': [16, 9],
  '9:16': [9, 16],
  '1:1': [1, 1],
  '4:5': [4, 5],
};

const SHORT_SIDE: Record<Resolution, number> = { '480p': 480, '720p': 720, '1080p': 1080 };

export function isAspect(value: string): value is Aspect {
  return (ASPECTS as readonly string[]).includes(value);
}

export function isResolution(value: string): value is Resolution {
  return (RESOLUTIONS as readonly string[]).includes(value);
}

const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);

/** Width × height for an aspect and a short side in pixels (any short side ≥ 16; even sizes). */
export function frameSizeForShortSide(aspect: Aspect, shortSide: number): FrameSize {
  if (!Number.isFinite(shortSide) || shortSide < 16) throw new OmveeError('invalid_input', `a frame's short side must be at least 16 pixels (got ${shortSide})`);
  const [aw, ah] = RATIO[aspect];
  const s = even(shortSide);
  return aw >= ah ? { width: even((s * aw) / ah), height: s } : { width: s, height: even((s * ah) / aw) };
}

/** 16:9 720p → 1280×720; 9:16 720p → 720×1280; 1:1 1080p → 1080×1080; 4:5 1080p → 1080×1350. */
export function frameSize(aspect: Aspect, resolution: Resolution): FrameSize {
  return frameSizeForShortSide(aspect, SHORT_SIDE[resolution]);
}

/** Parses user input for an aspect ("16:9", "9x16", "1/1", "vertical", "square"), or throws a usage error. */
export function parseAspect(value: string): Aspect {
  const v = value.trim().toLowerCase().replace(/[x/]/g, ':');
  const named: Record<string, Aspect> = { landscape: '16:9', widescreen: '16:9', vertical: '9:16', portrait: '9:16', square: '1:1' };
  const found = named[v] ?? v;
  if (isAspect(found)) return found;
  throw new OmveeError('usage', `unknown aspect ratio "${value}"`, { hint: `Use one of: ${ASPECTS.join(', ')} (9:16 for Shorts, Reels and TikTok).` });
}

/** Parses "720p", "720", "1080P" into a resolution, or throws a usage error. */
export function parseResolution(value: string): Resolution {
  const v = value.trim().toLowerCase();
  const found = /^\d+$/.test(v) ? `${v}p` : v;
  if (isResolution(found)) return found;
  throw new OmveeError('usage', `unknown resolution "${value}"`, { hint: `Use one of: ${RESOLUTIONS.join(', ')} (the short side of the frame).` });
}

/** Parses a frame rate (24, 25 or 30), or throws a usage error. */
export function parseFrameRate(value: string | number): FrameRate {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if ((FRAME_RATES as readonly number[]).includes(n)) return n as FrameRate;
  throw new OmveeError('usage', `unsupported frame rate "${String(value)}"`, { hint: `Use one of: ${FRAME_RATES.join(', ')}.` });
}

/** The named aspect nearest to a width × height (by log ratio), e.g. 1920×1080 → 16:9, 1080×1920 → 9:16. */
export function nearestAspect(size: FrameSize): Aspect {
  const r = Math.log(size.width / size.height);
  let best: Aspect = '16:9';
  let bestD = Infinity;
  for (const a of ASPECTS) {
    const [aw, ah] = RATIO[a];
    const d = Math.abs(Math.log(aw / ah) - r);
    if (d < bestD) {
      best = a;
      bestD = d;
    }
  }
  return best;
}

/** The resolution name of a size when it is one of ours exactly (short side 480/720/1080), else null. */
export function resolutionOf(size: FrameSize): Resolution | null {
  const short = Math.min(size.width, size.height);
  const found = RESOLUTIONS.find((r) => SHORT_SIDE[r] === short);
  return found ?? null;
}

/**
 * The same shape at another short side, e.g. the project's frame at 360p for a preview. Never
 * larger than the frame itself.
 */
export function scaledFrame(size: FrameSize, shortSide: number): FrameSize {
  const short = Math.min(size.width, size.height);
  if (short <= shortSide) return { width: size.width, height: size.height };
  const k = shortSide / short;
  return { width: even(size.width * k), height: even(size.height * k) };
}
