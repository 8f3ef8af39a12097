/** The pipeline a command opens: the app's wiring with this terminal's progress display and Ctrl-C signal. */
import { openPipeline, type Pipeline, type PipelineOptions } from '../app/pipeline.ts';
import type { CliContext } from '../cli/context.ts';
import { pipelineUi } from '../cli/pipeline-ui.ts';

export function openCommandPipeline(ctx: CliContext, options: Omit<PipelineOptions, 'signal' | 'ui'> = {}): Promise<Pipeline> {
  return ctx.services().then((services) => openPipeline(services, { ...options, signal: ctx.signal, ui: pipelineUi(ctx) }));
}
