/** The terminal side of a pipeline: steps show as spinners (or plain lines), notes and warnings on stderr. */
import type { PipelineUi } from '../app/pipeline.ts';
import type { CliContext } from './context.ts';
import { startProgress } from './progress.ts';

export function pipelineUi(ctx: CliContext): PipelineUi {
  return {
    warn: (message) => ctx.warn(message),
    note: (message) => ctx.info(message),
    startStep: (label) => startProgress(ctx, label),
  };
}
