import type { CommandInput } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printValue } from '../../cli/output.ts';
import { confirm } from '../../cli/prompts.ts';
import { deleteProject, resolveProject } from '../../core/projects.ts';

export async function run(ctx: CliContext, { args }: CommandInput): Promise<void> {
  const { store, blobs } = await ctx.services();
  const project = await resolveProject(store, args[0] ?? '');
  const sure = await confirm(ctx, `Delete project "${project.name}" (${project.id}) with all its scenes, takes and files?`);
  if (!sure) throw new OmveeError('aborted', 'nothing deleted', { hint: 'pass --yes to delete without asking' });
  const { filesRemoved, fileError } = await deleteProject(store, blobs, project);
  if (fileError) ctx.warn(`project rows deleted, but some files could not be removed: ${fileError}`);
  ctx.success(`deleted project ${project.name} (${filesRemoved} files)`);
  printValue(ctx, project.id, { id: project.id, name: project.name, deleted: true, files_removed: filesRemoved });
}
