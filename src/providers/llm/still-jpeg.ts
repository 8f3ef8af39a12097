/**
 * A still as a small JPEG data URL for a vision model.
 *
 * OpenAI looks at images at most 768 px on the short side / 2000 px on the long side in high
 * detail and 512×512 in low detail, and accepts up to 20 MB per image
 * (https://platform.openai.com/docs/guides/images-vision, "Image input requirements"). For a
 * motion prompt low detail is enough, so the still is scaled to fit 768×768 and encoded as
 * JPEG — tens of KB, far under every provider's limit; a result over MAX_BYTES is made again
 * smaller rather than sent.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OmveeError } from '../../core/errors.ts';
import { runFfmpeg } from '../../media/run.ts';

export const VISION_MAX_SIDE = 768;
/** never inline more than this (base64 adds a third) */
export const MAX_BYTES = 1_000_000;

export async function stillAsJpegDataUrl(ffmpeg: string, imagePath: string, signal?: AbortSignal): Promise<{ url: string; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'omvee-still-'));
  try {
    for (const [side, quality] of [[VISION_MAX_SIDE, 4], [512, 8], [384, 12]] as const) {
      const out = join(dir, `still-${side}.jpg`);
      const scale = `scale=w='min(${side},iw)':h='min(${side},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`;
      await runFfmpeg(ffmpeg, ['-v', 'error', '-y', '-i', imagePath, '-vf', scale, '-frames:v', '1', '-q:v', String(quality), out], signal ? { signal } : {});
      const bytes = await readFile(out);
      if (bytes.length <= MAX_BYTES) return { url: `data:image/jpeg;base64,${bytes.toString('base64')}`, bytes: bytes.length };
    }
    throw new OmveeError('internal', `the still ${imagePath} does not shrink under ${MAX_BYTES} bytes as JPEG`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
