/**
 * The offline clip maker: camera motion over the still (zoom or pan, varied per scene and take,
 * its speed following the music when the analysis is known), exactly the scene's frame count,
 * already in the house format, with the clip's finish (captions, beat flashes, visualizer) burned
 * in the same encode.
 */
import { LOCAL_MOTION_MODEL, chooseMotion } from '../../core/video/motion.ts';
import type { MediaTools, Motion } from '../../media/port.ts';
import type { CallContext, ClipGenerator, ClipInput, ClipResult } from '../ports.ts';

export const LOCAL_CLIP_MODEL = LOCAL_MOTION_MODEL;

/** Read the motion out of a prompt ("slow zoom in", "pan left across…"); vary by scene otherwise. */
export function motionFromPrompt(prompt: string | null, sceneIndex: number, seed: number, take = 1): Motion {
  return chooseMotion({ prompt, sceneIndex, seed, take });
}

export function createLocalClipGenerator(media: MediaTools): ClipGenerator {
  return {
    name: 'local',
    model: LOCAL_CLIP_MODEL,
    async generate(input: ClipInput, ctx: CallContext): Promise<ClipResult> {
      const motion = chooseMotion({ prompt: input.motionPrompt, sceneIndex: input.scene.order_idx, seed: input.seed, take: input.take, energy: input.music?.energy ?? null, pace: input.music?.pace ?? null });
      await media.motionClip(input.imagePath, { width: input.width, height: input.height, fps: input.fps }, input.frameCount, motion, input.outPath, ctx.progress, input.finish);
      return { path: input.outPath, model: LOCAL_CLIP_MODEL, costUsd: 0, predictionId: null, normalized: true };
    },
  };
}
