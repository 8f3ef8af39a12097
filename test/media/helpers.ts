/** Shared helpers for the media tests: real binaries, a temp folder, small generated inputs. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveBinaries } from '../../src/media/binaries.ts';

export const run = promisify(execFile);
export const bins = await resolveBinaries(process.env);

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-media-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** ffmpeg with lavfi inputs, for making fixtures. */
export async function ff(...args: string[]): Promise<void> {
  await run(bins.ffmpeg, ['-v', 'error', '-y', ...args]);
}
