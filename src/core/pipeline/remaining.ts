/**
 * What is left to do on a project: the decisions behind `omvee run --project` (resume) and
 * `omvee run --detach` (queue the rest), read off the step registry (./steps.ts): each step
 * `omvee run` drives says when it is needed and what payload a run gives it.
 */
import type { Store } from '../../store/port.ts';
import type { Project } from '../model.ts';
import type { ChainLink } from './handlers.ts';
import type { RunOptions, StepDefinition } from './step-definition.ts';
import { STEPS, type JobType } from './steps.ts';

export type { RunOptions };

/** The steps `omvee run` drives, in order, with their definitions. */
export async function runSteps(): Promise<{ type: JobType; name: string; definition: StepDefinition & { plan: NonNullable<StepDefinition['plan']> } }[]> {
  const out = [];
  for (const entry of STEPS) {
    const definition = (await entry.load()).default as StepDefinition;
    if (definition.plan) out.push({ type: entry.type, name: entry.name, definition: definition as StepDefinition & { plan: NonNullable<StepDefinition['plan']> } });
  }
  return out;
}

/**
 * The next step to run now, judged on the project as it is (call again after each step), or
 * null when the video is done. `ran` holds the steps this run already did (each runs once).
 */
export async function nextStep(store: Store, projectId: string, options: RunOptions, ran: ReadonlySet<JobType>): Promise<ChainLink | null> {
  const project = (await store.get('projects', projectId))!;
  for (const { type, definition } of await runSteps()) {
    if (ran.has(type)) continue;
    if (await definition.plan.needed(store, project, options)) return { type, payload: definition.plan.payload(options) as Record<string, unknown> };
  }
  return null;
}

/**
 * The steps to queue for workers, decided now: those missing work, and those that skip finished
 * work by themselves (queueAlways: prompts, images, clips, a fresh final cut).
 */
export async function stepsToQueue(store: Store, project: Project, options: RunOptions): Promise<ChainLink[]> {
  const links: ChainLink[] = [];
  for (const { type, definition } of await runSteps()) {
    if (!definition.plan.queueAlways && !(await definition.plan.needed(store, project, options))) continue;
    links.push({ type, payload: definition.plan.payload(options) as Record<string, unknown> });
  }
  return links;
}
