import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { printList } from '../../cli/output.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { SCENE_COLUMNS } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0]!);
  const scenes = await listScenes({ store }, project.id);
  if (scenes.length === 0 && !ctx.json) ctx.info(`no scenes yet: run omvee scenes select ${project.id}`);
  printList(ctx, scenes, SCENE_COLUMNS, scenes.map((s) => ({ scene: s.order_idx + 1, ...s })));
}
