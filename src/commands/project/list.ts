import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { PROJECT_STATUSES } from '../../core/model.ts';
import { PROJECT_COLUMNS, projectJson } from './view.ts';

export const Options = z.object({
  status: z.enum(PROJECT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(10000).default(50),
}).strict();

export async function run(ctx: CliContext, { options: opts }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const rows = await store.list('projects', {
    ...(opts.status ? { where: { status: opts.status } } : {}),
    order: [{ column: 'created_at', ascending: false }, { column: 'id' }],
    limit: opts.limit,
  });
  printList(ctx, rows, PROJECT_COLUMNS, rows.map(projectJson));
}
