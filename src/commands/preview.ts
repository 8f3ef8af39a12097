/**
 * The animatic as a command shows it: core cuts it (src/core/pipeline/preview-step.ts) with a
 * progress line here; `render --preview` and `run --preview` both use it.
 */
import type { Pipeline } from '../app/pipeline.ts';
import type { CliContext } from '../cli/context.ts';
import { startProgress } from '../cli/progress.ts';
import type { Project } from '../core/model.ts';
import { renderPreview, type PreviewOutcome } from '../core/pipeline/preview-step.ts';

export async function cutPreview(ctx: CliContext, pipeline: Pipeline, project: Project): Promise<PreviewOutcome> {
  const progress = await startProgress(ctx, 'cutting the preview animatic');
  try {
    const outcome = await renderPreview(pipeline.deps, project, {}, { signal: ctx.signal, progress: (percent, detail) => progress.update(`preview: ${detail ?? 'working'}`, percent) });
    progress.succeed(`preview ${outcome.width}x${outcome.height}, ${outcome.frameCount} frames`);
    return outcome;
  } catch (error) {
    progress.fail('preview failed');
    throw error;
  }
}
