/** `omvee open <project>`: the latest final video, opened on the desktop. */
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { printRecord } from '../../cli/output.ts';
import { openFile } from '../../app/open-file.ts';
import { latestFinal } from '../../core/pipeline/final-video.ts';
import { materialize } from '../../core/pipeline/deps.ts';
import { OmveeError } from '../../core/errors.ts';
import { NoOptions } from '../flag-schemas.ts';
import { projectFor } from '../resolve.ts';

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const services = await ctx.services();
  const project = await projectFor(ctx, services.store, args[0]!);
  const final = await latestFinal(services.store, project.id);
  if (!final?.video_path) throw new OmveeError('not_found', `${project.name} has no final video yet`, { hint: `render it: omvee render ${project.id}` });
  const path = await materialize(services, final.video_path);
  const opener = await openFile(path, ctx.env);
  ctx.success(`opened ${path} with ${opener}`);
  printRecord(ctx, [['path', path], ['final_video_id', final.id]], { project_id: project.id, final_video_id: final.id, path, opener });
}
