import path from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { importProject } from '../../core/transfer/import.ts';

export const Options = z.object({ name: z.string().optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const dir = path.resolve(ctx.io.cwd, args[0] ?? '');
  const services = await ctx.services();
  const result = await importProject({ store: services.store, blobs: services.blobs, dir, ...(opts.name !== undefined ? { name: opts.name } : {}) });
  for (const warning of result.warnings) ctx.warn(warning);
  ctx.success(`imported ${result.name} as ${result.projectId} into the ${services.backend} backend (${result.files} files)`);
  const rowTotal = Object.values(result.rows).reduce((a, b) => a + b, 0);
  printRecord(
    ctx,
    [
      ['id', result.projectId],
      ['name', result.name],
      ['source', result.sourceProjectId],
      ['backend', services.backend],
      ['rows', rowTotal],
      ['files', result.files],
      ['bytes', result.bytes],
    ],
    {
      id: result.projectId,
      name: result.name,
      source_project_id: result.sourceProjectId,
      backend: services.backend,
      rows: result.rows,
      files: result.files,
      bytes: result.bytes,
      warnings: result.warnings,
    },
  );
}
