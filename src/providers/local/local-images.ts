/**
 * The offline image generator: a procedural background per scene — no text in it (captions are
 * drawn over the moving picture) — deterministic for a seed. The palette and composition family
 * come from the scene's look when it shares one with other scenes (a chorus keeps its look when
 * it returns), else from the prompt; a new take turns to another composition family.
 */
import { createHash } from 'node:crypto';
import { COMPOSITIONS, type Composition, type MediaTools } from '../../media/port.ts';
import type { CallContext, ImageGenerator, ImageInput, ImageResult } from '../ports.ts';

const FALLBACK_PALETTE = ['#1b1f3a', '#53354a', '#a64942', '#ff7844', '#f4d35e'];

const byte = (text: string): number => createHash('sha256').update(text).digest()[0]!;

/** The composition family for a scene: its look's, else one the prompt suggests, else a seeded one; later takes rotate. */
export function pickComposition(text: string, seed: number, take = 1, lookKey?: string | null, lookIndex?: number): Composition {
  const lower = text.toLowerCase();
  let base: Composition;
  // looks in their order of appearance take families 3 apart (coprime with 10): the first ten differ
  if (lookKey && lookIndex !== undefined) base = COMPOSITIONS[(Math.max(0, Math.floor(lookIndex)) * 3) % COMPOSITIONS.length]!;
  else if (lookKey) base = COMPOSITIONS[byte(`look:${lookKey}`) % COMPOSITIONS.length]!;
  else if (/\b(sea|ocean|water|river|rain|wave|tide)\b/.test(lower)) base = 'waves';
  else if (/\b(city|street|neon|building|grid|window)\b/.test(lower)) base = 'grid';
  else if (/\b(moon|orb|eye|circle|halo)\b/.test(lower)) base = 'rings';
  else if (/\b(sun|sunrise|sunset|rays|shine)\b/.test(lower)) base = 'rays';
  else if (/\b(star|stars|lights|glow|bokeh|night)\b/.test(lower)) base = 'bokeh';
  else if (/\b(mountain|hill|peak|valley|canyon)\b/.test(lower)) base = 'ridges';
  else if (/\b(aurora|northern|dream|sky)\b/.test(lower)) base = 'aurora';
  else if (/\b(road|highway|train|speed|run|stripe)\b/.test(lower)) base = 'stripes';
  else if (/\b(field|desert|horizon|dawn|dusk)\b/.test(lower)) base = 'horizon';
  else base = COMPOSITIONS[byte(`${text}:${seed}`) % COMPOSITIONS.length]!;
  const turn = Math.max(0, Math.floor(take) - 1) * 3; // 3 is coprime with the 10 families: every take differs
  return COMPOSITIONS[(COMPOSITIONS.indexOf(base) + turn) % COMPOSITIONS.length]!;
}

export function createLocalImageGenerator(media: MediaTools): ImageGenerator {
  return {
    name: 'local',
    model: 'omvee-local-still-1',
    async generate(input: ImageInput, _ctx: CallContext): Promise<ImageResult> {
      const own = input.prompt.color_palette && input.prompt.color_palette.length >= 2 ? input.prompt.color_palette : FALLBACK_PALETTE;
      const palette = input.look?.palette && input.look.palette.length >= 2 ? input.look.palette : own;
      const composition = pickComposition(`${input.prompt.setting ?? ''} ${input.prompt.image_prompt}`, input.seed, input.take, input.look?.key, input.look?.index);
      await media.renderStill({ width: input.width, height: input.height, seed: input.seed, palette, composition }, input.outPath);
      return { path: input.outPath, contentType: 'image/png', model: 'omvee-local-still-1', seed: input.seed, costUsd: 0, predictionId: null };
    },
  };
}
