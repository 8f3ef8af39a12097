import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printValue } from '../../cli/output.ts';
import { confirmOrCancel } from '../../cli/prompts.ts';
import { deleteProject } from '../../core/projects.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store, blobs } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  await confirmOrCancel(ctx, `Delete project "${project.name}" (${project.id}) with all its scenes, takes and files?`, 'nothing deleted');
  const { filesRemoved, fileError } = await deleteProject(store, blobs, project);
  if (fileError) ctx.warn(`project rows deleted, but some files could not be removed: ${fileError}`);
  ctx.success(`deleted project ${project.name} (${filesRemoved} files)`);
  printValue(ctx, project.id, { id: project.id, name: project.name, deleted: true, files_removed: filesRemoved });
}
