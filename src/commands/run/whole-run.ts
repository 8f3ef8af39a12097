/**
 * `omvee run` for one song, as the terminal shows it: core runs the remaining steps
 * (src/core/pipeline/whole-run.ts); each one shows as a progress line through the pipeline, and
 * the finished video is copied to --out. The --out is remembered (on this machine) before any
 * step runs, so the run that resumes an interrupted one delivers to the same place.
 */
import { resolve } from 'node:path';
import type { Pipeline } from '../../app/pipeline.ts';
import { deliver } from '../../app/deliver.ts';
import { forgetOut, recallOut, rememberOut } from '../../app/remembered-out.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { materialize } from '../../core/pipeline/deps.ts';
import { cutPreview } from '../preview.ts';
import { runWholeSong, type WholeRunInput, type WholeRunSummary } from '../../core/pipeline/whole-run.ts';

export type { WholeRunInput, WholeRunSummary };

export async function runWhole(ctx: CliContext, pipeline: Pipeline, input: WholeRunInput & { out: string | undefined }): Promise<WholeRunSummary> {
  const home = pipeline.services.config.paths.home;
  let out = input.out === undefined ? undefined : resolve(ctx.io.cwd, input.out);
  let projectId: string | undefined;
  let summary: WholeRunSummary;
  try {
    summary = await runWholeSong(pipeline.deps, input, {
      providers: pipeline.plan,
      runStep: (project, step) => pipeline.step(step.type, project, step.payload as never, step.label, step.done),
      preview: (project) => cutPreview(ctx, pipeline, project),
      onEvent: async (event) => {
        if (event.kind === 'warning') return ctx.warn(event.message);
        projectId = event.project.id;
        if (event.resumed) ctx.info(`resuming ${event.project.name} (${event.project.id}), status ${event.project.status}`);
        else ctx.info(`project ${event.project.name} (${event.project.id})`);
        if (out !== undefined) {
          await rememberOut(home, event.project.id, out).catch((error: Error) => ctx.warn(`cannot remember --out for a resume: ${error.message}`));
        } else if (event.resumed) {
          out = await recallOut(home, event.project.id);
          if (out !== undefined) ctx.info(`delivering to ${out} (the --out of the interrupted run)`);
        }
      },
    });
  } catch (error) {
    // the resume hint says where the resumed run will deliver
    if (out && error instanceof OmveeError && error.hint?.includes('resume with: omvee run --project')) {
      throw new OmveeError(error.code, error.message, { hint: `${error.hint} (it delivers to ${out})`, cause: error.cause ?? error, ...(error.details ? { details: error.details } : {}) });
    }
    throw error;
  }
  if (summary.preview) {
    // the --out is the final video's: the animatic stays in the project (final/preview.mp4) and
    // the run that continues delivers the cut there
    const local = pipeline.services.blobs.localPath(summary.video_path) ?? (await materialize(pipeline.services, summary.video_path));
    return { ...summary, output: local };
  }
  const output = out ? await deliver(pipeline.services, summary.video_path, out, ctx.io.cwd) : pipeline.services.blobs.localPath(summary.video_path);
  if (out && projectId) await forgetOut(home, projectId).catch(() => undefined);
  return { ...summary, output };
}
