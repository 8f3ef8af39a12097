/**
 * What a pipeline step is, in one place: its job payload, what it does, and — for the steps
 * `omvee run` drives — when it is needed, the payload a run gives it and how it shows. The
 * ordered list of steps is ./steps.ts; each definition is a file in ./steps/.
 */
import type { z } from 'zod';
import type { Store } from '../../store/port.ts';
import type { Providers } from '../../providers/ports.ts';
import type { JobControl } from '../jobs/runner.ts';
import type { Job, Project } from '../model.ts';
import type { SceneBounds } from '../timeline/index.ts';
import type { PipelineDeps } from './deps.ts';

/** What `omvee run` (and `run --detach`) decides the remaining steps from. */
export interface RunOptions {
  bounds: SceneBounds;
  lyricsOverlay: boolean;
  /** a lyrics file already stored as the transcript source (else the transcriber runs) */
  lyricsSource?: { key: string; fileName: string } | undefined;
}

/** Which provider runs each kind of work, by name (for progress labels). */
export type ProviderNames = { readonly [K in keyof Providers]: string };

export interface StepOutcome {
  result: Record<string, unknown>;
  costUsd?: number | undefined;
}

export interface StepDefinition<P = unknown> {
  payload: z.ZodType<P>;
  /** false for steps that need this machine's files (uploads): a worker never claims them */
  worker: boolean;
  run(deps: PipelineDeps, project: Project, payload: P, control: JobControl): Promise<StepOutcome>;
  /** for steps `omvee run` drives, in the order of ./steps.ts */
  plan?: {
    /** whether the step has work to do on this project now */
    needed(store: Store, project: Project, options: RunOptions): Promise<boolean>;
    /** `run --detach` queues it even when nothing is missing now (it skips finished work itself) */
    queueAlways: boolean;
    payload(options: RunOptions): P;
    /** progress text while it runs, e.g. "choosing scenes (local)" */
    label(payload: P, providers: ProviderNames): string;
    /** the summary line when it is done, e.g. "12 scenes" */
    done(job: Job): string;
  };
}

/** Type helper: a step definition whose payload type comes from its schema. */
export function defineStep<S extends z.ZodType>(definition: StepDefinition<z.infer<S>> & { payload: S }): StepDefinition<z.infer<S>> & { payload: S } {
  return definition;
}
