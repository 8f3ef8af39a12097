/**
 * The offline clip maker: camera motion over the still (zoom or pan, varied per scene),
 * exactly the scene's frame count, already in the house format.
 */
import type { MediaTools, Motion, MotionKind } from '../../media/port.ts';
import type { CallContext, ClipGenerator, ClipInput, ClipResult } from '../ports.ts';

/** The moving kinds, in the order scenes without a stated motion cycle through them. */
const KINDS: readonly MotionKind[] = ['zoom_in', 'pan_right', 'zoom_out', 'pan_left', 'pan_up', 'pan_down'];

/** Read the motion out of a prompt ("slow zoom in", "pan left across…"); vary by scene otherwise. */
export function motionFromPrompt(prompt: string | null, sceneIndex: number, seed: number): Motion {
  const text = (prompt ?? '').toLowerCase();
  const strength = /\b(slow|gentle|subtle)\b/.test(text) ? 0.5 : /\b(fast|rapid|dramatic|push)\b/.test(text) ? 1 : 0.75;
  const found =
    /zoom(ing)? out|pull(ing)? (back|out)/.test(text) ? 'zoom_out'
    : /zoom(ing)? in|push(ing)? in|dolly in/.test(text) ? 'zoom_in'
    : /pan(ning)? left|track(ing)? left/.test(text) ? 'pan_left'
    : /pan(ning)? right|track(ing)? right/.test(text) ? 'pan_right'
    : /tilt(ing)? up|pan(ning)? up|rise|rising|crane up/.test(text) ? 'pan_up'
    : /tilt(ing)? down|pan(ning)? down|descend|crane down/.test(text) ? 'pan_down'
    : KINDS[(sceneIndex + (seed % 3)) % KINDS.length]!;
  return { kind: found, strength };
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
