import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import { wholeNumber } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { scratch } from '../../core/pipeline/deps.ts';
import { storyboardSheet } from '../../core/pipeline/storyboard.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ out: z.string().optional(), columns: wholeNumber('--columns', 1, 12) }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const columns = options.columns ?? 4;
  const services = await ctx.services();
  const project = await projectFor(ctx, services.store, args[0]!);
  const out = resolve(ctx.io.cwd, options.out ?? `${project.name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'project'}-storyboard.png`);
  const media = await services.media();
  const work = await scratch(services, 'storyboard');
  let sheet;
  try {
    const tmp = join(work.dir, 'storyboard.png');
    // the sheet (core): a tile per scene with take, review state and note, the song's timeline above
    sheet = await storyboardSheet({ store: services.store, blobs: services.blobs, workDir: services.workDir, media }, project, { columns, outPath: tmp });
    await mkdir(dirname(out), { recursive: true });
    await copyFile(tmp, out);
  } finally {
    await work.cleanup();
  }
  if (sheet.missing > 0) ctx.warn(`${sheet.missing} scene(s) have no image yet and are left out`);
  ctx.success(`storyboard of ${sheet.scenes} scenes written to ${out}`);
  printValue(ctx, out, { path: out, scenes: sheet.scenes, missing: sheet.missing });
}
