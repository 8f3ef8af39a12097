/**
 * The offline clip maker: camera motion over the still (zoom or pan, varied per scene),
 * exactly the scene's frame count, already in the house format.
 */
import type { MediaTools, Motion, MotionKind } from '../../media/port.ts';
import type { CallContext, ClipGenerator, ClipInput, ClipResult } from '../ports.ts';

/** The moving kinds, in the order scenes without a stated motion cycle through them. */
const KINDS: readonly MotionKind[] = ['zoom_in', 'pan_right', 'zoom_out', 'pan_left', 'pan_up', 'pan_down'];

const CAMERA_WORDS: readonly [RegExp, Exclude<MotionKind, 'none'>][] = [
  [/zoom(ing)? out|pull(ing)? (back|out)/, 'zoom_out'],
  [/zoom(ing)? in|push(ing|es)? in|dolly in/, 'zoom_in'],
  [/pan(ning)? left|track(ing)? left/, 'pan_left'],
  [/pan(ning)? right|track(ing)? right/, 'pan_right'],
  [/tilt(ing)? up|pan(ning)? up|\brise\b|\brising\b|crane up/, 'pan_up'],
  [/tilt(ing)? down|pan(ning)? down|\bdescend|crane down/, 'pan_down'],
];

/**
 * Read the motion out of a prompt ("slow zoom in", "pan left across…"); vary by scene
 * otherwise. The camera move and the pace named FIRST win, so a setting later in the text
 * ("…at sunrise", "a slow dance") does not override the move the prompt opens with.
 */
export function motionFromPrompt(prompt: string | null, sceneIndex: number, seed: number): Motion {
  const text = (prompt ?? '').toLowerCase();
  const pace = /\b(slow|slowly|gentle|gently|subtle|fast|rapid|rapidly|dramatic|push)\b/.exec(text)?.[1] ?? '';
  const strength = /^(slow|slowly|gentle|gently|subtle)$/.test(pace) ? 0.5 : pace ? 1 : 0.75;
  return { kind: cameraMoveOf(text) ?? KINDS[(sceneIndex + (seed % 3)) % KINDS.length]!, strength };
}

/** The camera move a motion text names first, or null. */
export function cameraMoveOf(prompt: string | null | undefined): Exclude<MotionKind, 'none'> | null {
  const text = (prompt ?? '').toLowerCase();
  let found: Exclude<MotionKind, 'none'> | null = null;
  let at = Number.POSITIVE_INFINITY;
  for (const [re, kind] of CAMERA_WORDS) {
    const m = re.exec(text);
    if (m && m.index < at) {
      at = m.index;
      found = kind;
    }
  }
  return found;
}

export function createLocalClipGenerator(media: MediaTools): ClipGenerator {
  return {
    name: 'local',
    model: 'omvee-local-motion-1',
    async generate(input: ClipInput, _ctx: CallContext): Promise<ClipResult> {
      const motion = motionFromPrompt(input.motionPrompt, input.scene.order_idx, input.seed);
      await media.motionClip(input.imagePath, { width: input.width, height: input.height, fps: input.fps }, input.frameCount, motion, input.outPath);
      return { path: input.outPath, model: 'omvee-local-motion-1', costUsd: 0, predictionId: null, normalized: true };
    },
  };
}
