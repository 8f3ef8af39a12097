/**
 * Getting a local still (or an artist's photo) to Replicate as a file input.
 *
 * Replicate accepts a URL or a data URL for file inputs and recommends inlining only files under
 * 1 MB; the replicate SDK refuses inline inputs over 10 MB in total. So:
 *   - a file of at most `maxInlineBytes` (1 MB) is sent inline as a data URL;
 *   - a larger one is uploaded with Replicate's Files API (`POST /v1/files`, the SDK's
 *     `files.create`, whose answer's `urls.get` is then the input) — once per file per generator;
 *   - when the upload is not possible (the API refuses it), the image is re-encoded smaller
 *     (JPEG, downscaled) until it is under the limit, then inlined.
 * A data URL over the limit is never sent.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { contentTypeFor } from '../../blobs/content-type.ts';
import { OmveeError } from '../../core/errors.ts';
import { toProviderError } from '../http/errors.ts';
import { REPLICATE_SERVICE, type Replicate } from './client.ts';

const run = promisify(execFile);

export const MAX_INLINE_BYTES = 1024 * 1024;

/** Re-encode an image into at most maxBytes (JPEG); injectable for tests. */
export type ShrinkImage = (path: string, maxBytes: number) => Promise<Buffer>;

export interface FileInputOptions {
  /** the largest file sent inline as a data URL (default 1 MB) */
  maxInlineBytes?: number | undefined;
  /** 'auto' (default): inline when small, else upload; 'inline': never upload (shrink instead) */
  upload?: 'auto' | 'inline' | undefined;
  shrink?: ShrinkImage | undefined;
  log?: ((message: string) => void) | undefined;
}

export interface FileInputs {
  /** the value to put in a file input for this local file; notes go to log */
  forPath(path: string, signal?: AbortSignal, log?: (message: string) => void): Promise<string>;
}

export function dataUrl(bytes: Buffer, type: string): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

/** ffmpeg: scale the long side down step by step and lower JPEG quality until it fits. */
export const shrinkWithFfmpeg: ShrinkImage = async (path, maxBytes) => {
  for (const [long, q] of [[2048, 3], [1600, 4], [1280, 5], [1024, 6], [768, 8], [512, 10]] as const) {
    const { stdout } = await run(
      'ffmpeg',
      ['-v', 'error', '-i', path, '-frames:v', '1', '-vf', `scale='if(gt(iw,ih),min(${long},iw),-2)':'if(gt(iw,ih),-2,min(${long},ih))'`, '-q:v', String(q), '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    if (stdout.length <= maxBytes) return stdout;
  }
  throw new OmveeError('media', `cannot make ${path} smaller than ${Math.round(maxBytes / 1024)} KB to send it inline`, {
    hint: 'Use a smaller image, or let omvee upload it (Replicate Files API).',
  });
};

function isPermanentUploadRefusal(error: OmveeError): boolean {
  const status = error.details?.['status'];
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
}

export function createFileInputs(client: () => Promise<Replicate>, opts: FileInputOptions = {}): FileInputs {
  const maxInline = opts.maxInlineBytes ?? MAX_INLINE_BYTES;
  const shrink = opts.shrink ?? shrinkWithFfmpeg;
  const uploaded = new Map<string, Promise<string>>(); // sha256 → file URL

  async function inlineSmaller(path: string, bytes: Buffer, log: ((message: string) => void) | undefined): Promise<string> {
    const small = await shrink(path, maxInline);
    if (small.length > maxInline) throw new OmveeError('internal', `the shrunk image is still ${small.length} bytes`);
    log?.(`${path}: ${Math.round(bytes.length / 1024)} KB re-encoded to ${Math.round(small.length / 1024)} KB to send inline`);
    return dataUrl(small, 'image/jpeg');
  }

  return {
    async forPath(path, signal, ctxLog) {
      const log = ctxLog ?? opts.log;
      const bytes = await readFile(path);
      const type = contentTypeFor(path);
      if (bytes.length <= maxInline) return dataUrl(bytes, type);
      if (opts.upload === 'inline') return inlineSmaller(path, bytes, log);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      let url = uploaded.get(sha256);
      if (!url) {
        url = (async () => {
          const replicate = await client();
          const file = await replicate.files.create(new Blob([new Uint8Array(bytes)], { type }), { omvee_sha256: sha256 }, { signal });
          if (!file?.urls?.get) throw new OmveeError('provider', 'Replicate stored the file but returned no URL for it');
          return file.urls.get;
        })();
        uploaded.set(sha256, url);
        url.catch(() => uploaded.delete(sha256));
      }
      try {
        return await url;
      } catch (error) {
        const e = toProviderError(error, REPLICATE_SERVICE);
        if (!isPermanentUploadRefusal(e)) throw e;
        log?.(`Replicate refused the upload of ${path} (${e.message}); sending a smaller copy inline`);
        return inlineSmaller(path, bytes, log);
      }
    },
  };
}
