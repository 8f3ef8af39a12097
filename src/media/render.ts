/**
 * The final cut: house-format clips joined with the concat demuxer (stream copy: the video is
 * never re-encoded here; captions were burned into each clip when it was made), the song muxed as
 * AAC and cut/padded to exactly the video's length. Written to a temporary file and renamed on
 * success.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OmveeError } from '../core/errors.ts';
import { tempSibling } from './clips.ts';
import type { ProgressFn, RenderSpec } from './port.ts';
import { runFfmpeg } from './run.ts';

/** A concat-demuxer list: `file '<path>'`, with single quotes escaped the way the demuxer reads them. */
export function concatList(paths: readonly string[]): string {
  return paths.map((p) => `file '${path.resolve(p).replace(/'/g, "'\\''")}'`).join('\n') + '\n';
}

export async function renderFinal(ffmpeg: string, spec: RenderSpec, progress?: ProgressFn, signal?: AbortSignal): Promise<void> {
  if (spec.clipPaths.length === 0) throw new OmveeError('invalid_input', 'nothing to render: no clips were given', { hint: 'Generate and approve clips first.' });
  if (!Number.isInteger(spec.totalFrames) || spec.totalFrames < 1) throw new OmveeError('invalid_input', `totalFrames must be a whole number ≥ 1 (got ${spec.totalFrames})`);
  if (!(spec.fps > 0)) throw new OmveeError('invalid_input', `fps must be > 0 (got ${spec.fps})`);
  const durationS = spec.totalFrames / spec.fps;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-render-'));
  const out = path.resolve(spec.outPath);
  const tmp = tempSibling(out);
  try {
    await writeFile(path.join(dir, 'clips.txt'), concatList(spec.clipPaths), 'utf8');
    const video = ['-c:v', 'copy'];
    const args = [
      '-y',
      '-f', 'concat', '-safe', '0', '-i', 'clips.txt',
      '-i', path.resolve(spec.audioPath),
      '-map', '0:v:0', '-map', '1:a:0',
      ...video,
      // no -frames:v here: in ffmpeg ≤ 6 reaching one stream's frame limit closes the whole
      // output, cutting the (interleaved, lagging) audio short; -t cuts both streams exactly
      // pad short audio with silence, then cut everything at the video's exact length
      '-af', 'apad',
      '-c:a', 'aac', '-b:a', '192k',
      '-t', durationS.toFixed(6),
      '-movflags', '+faststart',
      '-map_metadata', '-1',
      '-f', 'mp4',
      tmp,
    ];
    await runFfmpeg(ffmpeg, args, {
      cwd: dir, // the list is named relatively
      totalFrames: spec.totalFrames,
      ...(signal ? { signal } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
