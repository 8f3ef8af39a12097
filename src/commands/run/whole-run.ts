/**
 * `omvee run` for one song, as the terminal shows it: core runs the remaining steps
 * (src/core/pipeline/whole-run.ts); each one shows as a progress line through the pipeline, and
 * the finished video is copied to --out.
 */
import type { Pipeline } from '../../app/pipeline.ts';
import { deliver } from '../../app/deliver.ts';
import type { CliContext } from '../../cli/context.ts';
import { runWholeSong, type WholeRunInput, type WholeRunSummary } from '../../core/pipeline/whole-run.ts';

export type { WholeRunInput, WholeRunSummary };

export async function runWhole(ctx: CliContext, pipeline: Pipeline, input: WholeRunInput & { out: string | undefined }): Promise<WholeRunSummary> {
  const summary = await runWholeSong(pipeline.deps, input, {
    providers: pipeline.plan,
    runStep: (project, step) => pipeline.step(step.type, project, step.payload as never, step.label, step.done),
    onEvent: (event) => {
      if (event.kind === 'warning') ctx.warn(event.message);
      else if (event.resumed) ctx.info(`resuming ${event.project.name} (${event.project.id}), status ${event.project.status}`);
      else ctx.info(`project ${event.project.name} (${event.project.id})`);
    },
  });
  const output = input.out ? await deliver(pipeline.services, summary.video_path, input.out, ctx.io.cwd) : pipeline.services.blobs.localPath(summary.video_path);
  return { ...summary, output };
}
