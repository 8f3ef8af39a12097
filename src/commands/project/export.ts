import path from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { exportProject } from '../../core/transfer/export.ts';
import { VERSION } from '../../version.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ out: z.string().min(1).optional(), jobs: z.boolean().default(true) }).strict();

/** a folder name from the project name: letters, digits and dashes only */
function defaultFolder(name: string, id: string): string {
  const slug = name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 40);
  return `${slug || 'project'}-${id.slice(0, 8)}`;
}

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const { store, blobs } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const outDir = path.resolve(ctx.io.cwd, opts.out ?? defaultFolder(project.name, project.id));
  const result = await exportProject({
    store,
    blobs,
    project,
    outDir,
    omveeVersion: VERSION,
    includeJobs: opts.jobs,
    onFile: (f) => ctx.debug(`exported ${f.path} (${f.size} bytes)`),
  });
  for (const key of result.missingFiles) ctx.warn(`${key} is referenced by the project but missing from storage; the export does not contain it`);
  ctx.success(`exported ${result.name} (${result.projectId}) to ${result.outDir}: ${result.files} files`);
  const rowTotal = Object.values(result.rows).reduce((a, b) => a + b, 0);
  printRecord(
    ctx,
    [
      ['out', result.outDir],
      ['project', result.projectId],
      ['name', result.name],
      ['rows', rowTotal],
      ['files', result.files],
      ['bytes', result.bytes],
    ],
    { out: result.outDir, project_id: result.projectId, name: result.name, rows: result.rows, files: result.files, bytes: result.bytes, missing_files: result.missingFiles },
  );
}
