import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { validateProjectName, validateStyle } from '../../core/projects.ts';
import { projectFields, projectJson } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ name: z.string().optional(), style: z.string().optional() }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  if (opts.name === undefined && opts.style === undefined) {
    throw new OmveeError('usage', 'nothing to update', { hint: 'pass --name and/or --style' });
  }
  const patch = {
    ...(opts.name !== undefined ? { name: validateProjectName(opts.name) } : {}),
    ...(opts.style !== undefined ? { style: validateStyle(opts.style) } : {}),
  };
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const updated = await store.update('projects', project.id, patch);
  ctx.success(`updated project ${updated.name}`);
  printRecord(ctx, projectFields(updated), projectJson(updated));
}
