/**
 * The pipeline opened for a command: providers chosen and built from the registry, the budget
 * guard of --max-cost, and steps run as jobs in this process. What it shows goes through a
 * StepDisplay the caller supplies (the terminal's progress, or nothing in tests).
 */
import { DEFAULT_LEASE_SECONDS } from '../config/defaults.ts';
import { runStep } from '../core/pipeline/run-step.ts';
import type { Job, Project } from '../core/model.ts';
import type { PipelineDeps } from '../core/pipeline/deps.ts';
import type { Payload } from '../core/pipeline/handlers.ts';
import type { JobType } from '../core/pipeline/steps.ts';
import { budgetGuard, type SpendOptions } from './spend.ts';
import { buildProviders, cancelInFlightWork, defaultConcurrency, planProviders, type ProviderChoice, type ProviderPlan } from './providers.ts';
import type { Services } from './services.ts';
import { localWorkerAlive, newWorkerId } from './worker-identity.ts';

/** How a running step shows (the CLI passes its spinner or plain lines). */
export interface StepDisplay {
  update(text: string, percent?: number): void;
  succeed(text: string): void;
  fail(text: string): void;
  warn(text: string): void;
  note(text: string): void;
  stop(): void;
}

export interface PipelineUi {
  /** a warning or note outside any step */
  warn(message: string): void;
  note(message: string): void;
  startStep(label: string): Promise<StepDisplay>;
}

export interface PipelineOptions {
  choice?: ProviderChoice;
  concurrency?: { images?: number | undefined; clips?: number | undefined };
  spend?: SpendOptions;
  signal: AbortSignal;
  ui: PipelineUi;
}

export interface Pipeline {
  services: Services;
  deps: PipelineDeps;
  plan: ProviderPlan;
  workerId: string;
  /** run one step as a job in this process, showing its progress */
  step<T extends JobType>(type: T, project: Project, payload: Payload<T>, label: string, done?: (job: Job) => string): Promise<Job>;
}

export async function openPipeline(services: Services, options: PipelineOptions): Promise<Pipeline> {
  const { ui, signal } = options;
  const spend = options.spend ?? {};
  const plan = planProviders(services.config, options.choice);
  const media = await services.media();
  const v = services.config.values;
  const imageConcurrency = options.concurrency?.images ?? v.OMVEE_IMAGE_CONCURRENCY ?? defaultConcurrency(plan, 'images');
  const clipConcurrency = options.concurrency?.clips ?? v.OMVEE_CLIP_CONCURRENCY ?? defaultConcurrency(plan, 'clips');
  const providers = await buildProviders(services.config, media, plan, { concurrency: { images: imageConcurrency, clips: clipConcurrency } });
  let current: StepDisplay | null = null;
  const deps: PipelineDeps = {
    store: services.store,
    blobs: services.blobs,
    media,
    providers,
    workDir: services.workDir,
    log: (message) => (current ? current.warn(message) : ui.warn(message)),
    note: (message) => (current ? current.note(message) : ui.note(message)),
    concurrency: { images: imageConcurrency, clips: clipConcurrency },
    budget: spend.maxCostUsd !== undefined ? await budgetGuard(services.config, services.store, plan, spend.maxCostUsd) : undefined,
  };
  const workerId = newWorkerId();
  const leaseSeconds = v.OMVEE_LEASE_SECONDS ?? DEFAULT_LEASE_SECONDS;
  return {
    services,
    deps,
    plan,
    workerId,
    async step(type, project, payload, label, done) {
      const display = await ui.startStep(label);
      current = display;
      try {
        const job = await runStep(deps, type, project.id, payload, {
          workerId,
          leaseSeconds,
          signal,
          holderAlive: localWorkerAlive,
          onProgress: (_job, percent, detail) => display.update(detail ?? label, percent),
        });
        display.succeed(done ? done(job) : label);
        return job;
      } catch (error) {
        display.fail(`${label}: failed`);
        if (spend.cancelOnExit && signal.aborted) {
          const canceled = await cancelInFlightWork(services.config, services.store, project.id, (m) => ui.warn(m));
          if (canceled > 0) ui.warn(`canceled ${canceled} in-flight prediction${canceled > 1 ? 's' : ''} (--cancel-on-exit)`);
        }
        throw error;
      } finally {
        display.stop();
        current = null;
      }
    },
  };
}
