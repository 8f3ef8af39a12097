/**
 * The offline image generator: a procedural still per scene — the prompt's palette, a
 * composition chosen from the prompt, the scene's lyric typeset — deterministic for a seed.
 */
import { createHash } from 'node:crypto';
import { COMPOSITIONS, type Composition, type MediaTools } from '../../media/port.ts';
import type { CallContext, ImageGenerator, ImageInput, ImageResult } from '../ports.ts';

const FALLBACK_PALETTE = ['#1b1f3a', '#53354a', '#a64942', '#ff7844', '#f4d35e'];

function pickComposition(text: string, seed: number): Composition {
  const lower = text.toLowerCase();
  if (/\b(sea|ocean|water|river|rain|wave|tide)\b/.test(lower)) return 'waves';
  if (/\b(city|street|neon|building|grid|window)\b/.test(lower)) return 'grid';
  if (/\b(sun|moon|star|light|eye|circle|orb)\b/.test(lower)) return 'circles';
  if (/\b(road|highway|train|speed|run|stripe)\b/.test(lower)) return 'stripes';
  if (/\b(field|desert|horizon|sky|mountain|dawn|dusk)\b/.test(lower)) return 'horizon';
  const digest = createHash('sha256').update(`${text}:${seed}`).digest();
  return COMPOSITIONS[digest[0]! % COMPOSITIONS.length]!;
}

export function createLocalImageGenerator(media: MediaTools): ImageGenerator {
  return {
    name: 'local',
    model: 'omvee-local-still-1',
    async generate(input: ImageInput, _ctx: CallContext): Promise<ImageResult> {
      const palette = input.prompt.color_palette && input.prompt.color_palette.length >= 2 ? input.prompt.color_palette : FALLBACK_PALETTE;
      const composition = pickComposition(`${input.prompt.setting ?? ''} ${input.prompt.image_prompt}`, input.seed);
      await media.renderStill(
        {
          width: input.width,
          height: input.height,
          seed: input.seed,
          palette,
          composition,
          title: input.scene.title ?? '',
          lyric: input.scene.lyric_excerpt ?? '',
        },
        input.outPath,
      );
      return { path: input.outPath, contentType: 'image/png', model: 'omvee-local-still-1', seed: input.seed, costUsd: 0, predictionId: null };
    },
  };
}
