import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { resolveProject } from '../../core/projects.ts';
import { projectFields, projectJson } from './view.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const { store } = await ctx.services();
  const project = await resolveProject(store, args[0] ?? '');
  printRecord(ctx, projectFields(project), projectJson(project));
}
