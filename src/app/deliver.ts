/** Copy a stored final video to where the person asked (--out), atomically. */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Services } from './services.ts';
import { materialize } from '../core/pipeline/deps.ts';
import { OmveeError } from '../core/errors.ts';

/** --out must name a video file omvee writes (MP4 container): checked before any work starts. */
export function checkOutPath(out: string): string {
  if (!/\.(mp4|mov|m4v)$/i.test(out)) throw new OmveeError('usage', `--out must name an .mp4 file (got ${out})`);
  return out;
}

export async function deliver(services: Services, key: string, out: string, cwd: string): Promise<string> {
  const target = resolve(cwd, checkOutPath(out));
  const source = await materialize(services, key);
  await mkdir(dirname(target), { recursive: true }).catch((error: Error) => {
    throw new OmveeError('invalid_input', `cannot create the folder for ${target}: ${error.message}`);
  });
  const tmp = `${target}.omvee-${process.pid}.tmp`;
  try {
    await copyFile(source, tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new OmveeError('invalid_input', `cannot write ${target}: ${(error as Error).message}`, { hint: 'check the path and that the folder is writable' });
  }
  return target;
}
