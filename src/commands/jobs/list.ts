import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { parseSince } from '../../core/jobs/find.ts';
import { JOB_STATUSES, JOB_TYPES, type Job } from '../../core/model.ts';
import type { Filter } from '../../store/port.ts';
import { JOB_COLUMNS } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({
  project: z.string().optional(),
  status: z.enum(JOB_STATUSES).optional(),
  type: z.enum(JOB_TYPES).optional(),
  since: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100000).default(100),
}).strict();

export async function run(ctx: CliContext, { options: opts }: InputOf<typeof Options>): Promise<void> {
  const since = opts.since !== undefined ? parseSince(opts.since, new Date()) : undefined;
  const { store } = await ctx.services();
  const where: Filter<Job> = {};
  if (opts.project !== undefined) where.project_id = (await projectFor(ctx, store, opts.project)).id;
  if (opts.status) where.status = opts.status;
  if (opts.type) where.type = opts.type;
  if (since) where.created_at = { gte: since };
  const rows = await store.list('jobs', { where, order: [{ column: 'created_at', ascending: false }, { column: 'id' }], limit: opts.limit });
  printList(ctx, rows, JOB_COLUMNS);
}
