/**
 * Frame math of the final cut. A scene's frames are the difference of the frame boundaries of
 * its end and start, so when scenes share their boundary times the frame counts add up exactly
 * to the song's frames: no drift, however many scenes.
 */
export interface TimeSpan {
  start_time_s: number;
  end_time_s: number;
}

/** The frame index nearest to time t. */
export function frameBoundary(t: number, fps: number): number {
  return Math.round(t * fps);
}

export function totalFrames(durationS: number, fps: number): number {
  return frameBoundary(durationS, fps);
}

/** Frames of each scene: boundary(end) − boundary(start). */
export function sceneFrameCounts(scenes: readonly TimeSpan[], fps: number): number[] {
  return scenes.map((s) => frameBoundary(s.end_time_s, fps) - frameBoundary(s.start_time_s, fps));
}
