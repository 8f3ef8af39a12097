/**
 * The title-safe area of a frame: where captions may be drawn so that no edge, overscan or
 * platform overlay cuts them.
 *
 * - 16:9, 1:1 and 4:5: the title-safe area of SMPTE ST 2046-1 (90 % of the width and the height,
 *   centred), the rectangle broadcast graphics keep text inside.
 * - 9:16: vertical video is watched in apps that draw their own buttons and captions over it (a
 *   column of buttons on the right, the account name and description at the bottom, a header at
 *   the top), so omvee keeps text further in: 8 % from the left, 14 % from the right, 12 % from the
 *   top and 24 % from the bottom. This is omvee's own margin, chosen to clear those overlays.
 */
import { nearestAspect, type Aspect, type FrameSize } from '../video/frame-format.ts';

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const MARGINS: Record<Aspect, { left: number; right: number; top: number; bottom: number }> = {
  '16:9': { left: 0.05, right: 0.05, top: 0.05, bottom: 0.05 },
  '1:1': { left: 0.05, right: 0.05, top: 0.05, bottom: 0.05 },
  '4:5': { left: 0.05, right: 0.05, top: 0.05, bottom: 0.05 },
  '9:16': { left: 0.08, right: 0.14, top: 0.12, bottom: 0.24 },
};

/** The safe rectangle in pixels (whole pixels, inside the frame). */
export function titleSafeArea(size: FrameSize): Rect {
  const m = MARGINS[nearestAspect(size)];
  return {
    left: Math.ceil(size.width * m.left),
    right: Math.floor(size.width * (1 - m.right)),
    top: Math.ceil(size.height * m.top),
    bottom: Math.floor(size.height * (1 - m.bottom)),
  };
}

export function rectInside(inner: Rect, outer: Rect): boolean {
  return inner.left >= outer.left && inner.top >= outer.top && inner.right <= outer.right && inner.bottom <= outer.bottom;
}
