/** What the pipeline steps work with: ports only, handed in by the caller. */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Blobs } from '../../blobs/port.ts';
import type { MediaTools } from '../../media/port.ts';
import type { Providers } from '../../providers/ports.ts';
import type { Store } from '../../store/port.ts';
import type { BudgetGuard } from '../cost/budget.ts';

export interface PipelineDeps {
  store: Store;
  blobs: Blobs;
  media: MediaTools;
  providers: Providers;
  /** scratch folder on this machine */
  workDir: string;
  /** user-facing warnings (stderr) */
  log: (message: string) => void;
  /** user-facing notes that are not warnings, e.g. what a provider is doing (stderr) */
  note?: (message: string) => void;
  /** parallel image / clip generations */
  concurrency?: { images?: number; clips?: number };
  /** --max-cost: consulted before each paid image/clip generation */
  budget?: BudgetGuard | undefined;
}

/** A path where a stored object can be read by ffmpeg: in place for local blobs, else downloaded once. */
export async function materialize(deps: Pick<PipelineDeps, 'blobs' | 'workDir'>, key: string): Promise<string> {
  const direct = deps.blobs.localPath(key);
  if (direct !== null) return direct;
  const target = join(deps.workDir, 'cache', key);
  await mkdir(dirname(target), { recursive: true });
  const info = await deps.blobs.stat(key);
  const local = await stat(target).catch(() => null);
  if (!local || !info || local.size !== info.size) await deps.blobs.getToFile(key, target);
  return target;
}

/** A fresh scratch folder for one piece of work; removed by the returned cleanup. */
export async function scratch(deps: Pick<PipelineDeps, 'workDir'>, name: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = join(deps.workDir, 'tmp', `${name}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A stable 31-bit seed from parts (project, scene, take), so a take can be reproduced. */
export function seedFor(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) & 0x7fffffff;
}
