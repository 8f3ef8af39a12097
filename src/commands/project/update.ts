import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { validateProjectName, validateStyle } from '../../core/projects.ts';
import { applyVideoChange, hasVideoSettings } from '../../core/video/project-format.ts';
import { videoFlags, videoSettingsOf } from '../flag-schemas.ts';
import { projectFields, projectJson } from './view.ts';
import { projectFor } from '../resolve.ts';

export const Options = z.object({ name: z.string().optional(), style: z.string().optional(), ...videoFlags }).strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const video = videoSettingsOf(opts);
  if (opts.name === undefined && opts.style === undefined && !hasVideoSettings(video)) {
    throw new OmveeError('usage', 'nothing to update', { hint: 'pass --name, --style, --aspect, --resolution, --fps, --captions or --visualizer' });
  }
  const { store } = await ctx.services();
  const project = await projectFor(ctx, store, args[0] ?? '');
  const named = {
    ...(opts.name !== undefined ? { name: validateProjectName(opts.name) } : {}),
    ...(opts.style !== undefined ? { style: validateStyle(opts.style) } : {}),
  };
  const { project: updated, patch: patchVideo, stale } = await applyVideoChange(store, project, video, 'commands', named);
  ctx.success(`updated project ${updated.name}`);
  if (stale) ctx.warn(stale);
  if (patchVideo.caption_style !== undefined || patchVideo.visualizer !== undefined) {
    ctx.info(`new captions or visualizer: the clips are re-finished by the next cut (nothing is generated again): omvee render ${updated.id} --force`);
  }
  printRecord(ctx, projectFields(updated), { ...projectJson(updated), ...(stale ? { stale } : {}) });
}
