/**
 * Input mapping per model family: each Replicate model takes different parameters.
 * Unknown models get a generic mapping (prompt, width/height, seed) that most accept.
 */
import { readFile } from 'node:fs/promises';
import { contentTypeFor } from '../../blobs/content-type.ts';
import type { ScenePrompt } from '../../core/model.ts';

const RATIOS_MINIMAX = ['1:1', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '21:9'];
const RATIOS_FLUX = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'];

/** The supported aspect ratio closest to width:height (compared in log space). */
export function nearestAspectRatio(width: number, height: number, allowed: readonly string[]): string {
  const target = Math.log(width / height);
  let best = allowed[0] ?? '1:1';
  let bestDist = Infinity;
  for (const r of allowed) {
    const [w, h] = r.split(':').map(Number) as [number, number];
    const d = Math.abs(Math.log(w / h) - target);
    if (d < bestDist) {
      bestDist = d;
      best = r;
    }
  }
  return best;
}


/** A local image as a data URL (Replicate accepts data URLs for file inputs). */
export async function fileToDataUrl(path: string): Promise<string> {
  const type = contentTypeFor(path);
  return `data:${type};base64,${(await readFile(path)).toString('base64')}`;
}

export type ImageFamily = 'minimax' | 'flux' | 'generic';
export function imageFamily(model: string): ImageFamily {
  if (model.startsWith('minimax/image')) return 'minimax';
  if (model.includes('flux')) return 'flux';
  return 'generic';
}

export function composeImagePrompt(prompt: Pick<ScenePrompt, 'image_prompt' | 'style_notes'>): string {
  return [prompt.image_prompt, prompt.style_notes].filter((s) => s && s.trim()).join('. ');
}

export interface ImageInputSpec {
  model: string;
  prompt: Pick<ScenePrompt, 'image_prompt' | 'style_notes' | 'negative_prompt'>;
  width: number;
  height: number;
  seed: number;
  /** a reference image (URL or data URL) of the featured artist */
  referenceImage?: string | undefined;
}

export function imageInput(spec: ImageInputSpec): Record<string, unknown> {
  const prompt = composeImagePrompt(spec.prompt);
  switch (imageFamily(spec.model)) {
    case 'minimax':
      return {
        prompt,
        aspect_ratio: nearestAspectRatio(spec.width, spec.height, RATIOS_MINIMAX),
        number_of_images: 1,
        prompt_optimizer: false,
        ...(spec.referenceImage ? { subject_reference: spec.referenceImage } : {}),
      };
    case 'flux':
      return {
        prompt,
        aspect_ratio: nearestAspectRatio(spec.width, spec.height, RATIOS_FLUX),
        seed: spec.seed,
        num_outputs: 1,
        output_format: 'png',
      };
    default:
      return {
        prompt,
        width: spec.width,
        height: spec.height,
        seed: spec.seed,
        ...(spec.prompt.negative_prompt ? { negative_prompt: spec.prompt.negative_prompt } : {}),
        ...(spec.referenceImage ? { image: spec.referenceImage } : {}),
      };
  }
}

/** What a video model accepts: allowed output durations (s), resolutions and its frame rate. */
export interface ClipModelLimits {
  durationsS: readonly number[];
  resolutions: readonly string[];
  fps: number;
}

export function clipModelLimits(model: string): ClipModelLimits {
  if (model.startsWith('bytedance/seedance')) return { durationsS: [5, 10], resolutions: ['480p', '720p', '1080p'], fps: 24 };
  return { durationsS: [5, 10], resolutions: [], fps: 24 };
}

export interface ClipInputSpec {
  model: string;
  prompt: string;
  image: string; // data URL or URL of the still
  durationS: number;
  resolution?: string | undefined;
  seed: number;
  width: number;
  height: number;
}

export function clipInput(spec: ClipInputSpec): Record<string, unknown> {
  if (spec.model.startsWith('bytedance/seedance')) {
    return {
      prompt: spec.prompt,
      image: spec.image,
      duration: spec.durationS,
      ...(spec.resolution ? { resolution: spec.resolution } : {}),
      fps: 24,
      seed: spec.seed,
      camera_fixed: false,
    };
  }
  return { prompt: spec.prompt, image: spec.image, duration: spec.durationS, seed: spec.seed };
}
